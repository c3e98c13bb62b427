import type { Histogram } from 'hdr-histogram-js'
import { parseMetricKey, parseThreshold, type ThresholdMetricName } from '../../generators/index.ts'
import type { Results, ThresholdResult, VerdictReason, VerdictReasonCode } from '../results/index.ts'
import { describeAbort, type AbortDecision } from '../score/abort-watch.ts'
import { compare, observe, observeWindows, type MetricData } from '../score/thresholds.ts'
import { describeExit, roleOf } from './deaths.ts'
import type { RunPlan } from './plan.ts'

/** Bound on the generator's schedule delay p99 above which the run is invalid (docs/method.md §1.6). */
export const maxScheduleDelayP99Ms = 1000
/** Largest generator shortfall (1 − achieved/offered) a valid run may have. */
export const maxShortfallRatio = 0.05

const scalarOrNull = (value: number | null): MetricData | null => (value === null ? null : { kind: 'scalar', value })

/** The latency streams behind the trend metrics, by the stream's name in results.json. */
export type TrendStream = 'rated' | 'bills' | 'alerts' | 'schedule_delay'

export interface VerdictContext {
  histograms: Record<TrendStream, Histogram>
  /** Per-second histograms by receipt second after load start (LatencyRecorder.intervals), for windowed thresholds. */
  intervals: Record<TrendStream, ReadonlyMap<number, Histogram>>
  accountingHolds: boolean
  /** Interrupted (Ctrl-C, SIGTERM). */
  aborted: boolean
  /** The abortOnFail threshold that stopped the load, or null. */
  thresholdAbort: AbortDecision | null
  /** Why the harness stopped reading the outputs early (null: it read to the end). */
  outputReadFailure: string | null
  /** Why the input topic could not be read back to tell unprocessed records from lost ones (null: read, or not needed). */
  inputReadBackFailure: string | null
}

/** The observed data of every threshold metric; a metric without a value (e.g. recall without fraud in the truth) is null. */
function metricData(r: Omit<Results, 'verdict' | 'state'>, ctx: VerdictContext, shortfall: number): Record<ThresholdMetricName, MetricData | null> {
  return {
    pipeline_e2e_latency_ms: { kind: 'trend', histogram: ctx.histograms.rated },
    bills_e2e_latency_ms: { kind: 'trend', histogram: ctx.histograms.bills },
    alert_latency_ms: { kind: 'trend', histogram: ctx.histograms.alerts },
    schedule_delay_ms: { kind: 'trend', histogram: ctx.histograms.schedule_delay },
    lost_events: { kind: 'scalar', value: r.accounting.lost },
    dup_events: { kind: 'scalar', value: r.accounting.duplicate_copies },
    dlq_events: { kind: 'scalar', value: r.accounting.dlq },
    late_events: { kind: 'scalar', value: r.accounting.late_dropped },
    billing_error_ratio: { kind: 'scalar', value: r.billing?.billing_error_ratio ?? 0 },
    leakage_ratio: { kind: 'scalar', value: r.billing?.leakage_ratio ?? 0 },
    overbilling_ratio: { kind: 'scalar', value: r.billing?.overbilling_ratio ?? 0 },
    charge_exact_match_ratio: { kind: 'scalar', value: r.billing?.exact_match_ratio ?? 1 },
    achieved_rate_eps: { kind: 'scalar', value: r.throughput.achieved_eps },
    generator_shortfall_ratio: { kind: 'scalar', value: shortfall },
    fraud_recall: scalarOrNull(r.detection_summary.fraud.recall),
    fraud_precision: scalarOrNull(r.detection_summary.fraud.precision),
    anomaly_recall: scalarOrNull(r.detection_summary.anomaly.recall),
    anomaly_precision: scalarOrNull(r.detection_summary.anomaly.precision),
    consumer_lag_trend_eps: scalarOrNull(r.steady_state?.lag_trend_eps ?? null),
  }
}

/** A detection metric tagged with a kind reads that kind's figure (`fraud_recall{kind:SIMBOX}`). */
function taggedData(r: Omit<Results, 'verdict' | 'state'>, metric: string, kind: string): MetricData | null {
  const d = r.detection[kind]
  if (d === undefined) return null
  return scalarOrNull(metric.endsWith('_recall') ? d.recall : d.precision)
}

/** The per-second stream behind each trend metric (windowed and abortOnFail thresholds read it). */
export const trendStreams: Partial<Record<ThresholdMetricName, TrendStream>> = {
  pipeline_e2e_latency_ms: 'rated',
  bills_e2e_latency_ms: 'bills',
  alert_latency_ms: 'alerts',
  schedule_delay_ms: 'schedule_delay',
}

function evaluateThresholds(r: Omit<Results, 'verdict' | 'state'>, plan: RunPlan, ctx: VerdictContext, shortfall: number): ThresholdResult[] {
  const data = metricData(r, ctx, shortfall)
  const results: ThresholdResult[] = []
  for (const [key, list] of Object.entries(plan.thresholds)) {
    const { metric, tags } = parseMetricKey(key)
    const kind = tags['kind']
    const metricValue = kind !== undefined ? taggedData(r, metric, kind) : (data[metric as ThresholdMetricName] as MetricData | null | undefined)
    for (const { expr, windowS } of list) {
      const parsed = parseThreshold(expr)
      if ('error' in parsed) {
        // validate refuses bad expressions; one that still comes here observes nothing and fails.
        results.push({ metric: key, expr, window_s: windowS, observed: null, worst_window: null, passed: false })
        continue
      }
      if (windowS !== null) {
        // validate allows a window on trend metrics only; on anything else it observes nothing and fails.
        const stream = trendStreams[metric as ThresholdMetricName]
        const windowed = stream === undefined ? null : observeWindows(parsed, ctx.intervals[stream], windowS, plan.warmupS, plan.durationS)
        results.push({ metric: key, expr, window_s: windowS, observed: windowed?.observed ?? null, worst_window: windowed?.window ?? null, passed: windowed?.passed ?? false })
        continue
      }
      // What has no value (an unknown metric, recall without fraud in the truth) fails its threshold.
      const observed = metricValue === undefined || metricValue === null ? null : observe(parsed, metricValue)
      results.push({ metric: key, expr, window_s: null, observed, worst_window: null, passed: observed !== null && compare(observed, parsed.operator, parsed.value) })
    }
  }
  return results
}

/** A failed threshold as a verdict reason; a windowed one names its worst window. */
function thresholdFailure(t: ThresholdResult): string {
  const observed = t.observed ?? 'n/a'
  if (t.window_s === null) return `threshold ${t.metric} '${t.expr}' failed (observed ${observed})`
  const where = t.worst_window === null ? 'n/a: no window of the load after the warm-up held a value' : `${observed} in the window ${t.worst_window.from_s}–${t.worst_window.to_s} s`
  return `threshold ${t.metric} '${t.expr}' in every ${t.window_s} s window failed (observed ${where})`
}

/** Turns results into the verdict: validity gates, built-in integrity checks, then the scenario's thresholds. */
export function evaluateVerdict(r: Omit<Results, 'verdict' | 'state'>, plan: RunPlan, ctx: VerdictContext): Pick<Results, 'verdict' | 'state'> {
  const shortfall = r.throughput.offered_eps > 0 ? Math.max(0, 1 - r.throughput.achieved_eps / r.throughput.offered_eps) : 0
  const thresholds = evaluateThresholds(r, plan, ctx, shortfall)
  // A Spark driver or broker that died while nobody asked it to is the run's result, whatever else went wrong after.
  const died: VerdictReason[] = r.unplanned_exits.map((e) => ({ code: roleOf(e.process) === 'broker' ? 'broker_died' : 'pipeline_died', message: describeExit(e) }))
  const invalid: VerdictReason[] = []
  const failed: VerdictReason[] = []
  const reason = (list: VerdictReason[], code: VerdictReasonCode, message: string): void => {
    list.push({ code, message })
  }
  if (r.throughput.send_errors > 0) reason(invalid, 'send_errors', `${r.throughput.send_errors} records could not be sent to Kafka`)
  // The harness, not the pipeline, lost sight of the outputs: what came after is unmeasured, not lost.
  if (ctx.outputReadFailure !== null) reason(invalid, 'output_read_failed', `the harness stopped reading the output topics ${ctx.outputReadFailure}`)
  // A broker that is down or paused back-pressures the producer: that delay is the fault's effect, measured in
  // the fault's recovery figures. The generator itself is judged on the seconds no fault window touched.
  const scheduleDelayP99 = r.throughput.schedule_delay_outside_faults_p99_ms ?? 0
  if (scheduleDelayP99 > maxScheduleDelayP99Ms) reason(invalid, 'generator_behind_schedule', `the generator fell behind its schedule: schedule delay p99 ${scheduleDelayP99} ms > ${maxScheduleDelayP99Ms} ms${r.faults.length > 0 ? ' outside the fault windows' : ''}`)
  if (shortfall > maxShortfallRatio) reason(invalid, 'generator_shortfall', `the generator offered ${(shortfall * 100).toFixed(1)}% less than the scenario rate`)
  // docs/method.md §1.6: a lag still growing when measurement started makes the figures unsettled (invalid);
  // a lag that never stops growing is the pipeline not sustaining the offered load, a result about it (failed).
  const steady = r.steady_state
  if (steady?.state === 'settled-late') reason(invalid, 'not_settled', `no steady state after the warm-up: ${steady.reason}`)
  if (!ctx.accountingHolds) reason(failed, 'accounting_broken', 'the accounting identity does not hold (rated_once + dlq + late_dropped + lost + duplicated + unprocessed ≠ generated)')
  if (r.accounting.lost > 0) reason(failed, 'lost_events', `${r.accounting.lost} events lost${ctx.inputReadBackFailure !== null ? ` (some may never have been read: the input topic could not be read back, ${ctx.inputReadBackFailure})` : ''}`)
  if (r.accounting.unprocessed > 0) reason(failed, 'unprocessed_events', `${r.accounting.unprocessed} events never read by the pipeline (still in the input topic)`)
  if (plan.guarantee === 'exactly-once' && r.accounting.duplicated > 0) reason(failed, 'duplicates_under_exactly_once', `${r.accounting.duplicated} events rated more than once under exactly-once`)
  if (steady?.state === 'never-settled') reason(failed, 'not_sustained', `no steady state: ${steady.reason}`)
  if (r.accounting.unexpected > 0) reason(failed, 'unexpected_ids', `${r.accounting.unexpected} rated ids were never generated`)
  const intruder = r.security?.intruder ?? null
  if (intruder !== null && (intruder.refused < intruder.attempts.length || intruder.landed > 0)) {
    const let_in = intruder.attempts.filter((a) => !a.refused).map((a) => `${a.intruder} ${a.action} (${a.detail})`)
    reason(failed, 'intruder_not_refused', `the secured broker did not refuse every intruder: ${[...let_in, ...(intruder.landed > 0 ? [`${intruder.landed} intruder records landed`] : [])].join('; ')}`)
  }
  for (const t of thresholds) if (!t.passed) reason(failed, 'threshold_failed', thresholdFailure(t))
  const reasons = [...died, ...invalid, ...failed]
  const stopped = ctx.thresholdAbort
  const state: Results['state'] = ctx.aborted || stopped !== null ? 'aborted' : died.length > 0 ? 'failed' : invalid.length > 0 ? 'invalid' : failed.length > 0 ? 'failed' : 'passed'
  // An abortOnFail stop comes before what follows from it (a load cut short offers less than the scenario).
  if (stopped !== null) reasons.unshift({ code: 'aborted', message: `the load was stopped at ${stopped.atS.toFixed(1)} s: ${describeAbort(stopped)}` })
  if (ctx.aborted) reasons.unshift({ code: 'interrupted', message: 'the run was interrupted' })
  return { state, verdict: { passed: state === 'passed', reasons, thresholds } }
}
