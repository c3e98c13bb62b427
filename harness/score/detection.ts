import type { KindDetection, HardNegativeScore } from '../results/index.ts'
import { percentileOfSorted } from '../stats/index.ts'
import { lossSubunits, type AnomalyTruth, type LabelTruth, type TruthCharge } from './truth.ts'

/** An alert as the scorer needs it: who, what, the window of its evidence, and when it was known. */
export interface DetectedAlert {
  kind: string
  entityType: string
  entity: string
  /** Scenario epoch ms of the alert's evidence window. */
  windowStart: number
  windowEnd: number
  /** Scenario epoch ms at which the alert was available (the harness's receive time through the clock map⁻¹). */
  detectedAtMs: number
}



export interface DetectionScore {
  byKind: Record<string, KindDetection>
  hardNegatives: Record<string, HardNegativeScore>
  /** Micro-averages over every kind of a family (units summed), for thresholds. */
  fraud: { precision: number | null; recall: number | null }
  anomaly: { precision: number | null; recall: number | null }
}

export interface DetectionInput {
  labels: readonly LabelTruth[]
  anomalies: readonly AnomalyTruth[]
  alerts: readonly DetectedAlert[]
  /** Expected charges with their event times (and a SIM-box call's bypassed termination), for fraud exposure. */
  charges: Iterable<TruthCharge>
  /** Sub-units → net minor units. */
  toMinor: (subunits: number) => number
}

/** Kinds the pipeline raises on cells (docs/contracts.md); every other alert kind is a fraud kind. */
const isCellAlert = (a: DetectedAlert): boolean => a.entityType === 'cell'

/** Closed intervals [a0, a1] and [b0, b1] share at least one instant. */
const overlaps = (a0: number, a1: number, b0: number, b1: number): boolean => a0 <= b1 && b0 <= a1

function f1(precision: number | null, recall: number | null): number | null {
  if (precision !== null && recall !== null) return precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0
  return precision === 0 || recall === 0 ? 0 : null
}

interface FraudUnit {
  kind: string
  entity: string
  /** Alert entities that point at this unit: the entity, plus WANGIRI's callers. */
  matches: ReadonlySet<string>
  /** Subscribers whose charges are the exposure (subscriber labels only). */
  exposed: ReadonlySet<string>
  start: number
  end: number
}

/** Fraud truth units: one per (kind, entity), windows of repeated labels merged. */
function fraudUnits(labels: readonly LabelTruth[]): FraudUnit[] {
  const byKey = new Map<string, FraudUnit>()
  for (const l of labels) {
    if (!l.fraud) continue
    const key = `${l.kind}\u0000${l.entity}`
    const prior = byKey.get(key)
    const matches = new Set([l.entity, ...l.callers, ...(prior?.matches ?? [])])
    const exposed = l.entityType === 'subscriber' ? new Set([l.entity]) : new Set<string>()
    byKey.set(key, { kind: l.kind, entity: l.entity, matches, exposed, start: Math.min(l.start, prior?.start ?? l.start), end: Math.max(l.end, prior?.end ?? l.end) })
  }
  return [...byKey.values()]
}

function emptyKind(family: KindDetection['family']): KindDetection {
  return { family, precision: null, recall: null, f1: null, ttd_p50_s: null, ttd_p95_s: null, ttd_max_s: null, ttd_s: [], truth_units: 0, detected_units: 0, alerted_units: 0, true_positives: 0, false_positives: 0, hard_negative_false_positives: 0, exposure_minor: null, exposure_total_minor: null }
}

/**
 * Scores alerts against the truth (docs/results.md "Detection").
 * Fraud is scored per entity: a truth unit is a labelled (kind, entity); an alerted unit is a distinct
 * (kind, alerted entity). They match when the kinds are equal, the alert names the entity (or, for a
 * WANGIRI number, one of the subscribers who called it back) and the alert's evidence window overlaps
 * the label's window. Anomalies are scored per alert: a truth unit is one affected cell's window, and an
 * alert matches it when kind and cell are equal and the alert's [windowStart, windowEnd] overlaps
 * [start, end] of the anomaly (both closed, scenario time; no grace period either side).
 */
export function scoreDetection(input: DetectionInput): DetectionScore {
  const byKind: Record<string, KindDetection> = {}
  const kindOf = (kind: string, family: KindDetection['family']): KindDetection => (byKind[kind] ??= emptyKind(family))

  // Fraud.
  const units = fraudUnits(input.labels)
  const fraudAlerts = input.alerts.filter((a) => !isCellAlert(a))
  const firstDetection = new Map<FraudUnit, number>()
  const alertedUnits = new Map<string, { kind: string; entity: string; matched: boolean }>()
  for (const a of fraudAlerts) {
    const key = `${a.kind}\u0000${a.entity}`
    const alerted = alertedUnits.get(key) ?? { kind: a.kind, entity: a.entity, matched: false }
    for (const u of units) {
      if (u.kind !== a.kind || !u.matches.has(a.entity) || !overlaps(a.windowStart, a.windowEnd, u.start, u.end)) continue
      alerted.matched = true
      firstDetection.set(u, Math.min(firstDetection.get(u) ?? Infinity, a.detectedAtMs))
    }
    alertedUnits.set(key, alerted)
  }
  const hardNegativeEntities = new Map<string, LabelTruth[]>()
  for (const l of input.labels) if (!l.fraud) hardNegativeEntities.set(l.entity, [...(hardNegativeEntities.get(l.entity) ?? []), l])
  for (const u of alertedUnits.values()) {
    const k = kindOf(u.kind, 'fraud')
    k.alerted_units++
    if (u.matched) k.true_positives++
    else k.false_positives++
  }
  const countedHardNegatives = new Set<string>()
  for (const a of fraudAlerts) {
    // A hard negative counts once per alert kind, however many alerts name it.
    const key = `${a.kind}\u0000${a.entity}`
    const hn = hardNegativeEntities.get(a.entity)
    if (hn === undefined || !hn.some((l) => overlaps(a.windowStart, a.windowEnd, l.start, l.end))) continue
    if (countedHardNegatives.has(key)) continue
    countedHardNegatives.add(key)
    kindOf(a.kind, 'fraud').hard_negative_false_positives++
  }
  const chargesBySubscriber = new Map<string, TruthCharge[]>()
  const exposedSubscribers = new Set(units.flatMap((u) => [...u.exposed]))
  for (const c of input.charges) {
    if (!exposedSubscribers.has(c.subscriber)) continue
    const list = chargesBySubscriber.get(c.subscriber) ?? []
    list.push(c)
    chargesBySubscriber.set(c.subscriber, list)
  }
  const ttdByKind = new Map<string, number[]>()
  const exposureSubunits = new Map<string, { until: number; total: number }>()
  for (const u of units) {
    const k = kindOf(u.kind, 'fraud')
    k.truth_units++
    const detectedAt = firstDetection.get(u)
    if (detectedAt !== undefined) {
      k.detected_units++
      ttdByKind.set(u.kind, [...(ttdByKind.get(u.kind) ?? []), (detectedAt - u.start) / 1000])
    }
    if (u.exposed.size === 0) continue
    const until = Math.min(detectedAt ?? u.end, u.end)
    const sums = exposureSubunits.get(u.kind) ?? { until: 0, total: 0 }
    for (const sub of u.exposed) {
      for (const c of chargesBySubscriber.get(sub) ?? []) {
        if (c.eventTime < u.start || c.eventTime > u.end) continue
        const loss = lossSubunits(c)
        sums.total += loss
        if (c.eventTime <= until) sums.until += loss
      }
    }
    exposureSubunits.set(u.kind, sums)
  }
  for (const [kind, sums] of exposureSubunits) {
    const k = kindOf(kind, 'fraud')
    k.exposure_minor = input.toMinor(sums.until)
    k.exposure_total_minor = input.toMinor(sums.total)
  }

  // Anomalies.
  const cellAlerts = new Map<string, DetectedAlert>()
  for (const a of input.alerts) {
    if (!isCellAlert(a)) continue
    // At-least-once delivery may repeat an alert: one episode = one (kind, cell, windowStart).
    const key = `${a.kind}\u0000${a.entity}\u0000${a.windowStart}`
    const prior = cellAlerts.get(key)
    if (prior === undefined || a.detectedAtMs < prior.detectedAtMs) cellAlerts.set(key, a)
  }
  const anomalyMatch = (a: DetectedAlert, w: AnomalyTruth): boolean => a.kind === w.kind && a.entity === w.cell && overlaps(a.windowStart, a.windowEnd, w.start, w.end)
  for (const a of cellAlerts.values()) {
    const k = kindOf(a.kind, 'anomaly')
    k.alerted_units++
    if (input.anomalies.some((w) => anomalyMatch(a, w))) k.true_positives++
    else k.false_positives++
  }
  for (const w of input.anomalies) {
    const k = kindOf(w.kind, 'anomaly')
    k.truth_units++
    let first = Infinity
    for (const a of cellAlerts.values()) if (anomalyMatch(a, w)) first = Math.min(first, a.detectedAtMs)
    if (first === Infinity) continue
    k.detected_units++
    ttdByKind.set(w.kind, [...(ttdByKind.get(w.kind) ?? []), (first - w.start) / 1000])
  }

  for (const [kind, k] of Object.entries(byKind)) {
    k.precision = k.alerted_units > 0 ? k.true_positives / k.alerted_units : null
    k.recall = k.truth_units > 0 ? k.detected_units / k.truth_units : null
    k.f1 = f1(k.precision, k.recall)
    const ttd = (ttdByKind.get(kind) ?? []).sort((x, y) => x - y)
    k.ttd_p50_s = percentileOfSorted(ttd, 50)
    k.ttd_p95_s = percentileOfSorted(ttd, 95)
    k.ttd_max_s = ttd[ttd.length - 1] ?? null
    k.ttd_s = ttd
  }

  const hardNegatives: Record<string, HardNegativeScore> = {}
  const alertedEntities = new Map<string, DetectedAlert[]>()
  for (const a of fraudAlerts) alertedEntities.set(a.entity, [...(alertedEntities.get(a.entity) ?? []), a])
  for (const l of input.labels) {
    if (l.fraud) continue
    const h = (hardNegatives[l.kind] ??= { entities: 0, flagged: 0, false_positive_ratio: 0 })
    h.entities++
    if ((alertedEntities.get(l.entity) ?? []).some((a) => overlaps(a.windowStart, a.windowEnd, l.start, l.end))) h.flagged++
  }
  for (const h of Object.values(hardNegatives)) h.false_positive_ratio = h.entities > 0 ? h.flagged / h.entities : 0

  const micro = (family: KindDetection['family']): { precision: number | null; recall: number | null } => {
    const ks = Object.values(byKind).filter((k) => k.family === family)
    const alerted = ks.reduce((s, k) => s + k.alerted_units, 0)
    const truth = ks.reduce((s, k) => s + k.truth_units, 0)
    return { precision: alerted > 0 ? ks.reduce((s, k) => s + k.true_positives, 0) / alerted : null, recall: truth > 0 ? ks.reduce((s, k) => s + k.detected_units, 0) / truth : null }
  }
  return { byKind, hardNegatives, fraud: micro('fraud'), anomaly: micro('anomaly') }
}

export type { KindDetection, HardNegativeScore } from '../results/index.ts'
