import type { Bottleneck, CapacityRun } from '../results/index.ts'
import { medianOf } from '../stats/index.ts'

/** What bottleneck naming needs of a configuration. */
export interface BottleneckContext {
  /** Micro-batch trigger interval, ms; null in real-time mode or when unknown. */
  triggerIntervalMs: number | null
  /** Cores of the machine the runs shared (the local runtime) or null for an external cluster. */
  machineCores: number | null
}

/** Above this produce response p99 the broker, not the pipeline, is holding the producers back. */
const slowBrokerMs = 1000
/** Total CPU of the measured processes above this share of the machine's cores: nothing is left to give. */
const saturatedShare = 0.9

const fmt = (n: number | null | undefined, digits = 0): string => (n === null || n === undefined ? 'n/a' : n.toFixed(digits))

function median(runs: readonly CapacityRun[], read: (r: CapacityRun) => number | null | undefined): number | null {
  return medianOf(runs.flatMap((r) => {
    const v = read(r)
    return v === null || v === undefined ? [] : [v]
  }))
}

/** What each stage of the rated stream's latency breakdown (docs/method.md §1.1a) says about where the time went. */
const stageMeaning: Record<string, { component: Bottleneck['component']; says: string }> = {
  to_broker: { component: 'broker', says: 'events wait between their intended send and the broker\'s append (producer queueing, broker acknowledgement)' },
  wait_for_trigger: { component: 'spark', says: 'records wait in Kafka for the next micro-batch: a shorter trigger or real-time mode shortens it' },
  batch_start: { component: 'spark', says: 'micro-batches spend their start planning and fetching before tasks read the records' },
  processing: { component: 'spark', says: 'Spark\'s tasks take that long from reading a record to producing its rated record' },
  to_engine: { component: 'spark', says: 'records wait between the broker\'s append and the engine reading them' },
  delivery: { component: 'broker', says: 'rated records take that long from the engine\'s producer to the measuring consumer' },
}

/**
 * The latency SLO failed while the lag held: the system keeps up, but too slowly for the SLO. The stage of the
 * latency breakdown with the largest mean says where the time went.
 */
function latencyOnlyMiss(limitRuns: readonly CapacityRun[]): { component: Bottleneck['component']; summary: string; evidence: string } | null {
  const sloMisses = limitRuns.flatMap((r) => r.reasons.filter((reason) => reason.startsWith('slo:')))
  if (sloMisses.length === 0) return null
  const stages = [...new Set(limitRuns.flatMap((r) => Object.keys(r.stage_means_ms ?? {})))]
  const means = stages.map((stage) => ({ stage, mean: median(limitRuns, (r) => r.stage_means_ms?.[stage]) ?? 0 }))
  const total = means.reduce((sum, m) => sum + m.mean, 0)
  const largest = [...means].sort((a, b) => b.mean - a.mean)[0]
  const missed = sloMisses[0]?.replace(/^slo: /, '') ?? ''
  if (largest === undefined || total <= 0) return { component: 'unknown', summary: `the lag held but ${missed}; the runs carry no latency breakdown to say where the time went`, evidence: 'no latency breakdown in the runs' }
  const meaning = stageMeaning[largest.stage] ?? { component: 'unknown' as const, says: 'see docs/method.md for the stage' }
  return {
    component: meaning.component,
    summary: `the lag held but ${missed}: most of the latency is the ${largest.stage} stage (mean ${fmt(largest.mean)} of ${fmt(total)} ms): ${meaning.says}`,
    evidence: `rated latency stage means: ${means.map((m) => `${m.stage} ${fmt(m.mean)} ms`).join(', ')}`,
  }
}

/**
 * Names the component that limited a configuration, from the runs at the first rate it could not hold (medians
 * over their repeats), with the figures that say so. Order matters: a harness that fell behind makes every other
 * figure unreliable; then Spark batches slower than their interval; then a broker slow to acknowledge; then the
 * largest CPU consumer of a saturated machine; then a lag that did not settle; then, when only a latency SLO failed, the
 * slowest stage of the latency breakdown.
 */
export function nameBottleneck(limitRuns: readonly CapacityRun[], ctx: BottleneckContext): Bottleneck {
  const rate = median(limitRuns, (r) => r.offered_eps)
  const scheduleP99 = median(limitRuns, (r) => r.schedule_delay_p99_ms)
  const produceP99 = median(limitRuns, (r) => r.produce_response_p99_ms)
  const lagTrend = median(limitRuns, (r) => r.lag_trend_eps)
  const harnessCpu = median(limitRuns, (r) => r.harness_cpu_ms_per_1000_events)
  const processes = [...new Set(limitRuns.flatMap((r) => Object.keys(r.cpu_cores)))]
  const cpu = Object.fromEntries(processes.map((p) => [p, median(limitRuns, (r) => r.cpu_cores[p]) ?? 0]))
  const totalCpu = Object.values(cpu).reduce((s, c) => s + c, 0)
  const queries = [...new Set(limitRuns.flatMap((r) => Object.keys(r.trigger_p50_ms)))]
  const triggers = queries.map((q) => ({ query: q, p50: median(limitRuns, (r) => r.trigger_p50_ms[q]) })).filter((t): t is { query: string; p50: number } => t.p50 !== null)
  const slowest = triggers.sort((a, b) => b.p50 - a.p50)[0]

  const evidence = [
    `offered ${fmt(rate)} ev/s; lag ${limitRuns.map((r) => r.lag_state ?? 'n/a').join(', ')} (trend ${fmt(lagTrend, 1)} ev/s)`,
    `generator schedule delay p99 ${fmt(scheduleP99)} ms; harness CPU ${fmt(harnessCpu, 2)} ms per 1,000 events`,
    `broker produce response p99 ${fmt(produceP99)} ms`,
    `CPU cores: ${Object.entries(cpu).map(([p, c]) => `${p} ${c.toFixed(2)}`).join(', ')}${ctx.machineCores !== null ? ` (total ${totalCpu.toFixed(2)} of ${ctx.machineCores})` : ''}`,
    triggers.length === 0 ? 'no Spark progress records' : `Spark trigger execution p50: ${triggers.map((t) => `${t.query} ${t.p50} ms`).join(', ')}${ctx.triggerIntervalMs !== null ? ` (interval ${ctx.triggerIntervalMs} ms)` : ' (real-time mode)'}`,
  ]
  const busy = limitRuns.filter((r) => r.machine_busy === true).length
  if (busy > 0) evidence.push(`${busy} of ${limitRuns.length} run(s) here shared the machine with other work (results.machine_busy): every figure above is coloured by it`)
  const say = (component: Bottleneck['component'], summary: string): Bottleneck => ({ component, summary, evidence })

  if (limitRuns.some((r) => r.outcome === 'invalid')) return say('generator', `the harness could not offer ${fmt(rate)} ev/s (schedule delay p99 ${fmt(scheduleP99)} ms): the load generator, not the system, was the limit`)
  if (slowest !== undefined && ctx.triggerIntervalMs !== null && slowest.p50 >= ctx.triggerIntervalMs) {
    return say('spark', `Spark: the ${slowest.query} query's micro-batches take ${slowest.p50} ms (p50), longer than the ${ctx.triggerIntervalMs} ms trigger, so input queues up`)
  }
  if (produceP99 !== null && produceP99 > slowBrokerMs) return say('broker', `the broker: produce requests take ${fmt(produceP99)} ms to acknowledge (p99)`)
  const busiest = Object.entries(cpu).sort(([, a], [, b]) => b - a)[0]
  if (ctx.machineCores !== null && totalCpu >= saturatedShare * ctx.machineCores && busiest !== undefined) {
    const [name, cores] = busiest
    const component: Bottleneck['component'] = name === 'spark' ? 'spark' : name === 'broker' ? 'broker' : name === 'harness' ? 'generator' : 'machine'
    return say(component, `the machine's ${ctx.machineCores} cores are saturated (${totalCpu.toFixed(2)} busy) and ${name} uses the most (${cores.toFixed(2)} cores)`)
  }
  const lagGrew = limitRuns.some((r) => r.lag_state !== null && r.lag_state !== 'steady')
  if (lagGrew && lagTrend !== null && lagTrend > 0) return say('spark', `Spark consumes slower than the offered rate: the input lag grows by ${fmt(lagTrend, 1)} ev/s`)
  const latencyMiss = latencyOnlyMiss(limitRuns)
  if (latencyMiss !== null) {
    evidence.push(latencyMiss.evidence)
    return say(latencyMiss.component, latencyMiss.summary)
  }
  return say('unknown', 'the runs failed their SLOs but no single figure points at one component; see the evidence and the run folders')
}
