import type { Histogram } from 'hdr-histogram-js'
import { compare, observe, parseThreshold, type MetricData } from '../score/thresholds.ts'
import type { RunPlan } from './plan.ts'
import type { Results, ThresholdResult } from './results.ts'

/** Metrics a scenario threshold may name (docs/method.md names, with units). */
export const thresholdMetrics = {
  pipeline_e2e_latency_ms: 'trend',
  bills_e2e_latency_ms: 'trend',
  alert_latency_ms: 'trend',
  schedule_delay_ms: 'trend',
  lost_events: 'scalar',
  dup_events: 'scalar',
  dlq_events: 'scalar',
  late_events: 'scalar',
  billing_error_ratio: 'scalar',
  leakage_ratio: 'scalar',
  overbilling_ratio: 'scalar',
  charge_exact_match_ratio: 'scalar',
  achieved_rate_eps: 'scalar',
  generator_shortfall_ratio: 'scalar',
  fraud_recall: 'scalar',
  fraud_precision: 'scalar',
  anomaly_recall: 'scalar',
  anomaly_precision: 'scalar',
  consumer_lag_trend_eps: 'scalar',
} as const
export type ThresholdMetric = keyof typeof thresholdMetrics

/** Problems with a scenario's thresholds (unknown metric, bad expression), found before any JVM starts. */
export function thresholdProblems(thresholds: Record<string, string[]>): string[] {
  const problems: string[] = []
  for (const [metric, exprs] of Object.entries(thresholds)) {
    if (!(metric in thresholdMetrics)) problems.push(`thresholds.${metric}: unknown metric (known: ${Object.keys(thresholdMetrics).join(', ')})`)
    for (const e of exprs) {
      const parsed = parseThreshold(e)
      if ('error' in parsed) problems.push(`thresholds.${metric}: ${parsed.error}`)
    }
  }
  return problems
}

/** Bound on the generator's schedule delay p99 above which the run is invalid (docs/method.md §1.6). */
export const maxScheduleDelayP99Ms = 1000
/** Largest generator shortfall (1 − achieved/offered) a valid run may have. */
export const maxShortfallRatio = 0.05

const scalarOrNull = (value: number | null): MetricData | null => (value === null ? null : { kind: 'scalar', value })

export interface VerdictContext {
  histograms: { rated: Histogram; bills: Histogram; alerts: Histogram; schedule_delay: Histogram }
  accountingHolds: boolean
  aborted: boolean
  /** Why the harness stopped reading the outputs early (null: it read to the end). */
  outputReadFailure: string | null
}

/** Turns results into the verdict: validity gates, built-in integrity checks, then the scenario's thresholds. */
export function evaluateVerdict(r: Omit<Results, 'verdict' | 'state'>, plan: RunPlan, ctx: VerdictContext): Pick<Results, 'verdict' | 'state'> {
  const shortfall = r.throughput.offered_eps > 0 ? Math.max(0, 1 - r.throughput.achieved_eps / r.throughput.offered_eps) : 0
  // A metric without a value (e.g. recall when the truth holds no fraud) fails any threshold on it.
  const data: Record<ThresholdMetric, MetricData | null> = {
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
  const thresholds: ThresholdResult[] = []
  for (const [metric, exprs] of Object.entries(plan.thresholds)) {
    for (const expr of exprs) {
      const parsed = parseThreshold(expr)
      const metricData = data[metric as ThresholdMetric] as MetricData | null | undefined
      if ('error' in parsed || metricData === undefined || metricData === null) {
        thresholds.push({ metric, expr, observed: null, passed: false })
        continue
      }
      const observed = observe(parsed, metricData)
      thresholds.push({ metric, expr, observed, passed: observed !== null && compare(observed, parsed.operator, parsed.value) })
    }
  }
  const invalid: string[] = []
  if (r.throughput.send_errors > 0) invalid.push(`${r.throughput.send_errors} records could not be sent to Kafka`)
  // The harness, not the pipeline, lost sight of the outputs: what came after is unmeasured, not lost.
  if (ctx.outputReadFailure !== null) invalid.push(`the harness stopped reading the output topics ${ctx.outputReadFailure}`)
  // A broker that is down or paused back-pressures the producer: that delay is the fault's effect, measured in
  // the fault's recovery figures. The generator itself is judged on the seconds no fault window touched.
  const scheduleDelayP99 = r.throughput.schedule_delay_outside_faults_p99_ms
  if (scheduleDelayP99 > maxScheduleDelayP99Ms) invalid.push(`the generator fell behind its schedule: schedule delay p99 ${scheduleDelayP99} ms > ${maxScheduleDelayP99Ms} ms${r.faults.length > 0 ? ' outside the fault windows' : ''}`)
  if (shortfall > maxShortfallRatio) invalid.push(`the generator offered ${(shortfall * 100).toFixed(1)}% less than the scenario rate`)
  // docs/method.md §1.6: a lag still growing when measurement started makes the figures unsettled (invalid);
  // a lag that never stops growing is the pipeline not sustaining the offered load, a result about it (failed).
  const steady = r.steady_state
  const notSustained = steady?.state === 'never-settled'
  if (steady?.state === 'settled-late') invalid.push(`no steady state after the warm-up: ${steady.reason}`)
  const failed: string[] = []
  if (!ctx.accountingHolds) failed.push('the accounting identity does not hold (rated_once + dlq + late_dropped + lost + duplicated ≠ generated)')
  if (r.accounting.lost > 0) failed.push(`${r.accounting.lost} events lost`)
  if (plan.guarantee === 'exactly-once' && r.accounting.duplicated > 0) failed.push(`${r.accounting.duplicated} events rated more than once under exactly-once`)
  if (notSustained) failed.push(`no steady state: ${steady.reason}`)
  if (r.accounting.unexpected > 0) failed.push(`${r.accounting.unexpected} rated ids were never generated`)
  for (const t of thresholds) if (!t.passed) failed.push(`threshold ${t.metric} '${t.expr}' failed (observed ${t.observed ?? 'n/a'})`)
  const reasons = [...invalid, ...failed]
  const state: Results['state'] = ctx.aborted ? 'aborted' : invalid.length > 0 ? 'invalid' : failed.length > 0 ? 'failed' : 'passed'
  if (ctx.aborted) reasons.unshift('the run was interrupted')
  return { state, verdict: { passed: state === 'passed', reasons, thresholds } }
}
