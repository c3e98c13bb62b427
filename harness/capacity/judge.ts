import type { CapacityRun, Results, VerdictReasonCode } from '../results/index.ts'
import { observedMs, sloHolds, type LatencySlo } from './slo.ts'

/**
 * Verdict codes that say the harness, not the system under test, fell short: the point is unmeasured (invalid),
 * never passed or failed. Everything else the run's verdict holds against the pipeline is a capacity failure,
 * except the scenario's own thresholds, which the `--slo` list replaces.
 */
const harnessCodes: ReadonlySet<VerdictReasonCode> = new Set(['generator_behind_schedule', 'generator_shortfall', 'output_read_failed', 'interrupted'])
const ignoredCodes: ReadonlySet<VerdictReasonCode> = new Set(['threshold_failed'])

/** A generator thread using less than this share of a core was not what held the schedule back. */
const harnessBusyShare = 0.9

/** The two harness codes that the broker's backpressure can cause: a late schedule or a short offered rate. */
const backpressureCodes: ReadonlySet<VerdictReasonCode> = new Set(['generator_behind_schedule', 'generator_shortfall'])

/**
 * The generator fell behind or offered less, but not for want of CPU: its sends waited on the broker. The pacer keeps
 * a few sends in flight and waits for a free slot, so a broker slow to acknowledge (produce service time: the send
 * call to its acknowledgement) delays the schedule and, when the delay keeps growing, cuts the rate offered. When
 * that service time's p99 is at least the schedule delay's and the harness's threads had CPU to spare, the delay is
 * the system's backpressure, a capacity failure, not an invalid point. Returns the reason, or null when the harness
 * itself was the limit.
 */
function brokerBackpressure(r: Results): string | null {
  const scheduleP99 = r.throughput.schedule_delay_outside_faults_p99_ms
  const serviceP99 = r.latency['produce_service']?.p99 ?? null
  const harnessCores = r.resources['harness']?.cpu_avg_cores ?? null
  if (scheduleP99 === null || serviceP99 === null || harnessCores === null) return null
  if (serviceP99 < scheduleP99 || harnessCores >= harnessBusyShare * r.throughput.generator_workers) return null
  return `broker_backpressure: the generator's sends waited on the broker: produce service p99 ${Math.round(serviceP99)} ms ≥ schedule delay p99 ${Math.round(scheduleP99)} ms, while the harness used ${harnessCores.toFixed(2)} cores for ${r.throughput.generator_workers} generator thread(s)`
}

/** A run that ended without results.json (an infrastructure error): unmeasured. */
export function runWithoutResults(folder: string | null, error: string): CapacityRun {
  return { folder, outcome: 'invalid', reasons: [error], offered_eps: null, achieved_eps: null, p99_ms: {}, lag_state: null, lag_trend_eps: null, schedule_delay_p99_ms: null, produce_response_p99_ms: null, trigger_p50_ms: {}, cpu_cores: {}, harness_cpu_ms_per_1000_events: null, machine_busy: null }
}

/**
 * Judges one run against the capacity rule: nothing lost or unprocessed, the lag flat (steady state), every
 * latency SLO held; invalid when the harness could not offer the load, unless the broker's backpressure held it back.
 */
export function judgeRun(r: Results, folder: string, slos: readonly LatencySlo[]): CapacityRun {
  const invalid: string[] = []
  const failed: string[] = []
  for (const reason of r.verdict.reasons) {
    if (ignoredCodes.has(reason.code)) continue
    const backpressure = backpressureCodes.has(reason.code) ? brokerBackpressure(r) : null
    if (backpressure !== null) {
      if (!failed.includes(backpressure)) failed.push(backpressure)
    } else if (harnessCodes.has(reason.code)) invalid.push(`${reason.code}: ${reason.message}`)
    else failed.push(`${reason.code}: ${reason.message}`)
  }
  const p99: Record<string, number | null> = {}
  for (const slo of slos) {
    const observed = observedMs(slo, r.latency[slo.stream])
    p99[slo.stream] = r.latency[slo.stream]?.p99 ?? null
    if (!sloHolds(slo, observed)) failed.push(`slo: ${slo.text} does not hold (observed ${observed === null ? 'no values' : `${observed} ms`})`)
  }
  return {
    folder,
    outcome: invalid.length > 0 ? 'invalid' : failed.length > 0 ? 'fail' : 'pass',
    reasons: [...invalid, ...failed],
    offered_eps: r.throughput.offered_eps,
    achieved_eps: r.throughput.achieved_eps,
    p99_ms: p99,
    lag_state: r.steady_state?.state ?? null,
    lag_trend_eps: r.steady_state?.lag_trend_eps ?? null,
    schedule_delay_p99_ms: r.throughput.schedule_delay_outside_faults_p99_ms,
    produce_response_p99_ms: r.latency['produce_response']?.p99 ?? null,
    trigger_p50_ms: Object.fromEntries(Object.entries(r.engine).map(([query, e]) => [query, e.trigger_execution_ms.p50])),
    cpu_cores: Object.fromEntries(Object.entries(r.resources).map(([name, use]) => [name, use.cpu_avg_cores])),
    harness_cpu_ms_per_1000_events: r.throughput.harness_cpu_ms_per_1000_events,
    machine_busy: r.machine_busy.busy,
    ...(r.latency_breakdown === null ? {} : { stage_means_ms: Object.fromEntries(r.latency_breakdown.stages.map((s) => [s.stage, s.mean_ms])) }),
  }
}

/** A point's verdict from its repeats: a valid failure decides; then an unmeasured repeat; pass only when all passed. */
export function pointVerdict(runs: readonly Pick<CapacityRun, 'outcome'>[]): CapacityRun['outcome'] {
  if (runs.some((r) => r.outcome === 'fail')) return 'fail'
  if (runs.length === 0 || runs.some((r) => r.outcome === 'invalid')) return 'invalid'
  return 'pass'
}
