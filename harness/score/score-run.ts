import type { Histogram } from 'hdr-histogram-js'
import { newHistogram, summarize, type LatencySummary } from '../measure/histograms.ts'
import type { ProcessSample } from '../measure/proc.ts'
import type { AlertRecord, BillRecord, DlqRecord } from '../run/collector.ts'
import type { FaultRecord } from '../run/faults.ts'
import type { RunPlan } from '../run/plan.ts'
import { resultsSchemaVersion, type KindDetection, type ModelsResult, type Delivery, type LatencyBreakdown, type MachineLoad, type Producer, type Results, type UnplannedExit } from '../results/index.ts'
import { machineBusy } from '../measure/machine-load.ts'
import type { AbortDecision } from './abort-watch.ts'
import { evaluateVerdict } from '../run/verdict.ts'
import { account, accountingHolds } from './accounting.ts'
import { attributeIntegrity } from './fault-integrity.ts'
import { compareStreamingBatch, detectionSummary, lateRatedExactly, scoreBatch, type BatchOutput, type BatchResults, type ComparedSide } from './batch.ts'
import { scoreBilling } from './billing.ts'
import { scoreStoreBilling } from './store-billing.ts'
import { scoreDetection, type DetectedAlert } from './detection.ts'
import { scoreForecasts } from './forecast.ts'
import type { ForecastManifest } from '../ml/model-folder.ts'
import { familiesNotRun, scopeDetectionInput, type DetectionFamily } from './detection-scope.ts'
import { summarizeEngineProgress } from './engine-progress.ts'
import type { AnomalyTruth, InjectionTruth, LabelTruth, TruthCharge } from './truth.ts'

/** What the harness saw on the output topics (the OutputCollector satisfies it). */
export interface PipelineOutput {
  /** id → how many rated records carried it. */
  ratedCount: ReadonlyMap<string, number>
  /** id → charge of its first rated record (sub-units). */
  ratedCharge: ReadonlyMap<string, number>
  /** id → subscriber of its rated record. */
  ratedSubscriber: ReadonlyMap<string, string>
  ratedRecords: number
  billRecords: number
  /** subscriber → last running total. */
  bills: ReadonlyMap<string, BillRecord>
  alerts: readonly AlertRecord[]
  dlq: readonly DlqRecord[]
  progress: readonly unknown[]
  /** output topic → records that were not JSON objects. */
  unparsable: ReadonlyMap<string, number>
  /** Why the harness stopped reading the output topics before the run ended (null: it read to the end). */
  readFailure: string | null
  /** Arrival second (after the load started) of every extra rated copy of an id. */
  duplicateArrivalsS: readonly number[]
}

/** The ground truth the generators wrote (the TruthRecorder satisfies it). */
export interface RunTruth {
  expectedCharges: ReadonlyMap<string, TruthCharge>
  injections: ReadonlyMap<string, InjectionTruth>
  labels: readonly LabelTruth[]
  anomalies: readonly AnomalyTruth[]
}

/** The scenario clock (docs/method.md §1.1): simulated time `simStartMs` is "now" at `runStartNs`. */
export interface ScenarioClock {
  runStartNs: bigint
  simStartMs: number
  /** Simulated seconds per wall second. */
  timeCompression: number
}

/** map⁻¹: the scenario epoch ms that is "now" at monotonic time `ns`. */
export function scenarioMsAt(clock: ScenarioClock, ns: bigint | number): number {
  const sinceStartNs = typeof ns === 'bigint' ? Number(ns - clock.runStartNs) : ns - Number(clock.runStartNs)
  return clock.simStartMs + (sinceStartNs / 1e6) * clock.timeCompression
}

/** The Spark batch baseline as it ran after the stream: its output, or why it could not be read. */
export type BatchRun =
  | { resultsFile: string; wallMs: number; doneNs: bigint; output: BatchOutput }
  | { resultsFile: string; wallMs: number; doneNs: bigint; error: string }

/** How the generator held its schedule (the pacer's report, as plain figures). */
export interface PacerFigures {
  sent: number
  sendErrors: number
  sendRetries: number
  producerSessions: number
  /** Wall ns the load took. */
  wallNs: number
}

/** What producing the load cost the harness. */
export interface LoadCost {
  /** Worker threads that produced the load (1: the harness thread). */
  generatorWorkers: number
  /** CPU seconds the harness process (every thread) used while the load ran. */
  harnessCpuS: number
}

/** Whole-run latency summaries and the histograms thresholds are evaluated on. */
export interface LatencyInput {
  /** Events sent after the warm-up (the run's figures). */
  summaries: Record<string, LatencySummary | null>
  /** Events sent during the warm-up, reported apart. */
  warmupSummaries: Record<string, LatencySummary | null>
  /** `schedule_delay_outside_faults`: the seconds no fault window touched (harness/measure/fault-windows.ts). */
  histograms: { rated: Histogram; bills: Histogram; alerts: Histogram; schedule_delay: Histogram; schedule_delay_outside_faults: Histogram }
  /** Per-second histograms by receipt second after load start, warm-up included, for windowed thresholds. */
  intervals: { rated: ReadonlyMap<number, Histogram>; bills: ReadonlyMap<number, Histogram>; alerts: ReadonlyMap<number, Histogram>; schedule_delay: ReadonlyMap<number, Histogram> }
}

/** Everything a run's results are computed from; plain data, no Kafka. */
export interface ScoreRunInput {
  runId: string
  /** The telcobench version and git sha that ran it. */
  producer: Producer
  plan: RunPlan
  startedAt: Date
  /** When the results are assembled (for `duration_s`). */
  finishedAt: Date
  /** Every logical usage-event id sent to `cdr`, in send order. */
  generatedUsageIds: readonly string[]
  /** Intended send time (ns after run start) of each entry of `generatedUsageIds`. */
  usageSendOffsetsNs: readonly number[]
  clock: ScenarioClock
  /** Bytes of records the pipeline cannot parse → their id (a DLQ record of such a value carries no id). */
  unparsableIdByRaw: ReadonlyMap<string, string>
  output: PipelineOutput
  truth: RunTruth
  pacer: PacerFigures
  loadCost: LoadCost
  latency: LatencyInput
  /** What the engine, trigger and guarantee promise (harness/run/delivery.ts). */
  delivery: Delivery
  /** The rated stream's per-stage breakdown (harness/measure/latency-breakdown.ts); absent or null = no marks. */
  latencyBreakdown?: LatencyBreakdown | null
  faults: FaultRecord[]
  /** The Spark driver or broker deaths nobody planned (harness/run/deaths.ts), in the order they happened. */
  unplannedExits: readonly UnplannedExit[]
  /**
   * The input topic read back after the run (harness/run/unread-input.ts): the ids still unread past the
   * pipeline's position, or why it could not be read; null when every record was accounted for.
   */
  unreadInput: { ids: ReadonlySet<string> } | { error: string } | null
  /** Usage ids whose send failed for good (the pacer's send errors): they never reached the input topic. */
  unsentUsageIds: ReadonlySet<string>
  /** Steady state, timeline file and measuring cost (harness/run/timeline-report.ts, measuring-cost.ts); absent = not measured. */
  timeline?: Pick<Results, 'steady_state' | 'timeline' | 'measurement_cost' | 'availability'>
  /** A secured run's enforcement and intruder check (harness/run/security-results.ts); absent = unsecured. */
  security?: Results['security']
  batch: BatchRun | null
  samples: Record<string, ProcessSample[]>
  /** The machine's load around the run (manifest `machine_load`), judged into `machine_busy`. */
  machineLoad: MachineLoad
  /** The abortOnFail threshold that stopped the load early (harness/score/abort-watch.ts), or null. */
  thresholdAbort: AbortDecision | null
  /** Sub-units → net minor units (the invoice rounding of the rating spec). */
  toMinor: (subunits: number) => number
  aborted: boolean
  /** The serving store read back at the end of the run (harness/run/session.ts readStore); null without a store. */
  serving?: ServingReadBack | null
}

/** The store's content at the end, or why it could not be read, and what the `served` sampling did. */
export interface ServingReadBack {
  contactPoint: string
  keyspace: string
  content: { bills: readonly { subscriber: string; chargeSubunits: number }[]; ratedIds: ReadonlySet<string> } | { error: string }
  sampling: NonNullable<Results['serving']>['served_sampling']
}

/** results.json `serving`: the store's bills against the truth and the bills topic, its rated rows against the rated topic. */
function servingResults(serving: ServingReadBack, truth: RunTruth, output: PipelineOutput, toMinor: (subunits: number) => number): NonNullable<Results['serving']> {
  const base = { store: 'cassandra' as const, contact_point: serving.contactPoint, keyspace: serving.keyspace, served_sampling: serving.sampling }
  if ('error' in serving.content) return { ...base, billing: null, read_error: serving.content.error }
  const expectedBySubscriber = new Map<string, number>()
  for (const charge of truth.expectedCharges.values()) expectedBySubscriber.set(charge.subscriber, (expectedBySubscriber.get(charge.subscriber) ?? 0) + charge.chargeSubunits)
  const billing = scoreStoreBilling({
    expectedBySubscriber,
    storeBills: new Map(serving.content.bills.map((b) => [b.subscriber, b.chargeSubunits])),
    topicBills: new Map([...output.bills.values()].map((b) => [b.subscriber, b.chargeSubunits])),
    ratedOnTopic: new Set(output.ratedCount.keys()),
    ratedInStore: serving.content.ratedIds,
    toMinor,
  })
  return { ...base, billing, read_error: null }
}

/**
 * CPU seconds a named process used over its samples, summed per pid: a restarted broker or driver is a new process
 * whose counter starts again at 0 (subtracting across the restart gave negative CPU). Each pid's use is its last
 * reading minus its first; what a process used between its last sample and its death is not seen.
 */
export function cpuSecondsAcrossRestarts(series: readonly ProcessSample[]): number {
  const byPid = new Map<number, { first: number; last: number }>()
  for (const s of series) {
    const seen = byPid.get(s.pid)
    if (seen === undefined) byPid.set(s.pid, { first: s.cpuSeconds, last: s.cpuSeconds })
    else seen.last = s.cpuSeconds
  }
  let total = 0
  for (const { first, last } of byPid.values()) total += last - first
  return total
}

function resourceUse(samples: Record<string, ProcessSample[]>): Results['resources'] {
  const resources: Results['resources'] = {}
  for (const [name, series] of Object.entries(samples)) {
    const last = series[series.length - 1]
    const first = series[0]
    if (last === undefined || first === undefined) continue
    const cpuS = cpuSecondsAcrossRestarts(series)
    const wallS = (last.atMs - first.atMs) / 1000
    resources[name] = { cpu_seconds: cpuS, cpu_avg_cores: wallS > 0 ? cpuS / wallS : 0, rss_max_bytes: Math.max(...series.map((s) => s.rssBytes)), samples: series.length }
  }
  return resources
}

/** Assembles results.json from a run's output, its truth and its measurements, and evaluates the verdict. */
export function scoreRun(b: ScoreRunInput): Results {
  const c = b.output
  const dlqReasonById = new Map<string, string>()
  for (const d of c.dlq) {
    const id = d.id ?? b.unparsableIdByRaw.get(d.raw)
    if (id !== undefined) dlqReasonById.set(id, d.reason)
  }
  const lostSendS: number[] = []
  const accounting = account({
    generatedIds: b.generatedUsageIds,
    ratedCount: c.ratedCount,
    dlqReasonById,
    neverReadIds: new Set([...(b.unreadInput !== null && 'ids' in b.unreadInput ? b.unreadInput.ids : []), ...b.unsentUsageIds]),
    onLost: (i) => lostSendS.push(Math.floor((b.usageSendOffsetsNs[i] ?? 0) / 1e9)),
  })
  const integrity = attributeIntegrity({ faultInjectedAtS: b.faults.map((f) => f.injected_at_s), duplicateArrivalsS: c.duplicateArrivalsS, lostSendS })
  const rated = new Map<string, { subscriber: string; chargeSubunits: number; count: number }>()
  for (const [id, count] of c.ratedCount) rated.set(id, { subscriber: c.ratedSubscriber.get(id) ?? '', chargeSubunits: c.ratedCharge.get(id) ?? 0, count })
  const bills = new Map([...c.bills.values()].map((bill) => [bill.subscriber, bill.chargeSubunits]))
  const billing = b.truth.expectedCharges.size > 0 ? scoreBilling({ expected: b.truth.expectedCharges, rated, bills, toMinor: b.toMinor }) : null
  const notRun = familiesNotRun(b.plan.queries)
  // `detection` is the rules'; each learned detector is scored on its own alerts in `models`.
  const detection = scoreDetection(scopeDetectionInput({
    labels: b.truth.labels,
    anomalies: b.truth.anomalies,
    alerts: c.alerts.filter((a) => detectorOf(a) === ruleDetector).map((a) => detectedAlert(a, b.clock)),
    charges: b.truth.expectedCharges.values(),
    toMinor: b.toMinor,
  }, notRun))
  const loadS = b.pacer.wallNs / 1e9
  const latency = b.latency.summaries
  const partial: Omit<Results, 'verdict' | 'state'> = {
    schema_version: resultsSchemaVersion,
    telcobench: b.producer,
    run_id: b.runId,
    scenario: b.plan.name,
    started_at: b.startedAt.toISOString(),
    duration_s: (b.finishedAt.getTime() - b.startedAt.getTime()) / 1000,
    accounting,
    latency,
    latency_warmup: { warmup_s: b.plan.warmupS, streams: b.latency.warmupSummaries },
    delivery: b.delivery,
    latency_breakdown: b.latencyBreakdown ?? null,
    throughput: {
      // Offered = what the schedule asked for over the planned time; achieved = what was acknowledged over
      // the time it really took. A generator that cannot keep up stretches the second denominator.
      offered_eps: b.plan.durationS > 0 ? b.pacer.sent / b.plan.durationS : 0,
      achieved_eps: loadS > 0 ? (b.pacer.sent - b.pacer.sendErrors) / Math.max(loadS, b.plan.durationS) : 0,
      estimated_eps: b.plan.offeredEps,
      output_eps: loadS > 0 ? c.ratedRecords / loadS : 0,
      schedule_delay_p99_ms: latency['schedule_delay']?.p99 ?? null,
      schedule_delay_outside_faults_p99_ms: summarize(b.latency.histograms.schedule_delay_outside_faults)?.p99 ?? null,
      send_errors: b.pacer.sendErrors,
      send_retries: b.pacer.sendRetries,
      producer_sessions: b.pacer.producerSessions,
      generator_workers: b.loadCost.generatorWorkers,
      harness_cpu_ms_per_1000_events: b.pacer.sent > 0 ? (b.loadCost.harnessCpuS * 1000) / (b.pacer.sent / 1000) : null,
    },
    billing,
    detection: detection.byKind,
    detection_summary: detectionSummary(detection, notRun),
    faults: b.faults.map((f, i) => ({ ...f, integrity: integrity.by_fault[i] ?? { lost: 0, duplicate_copies: 0 } })),
    unplanned_exits: [...b.unplannedExits],
    integrity_before_faults: integrity.before_faults,
    steady_state: b.timeline?.steady_state ?? null,
    timeline: b.timeline?.timeline ?? null,
    measurement_cost: b.timeline?.measurement_cost ?? null,
    cluster: { brokers: b.plan.cluster.brokers, replication_factor: b.plan.cluster.replicationFactor, min_insync_replicas: b.plan.cluster.minInsyncReplicas },
    availability: b.timeline?.availability ?? null,
    security: b.security ?? null,
    batch: b.batch === null ? null : batchResults(b, b.batch, { accounting, billing, detection, resultLatency: latency['bills'] ?? null, lateRatedExactly: lateRatedExactly(b.truth.injections, b.truth.expectedCharges, (id) => (c.ratedCount.has(id) ? c.ratedCharge.get(id) : undefined)).rated }),
    engine: summarizeEngineProgress(c.progress),
    outputs: { rated_records: c.ratedRecords, distinct_rated: c.ratedCount.size, bill_records: c.billRecords, billed_subscribers: c.bills.size, alerts: c.alerts.length, dlq: c.dlq.length, progress_events: c.progress.length, unparsable: Object.fromEntries(c.unparsable) },
    resources: resourceUse(b.samples),
    machine_busy: machineBusy(b.machineLoad),
    serving: b.serving == null ? null : servingResults(b.serving, b.truth, c, b.toMinor),
    models: scoreModels(b),
  }
  const verdict = evaluateVerdict(partial, b.plan, { histograms: b.latency.histograms, intervals: b.latency.intervals, accountingHolds: accountingHolds(accounting), aborted: b.aborted, thresholdAbort: b.thresholdAbort, outputReadFailure: c.readFailure, inputReadBackFailure: b.unreadInput !== null && 'error' in b.unreadInput ? b.unreadInput.error : null })
  return { ...partial, ...verdict }
}

/** The alerts' `detector` for the hand-written detectors. */
const ruleDetector = 'rule'

const detectorOf = (a: AlertRecord): string => a.detector ?? ruleDetector

function detectedAlert(a: AlertRecord, clock: ScenarioClock): DetectedAlert {
  return { kind: a.kind, entityType: a.entityType, entity: a.entity, windowStart: a.windowStart, windowEnd: a.windowEnd, detectedAtMs: scenarioMsAt(clock, a.seenNs) }
}

/**
 * results.json `models`: each learned detector of the run's model folder scored on its own alerts against the same
 * truth as the rules, its family only (the network model raises cell alerts: its fraud side would read as misses,
 * and the fraud model's anomaly side).
 */
function scoreModels(b: ScoreRunInput): ModelsResult | null {
  const models = b.plan.models
  if (models === null) return null
  const m = models.manifest
  const network = m.detectors.network
  const fraud = m.detectors.fraud
  const notRun = familiesNotRun(b.plan.queries)
  const scoreOwn = (detector: string, otherFamily: DetectionFamily): { alerts: number; detection: Record<string, KindDetection> } => {
    const alerts = b.output.alerts.filter((a) => detectorOf(a) === detector)
    const scored = scoreDetection(scopeDetectionInput({ labels: b.truth.labels, anomalies: b.truth.anomalies, alerts: alerts.map((a) => detectedAlert(a, b.clock)), charges: [], toMinor: b.toMinor }, [otherFamily, ...notRun]))
    return { alerts: alerts.length, detection: scored.byKind }
  }
  const evaluationCells = new Set(b.truth.anomalies.map((a) => a.cell))
  const evaluationFraud = new Set(b.truth.labels.filter((l) => l.fraud).flatMap((l) => [l.entity, ...l.callers]))
  return {
    folder: models.dir,
    training: { scenario: m.scenario, seed: m.seed, trained_at: m.trained_at, training_wall_s: m.training_wall_s },
    evaluation: { scenario: b.plan.name, seed: b.plan.seed },
    shared_anomaly_cells: m.anomaly_cells.filter((cell) => evaluationCells.has(cell)),
    shared_fraud_entities: (fraud?.fraud_entities ?? []).filter((e) => evaluationFraud.has(e)),
    detectors: {
      [network.detector]: {
        family: network.family,
        algorithm: network.algorithm,
        features: network.features,
        training_rows: network.rows,
        training_class_counts: network.class_counts,
        fit_s: network.fit_s,
        ...scoreOwn(network.detector, 'fraud'),
        forecast: null,
      },
      ...(fraud !== undefined
        ? {
            [fraud.detector]: {
              family: fraud.family,
              algorithm: fraud.algorithm,
              features: fraud.features,
              training_rows: fraud.rows,
              training_class_counts: fraud.class_counts,
              fit_s: fraud.fit_s,
              ...scoreOwn(fraud.detector, 'anomaly'),
              forecast: null,
            },
          }
        : {}),
      ...(m.detectors.forecast === undefined ? {} : scoreForecaster(b, m.detectors.forecast)),
    },
  }
}

/**
 * The outage forecaster (docs/ml.md "Forecasting"): its alerts scored per outage by lead time, each at its
 * prediction time (`windowEnd`, the end of the PM period it was made on), not its receipt time.
 */
function scoreForecaster(b: ScoreRunInput, f: ForecastManifest): ModelsResult['detectors'] {
  const alerts = b.output.alerts.filter((a) => detectorOf(a) === f.detector)
  const scored = scoreForecasts({ anomalies: b.truth.anomalies, alerts: alerts.map((a) => ({ cell: a.entity, predictedAtMs: a.windowEnd })), horizonMs: f.horizon_s * 1000 })
  return {
    [f.detector]: {
      family: f.family,
      algorithm: f.algorithm,
      features: f.features,
      training_rows: f.rows,
      training_class_counts: f.class_counts,
      fit_s: f.fit_s,
      alerts: alerts.length,
      detection: {},
      forecast: { horizon_periods: f.horizon_periods, ...scored },
    },
  }
}

/** Every usage record's batch time-to-result (µs histogram): its result is the batch output, intended send → batch done. */
export function batchResultLatency(usageSendOffsetsNs: readonly number[], runStartNs: bigint, doneNs: bigint): Histogram {
  const latency = newHistogram()
  const doneOffsetNs = Number(doneNs - runStartNs)
  for (const offset of usageSendOffsetsNs) latency.recordValue(Math.max(1, Math.round((doneOffsetNs - offset) / 1000)))
  return latency
}

/** Scores the batch baseline with the same scorers and sets it beside the stream. */
function batchResults(b: ScoreRunInput, run: BatchRun, streaming: ComparedSide): BatchResults {
  const base = { finished_after_s: run.wallMs / 1000, results_file: run.resultsFile }
  if ('error' in run) return { state: 'unreadable', ...base, error: run.error }
  const scored = scoreBatch({ output: run.output, generatedUsageIds: b.generatedUsageIds, truth: b.truth, toMinor: b.toMinor, availableAtMs: scenarioMsAt(b.clock, run.doneNs) })
  const latency = batchResultLatency(b.usageSendOffsetsNs, b.clock.runStartNs, run.doneNs)
  const batchCharge = new Map(run.output.rated.map((r) => [r.id, r.chargeSubunits]))
  const late = lateRatedExactly(b.truth.injections, b.truth.expectedCharges, (id) => batchCharge.get(id))
  const batchSide: ComparedSide = { ...scored, resultLatency: summarize(latency), lateRatedExactly: late.rated }
  return {
    state: 'scored',
    ...base,
    counts: run.output.counts,
    accounting: scored.accounting,
    billing: scored.billing,
    detection: scored.detection.byKind,
    detection_summary: detectionSummary(scored.detection),
    result_latency: batchSide.resultLatency,
    late_data: { late: late.late, streaming: streaming.lateRatedExactly, batch: late.rated },
    comparison: compareStreamingBatch(streaming, batchSide),
  }
}
