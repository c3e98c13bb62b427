import type { DetectionSummary, ComparisonRow } from '../results/index.ts'
import type { LatencySummary } from '../measure/histograms.ts'
import { account, type Accounting } from './accounting.ts'
import { scoreBilling, type BillingScore } from './billing.ts'
import { scoreDetection, type DetectedAlert, type DetectionScore } from './detection.ts'
import type { DetectionFamily } from './detection-scope.ts'
import type { AnomalyTruth, InjectionTruth, LabelTruth, TruthCharge } from './truth.ts'

/** `BatchApp --out` (docs/contracts.md "Batch baseline output"). */
export interface BatchOutput {
  finishedAfterMs: number
  counts: Record<string, number>
  bills: { subscriber: string; records: number; chargeSubunits: number }[]
  rated: { id: string; chargeSubunits: number }[]
  alerts: Omit<DetectedAlert, 'detectedAtMs'>[]
  /** DLQ counts by reason (the batch output carries no ids). */
  dlq: Record<string, number>
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v)

function numberMap(v: unknown, field: string): Record<string, number> {
  if (!isRecord(v)) throw new Error(`batch output: "${field}" is not an object`)
  const out: Record<string, number> = {}
  for (const [k, n] of Object.entries(v)) {
    if (!isNumber(n)) throw new Error(`batch output: "${field}.${k}" is not a number`)
    out[k] = n
  }
  return out
}

function list<T>(v: unknown, field: string, item: (x: Record<string, unknown>) => T | null): T[] {
  if (!Array.isArray(v)) throw new Error(`batch output: "${field}" is not an array`)
  return v.map((x: unknown, i) => {
    const parsed = isRecord(x) ? item(x) : null
    if (parsed === null) throw new Error(`batch output: "${field}[${i}]" does not have the contract's fields`)
    return parsed
  })
}

/** Checks a parsed batch-results.json against the contract; throws an Error naming the first bad field. */
export function parseBatchOutput(json: unknown): BatchOutput {
  if (!isRecord(json)) throw new Error('batch output: not a JSON object')
  if (!isNumber(json['finishedAfterMs'])) throw new Error('batch output: "finishedAfterMs" is not a number')
  return {
    finishedAfterMs: json['finishedAfterMs'],
    counts: numberMap(json['counts'], 'counts'),
    dlq: numberMap(json['dlq'], 'dlq'),
    bills: list(json['bills'], 'bills', (b) => (typeof b['subscriber'] === 'string' && isNumber(b['chargeSubunits']) ? { subscriber: b['subscriber'], records: isNumber(b['records']) ? b['records'] : 0, chargeSubunits: b['chargeSubunits'] } : null)),
    rated: list(json['rated'], 'rated', (r) => (typeof r['id'] === 'string' && isNumber(r['chargeSubunits']) ? { id: r['id'], chargeSubunits: r['chargeSubunits'] } : null)),
    alerts: list(json['alerts'], 'alerts', (a) =>
      typeof a['kind'] === 'string' && typeof a['entityType'] === 'string' && typeof a['entity'] === 'string' && isNumber(a['windowStart']) && isNumber(a['windowEnd'])
        ? { kind: a['kind'], entityType: a['entityType'], entity: a['entity'], windowStart: a['windowStart'], windowEnd: a['windowEnd'] }
        : null,
    ),
  }
}

/** The truth as the batch scorer reads it. */
export interface BatchTruth {
  expectedCharges: ReadonlyMap<string, TruthCharge>
  injections: ReadonlyMap<string, InjectionTruth>
  labels: readonly LabelTruth[]
  anomalies: readonly AnomalyTruth[]
}

export interface BatchScoreInput {
  output: BatchOutput
  generatedUsageIds: readonly string[]
  truth: BatchTruth
  toMinor: (subunits: number) => number
  /** Scenario epoch ms at which the batch results were available (every batch alert is known then). */
  availableAtMs: number
}

export interface BatchScore {
  accounting: Accounting
  billing: BillingScore | null
  detection: DetectionScore
}

/**
 * Scores the batch baseline with the streaming run's scorers. The batch output lists rated ids but only
 * counts its DLQ by reason, so a generated id that the batch did not rate counts as DLQ when the truth says
 * the record is invalid for reason r and the batch reported at least that many r rejects (in generation
 * order); every other unrated id is lost. Rated ids take their subscriber from the truth (the batch's rated
 * list has none), which leaves ids the truth does not know under subscriber "".
 */
export function scoreBatch(input: BatchScoreInput): BatchScore {
  const { output, truth } = input
  const ratedCount = new Map<string, number>()
  for (const r of output.rated) ratedCount.set(r.id, (ratedCount.get(r.id) ?? 0) + 1)
  const budget = new Map(Object.entries(output.dlq))
  const dlqReasonById = new Map<string, string>()
  for (const id of input.generatedUsageIds) {
    if (ratedCount.has(id) || dlqReasonById.has(id)) continue
    const reason = truth.injections.get(id)?.reason ?? null
    if (reason === null) continue
    const left = budget.get(reason) ?? 0
    if (left <= 0) continue
    budget.set(reason, left - 1)
    dlqReasonById.set(id, reason)
  }
  const accounting = account({ generatedIds: input.generatedUsageIds, ratedCount, dlqReasonById })
  const rated = new Map<string, { subscriber: string; chargeSubunits: number; count: number }>()
  for (const r of output.rated) {
    if (rated.has(r.id)) continue
    const subscriber = truth.expectedCharges.get(r.id)?.subscriber ?? truth.injections.get(r.id)?.subscriber ?? ''
    rated.set(r.id, { subscriber, chargeSubunits: r.chargeSubunits, count: ratedCount.get(r.id) ?? 1 })
  }
  const bills = new Map(output.bills.map((b) => [b.subscriber, b.chargeSubunits]))
  const billing = truth.expectedCharges.size > 0 ? scoreBilling({ expected: truth.expectedCharges, rated, bills, toMinor: input.toMinor }) : null
  const detection = scoreDetection({
    labels: truth.labels,
    anomalies: truth.anomalies,
    alerts: output.alerts.map((a) => ({ ...a, detectedAtMs: input.availableAtMs })),
    charges: truth.expectedCharges.values(),
    toMinor: input.toMinor,
  })
  return { accounting, billing, detection }
}


/** One side (streaming or batch) as the comparison reads it. */
export interface ComparedSide {
  accounting: Accounting
  billing: BillingScore | null
  detection: DetectionScore
  /** Intended send of a usage record → its charge visible in a bill (streaming: bill updates; batch: the batch result). */
  resultLatency: LatencySummary | null
  /** Late-injected records (truth `late`) that were rated with their expected charge. */
  lateRatedExactly: number
}

/** Late-injected ids (truth kind `late`) rated with exactly the expected charge. */
export function lateRatedExactly(injections: ReadonlyMap<string, InjectionTruth>, expected: ReadonlyMap<string, TruthCharge>, ratedCharge: (id: string) => number | undefined): { late: number; rated: number } {
  let late = 0
  let rated = 0
  for (const [id, inj] of injections) {
    if (inj.kind !== 'late') continue
    late++
    const e = expected.get(id)
    if (e !== undefined && ratedCharge(id) === e.chargeSubunits) rated++
  }
  return { late, rated }
}

/**
 * The streaming run and the batch baseline side by side on the same input: time to result, billing
 * accuracy, late data and detection, each line saying which side is better.
 */
export function compareStreamingBatch(s: ComparedSide, b: ComparedSide): ComparisonRow[] {
  const rows: ComparisonRow[] = []
  const row = (metric: string, unit: string, streaming: number | null, batch: number | null, higherIsBetter: boolean): void => {
    if (streaming === null && batch === null) return
    const better = streaming === null || batch === null ? null : streaming === batch ? 'equal' : (streaming > batch) === higherIsBetter ? 'streaming' : 'batch'
    rows.push({ metric, unit, streaming, batch, better })
  }
  row('result_latency_p50_ms', 'ms', s.resultLatency?.p50 ?? null, b.resultLatency?.p50 ?? null, false)
  row('result_latency_p99_ms', 'ms', s.resultLatency?.p99 ?? null, b.resultLatency?.p99 ?? null, false)
  row('charge_exact_match_ratio', 'ratio', s.billing?.exact_match_ratio ?? null, b.billing?.exact_match_ratio ?? null, true)
  row('bill_exact_match_ratio', 'ratio', s.billing?.bill_records_exact_match_ratio ?? null, b.billing?.bill_records_exact_match_ratio ?? null, true)
  row('billing_error_ratio', 'ratio', s.billing?.billing_error_ratio ?? null, b.billing?.billing_error_ratio ?? null, false)
  row('leakage_ratio', 'ratio', s.billing?.leakage_ratio ?? null, b.billing?.leakage_ratio ?? null, false)
  row('overbilling_ratio', 'ratio', s.billing?.overbilling_ratio ?? null, b.billing?.overbilling_ratio ?? null, false)
  row('lost_events', 'events', s.accounting.lost, b.accounting.lost, false)
  row('dup_events', 'events', s.accounting.duplicate_copies, b.accounting.duplicate_copies, false)
  row('late_dropped_events', 'events', s.accounting.late_dropped, b.accounting.late_dropped, false)
  row('late_rated_exactly_events', 'events', s.lateRatedExactly, b.lateRatedExactly, true)
  row('fraud_recall', 'ratio', s.detection.fraud.recall, b.detection.fraud.recall, true)
  row('fraud_precision', 'ratio', s.detection.fraud.precision, b.detection.fraud.precision, true)
  row('anomaly_recall', 'ratio', s.detection.anomaly.recall, b.detection.anomaly.recall, true)
  row('anomaly_precision', 'ratio', s.detection.anomaly.precision, b.detection.anomaly.precision, true)
  const kinds = new Set([...Object.keys(s.detection.byKind), ...Object.keys(b.detection.byKind)])
  for (const kind of [...kinds].sort()) {
    row(`${kind}.ttd_p50_s`, 's', s.detection.byKind[kind]?.ttd_p50_s ?? null, b.detection.byKind[kind]?.ttd_p50_s ?? null, false)
    const exposure = [s.detection.byKind[kind]?.exposure_minor ?? null, b.detection.byKind[kind]?.exposure_minor ?? null] as const
    if (exposure[0] !== null || exposure[1] !== null) row(`${kind}.exposure_minor`, 'minor', exposure[0], exposure[1], false)
  }
  return rows
}



/** The summary part of a detection score, as results.json holds it. */
export function detectionSummary(d: DetectionScore, notRun: DetectionFamily[] = []): DetectionSummary {
  return { fraud: d.fraud, anomaly: d.anomaly, hard_negatives: d.hardNegatives, not_run: notRun }
}

export type { DetectionSummary, BatchResults, ComparisonRow } from '../results/index.ts'
