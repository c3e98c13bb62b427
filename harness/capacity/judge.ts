import type { CapacityRun, Results, VerdictReasonCode } from '../results/index.ts'
import { observedMs, sloHolds, type LatencySlo } from './slo.ts'

/**
 * Verdict codes that say the harness, not the system under test, fell short: the point is unmeasured (invalid),
 * never passed or failed. Everything else the run's verdict holds against the pipeline is a capacity failure,
 * except the scenario's own thresholds, which the `--slo` list replaces.
 */
const harnessCodes: ReadonlySet<VerdictReasonCode> = new Set(['generator_behind_schedule', 'generator_shortfall', 'output_read_failed', 'interrupted'])
const ignoredCodes: ReadonlySet<VerdictReasonCode> = new Set(['threshold_failed'])

/** A run that ended without results.json (an infrastructure error): unmeasured. */
export function runWithoutResults(folder: string | null, error: string): CapacityRun {
  return { folder, outcome: 'invalid', reasons: [error], offered_eps: null, achieved_eps: null, p99_ms: {}, lag_state: null, lag_trend_eps: null, schedule_delay_p99_ms: null, produce_response_p99_ms: null, trigger_p50_ms: {}, cpu_cores: {}, harness_cpu_ms_per_1000_events: null, machine_busy: null }
}

/**
 * Judges one run against the capacity rule: nothing lost or unprocessed, the lag flat (steady state), every
 * latency SLO held; invalid when the harness could not offer the load.
 */
export function judgeRun(r: Results, folder: string, slos: readonly LatencySlo[]): CapacityRun {
  const invalid: string[] = []
  const failed: string[] = []
  for (const reason of r.verdict.reasons) {
    if (ignoredCodes.has(reason.code)) continue
    if (harnessCodes.has(reason.code)) invalid.push(`${reason.code}: ${reason.message}`)
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
  }
}

/** A point's verdict from its repeats: a valid failure decides; then an unmeasured repeat; pass only when all passed. */
export function pointVerdict(runs: readonly Pick<CapacityRun, 'outcome'>[]): CapacityRun['outcome'] {
  if (runs.some((r) => r.outcome === 'fail')) return 'fail'
  if (runs.length === 0 || runs.some((r) => r.outcome === 'invalid')) return 'invalid'
  return 'pass'
}
