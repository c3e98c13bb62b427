import { runMetrics } from '../compare/index.ts'
import type { CapacityFile, Results } from '../results/index.ts'
import { runFigures } from '../sets/index.ts'

/**
 * The figures an evaluation suite names (docs/reproducing-the-paper.md "Figures"): a run's figures are compare's
 * metric names (`rated.p99`, `billing.charge_exact_match_ratio`, `detection.SIMBOX.recall`, docs/ci.md "Metrics")
 * and a few the paper's questions need besides; a capacity search's are its capacities and its USL fit.
 */

/** A figure's value and unit in one run, or null when the run did not measure it. */
export interface FigureValue {
  value: number | null
  unit: string
}

const billingRatios = 'charge_exact_match_ratio|bill_exact_match_ratio|bill_records_exact_match_ratio|leakage_ratio|overbilling_ratio|billing_error_ratio'
const latencyStreams = 'rated|bills|alerts|dlq|served|schedule_delay|produce_service|produce_response'
const kind = '[A-Z][A-Z0-9_]*'

/** The run figures by pattern, each with what it reads (for the unknown-figure hint and the docs). */
export const runFigurePatterns: readonly { pattern: RegExp; example: string }[] = [
  { pattern: new RegExp(`^(${latencyStreams})\\.(p50|p95|p99|p999)$`), example: 'rated.p99' },
  { pattern: /^throughput\.(achieved_eps|output_eps)$/, example: 'throughput.achieved_eps' },
  { pattern: /^accounting\.(lost_events|duplicated_events|duplicate_copies|dlq_events|late_dropped_events|unprocessed_events|unexpected_events)$/, example: 'accounting.lost_events' },
  { pattern: new RegExp(`^(batch\\.)?billing\\.(${billingRatios})$`), example: 'billing.billing_error_ratio' },
  { pattern: new RegExp(`^detection\\.${kind}\\.(precision|recall|f1|ttd_p50_s|ttd_p95_s)$`), example: 'detection.SIMBOX.recall' },
  { pattern: /^detection\.ttd_p50_s$/, example: 'detection.ttd_p50_s' },
  { pattern: /^(fraud|anomaly)\.(precision|recall)$/, example: 'fraud.recall' },
  { pattern: /^faults\.(lost_events|duplicate_copies)$/, example: 'faults.lost_events' },
  { pattern: /^faults\.[A-Za-z0-9_-]+\.(time_to_recover_s|time_to_drain_s)$/, example: 'faults.kill-spark.time_to_recover_s' },
  { pattern: /^resources\.[a-z0-9_-]+\.(cpu_avg_cores|rss_max_mib)$/, example: 'resources.broker.cpu_avg_cores' },
  { pattern: /^batch\.result_latency\.(p50|p99)$/, example: 'batch.result_latency.p50' },
  { pattern: /^security\.intruder_(refused|landed)$/, example: 'security.intruder_refused' },
]

/** The capacity figures: the highest capacity over the configurations, one configuration's, and a USL fit's. */
export const capacityFigurePatterns: readonly { pattern: RegExp; example: string }[] = [
  { pattern: /^capacity_eps$/, example: 'capacity_eps' },
  { pattern: /^capacity_eps\..+$/, example: 'capacity_eps.cores=4' },
  { pattern: /^usl\.[a-z_]+\.(peak_resources|r_squared|sigma|kappa)$/, example: 'usl.cores.peak_resources' },
]

/** Whether a figure name is one an experiment of this kind can give. */
export function isFigureOf(kindOfRun: 'run' | 'capacity', name: string): boolean {
  return (kindOfRun === 'run' ? runFigurePatterns : capacityFigurePatterns).some((p) => p.pattern.test(name))
}

/** A few names of the kind, for the hint of an unknown figure. */
export function figureExamples(kindOfRun: 'run' | 'capacity'): string {
  return (kindOfRun === 'run' ? runFigurePatterns : capacityFigurePatterns).map((p) => p.example).join(', ')
}

const mib = 2 ** 20

/** A figure of one run that compare has no name for. */
function suiteRunFigure(r: Results, name: string): FigureValue | undefined {
  const family = /^(fraud|anomaly)\.(precision|recall)$/.exec(name)
  if (family !== null) return { value: r.detection_summary[family[1] as 'fraud' | 'anomaly'][family[2] as 'precision' | 'recall'], unit: 'ratio' }
  const perKind = new RegExp(`^detection\\.(${kind})\\.(f1|ttd_p95_s)$`).exec(name)
  if (perKind !== null) {
    const d = r.detection[perKind[1] ?? '']
    return perKind[2] === 'f1' ? { value: d?.f1 ?? null, unit: 'ratio' } : { value: d?.ttd_p95_s ?? null, unit: 's' }
  }
  if (name === 'detection.ttd_p50_s') return { value: runFigures(r).figures.ttd_p50_s, unit: 's' }
  if (name === 'faults.lost_events') return { value: r.faults.length === 0 ? null : r.faults.reduce((s, f) => s + f.integrity.lost, 0), unit: 'events' }
  if (name === 'faults.duplicate_copies') return { value: r.faults.length === 0 ? null : r.faults.reduce((s, f) => s + f.integrity.duplicate_copies, 0), unit: 'events' }
  const resource = /^resources\.([a-z0-9_-]+)\.(cpu_avg_cores|rss_max_mib)$/.exec(name)
  if (resource !== null && resource[1] !== 'engine') {
    const p = r.resources[resource[1] ?? '']
    return resource[2] === 'cpu_avg_cores' ? { value: p?.cpu_avg_cores ?? null, unit: 'cores' } : { value: p === undefined ? null : p.rss_max_bytes / mib, unit: 'MiB' }
  }
  const batchLatency = /^batch\.result_latency\.(p50|p99)$/.exec(name)
  if (batchLatency !== null) return { value: r.batch?.state === 'scored' ? (r.batch.result_latency?.[batchLatency[1] as 'p50' | 'p99'] ?? null) : null, unit: 'ms' }
  const batchBilling = /^batch\.billing\.([a-z_]+)$/.exec(name)
  if (batchBilling !== null) {
    const billing = r.batch?.state === 'scored' ? r.batch.billing : null
    const key = batchBilling[1] === 'charge_exact_match_ratio' ? 'exact_match_ratio' : batchBilling[1]
    const value = billing === null ? null : (billing as Record<string, unknown>)[key ?? '']
    return { value: typeof value === 'number' ? value : null, unit: 'ratio' }
  }
  const intruder = /^security\.intruder_(refused|landed)$/.exec(name)
  if (intruder !== null) {
    const check = r.security?.intruder ?? null
    return { value: check === null ? null : check[intruder[1] as 'refused' | 'landed'], unit: 'attempts' }
  }
  return undefined
}

/** A figure of one run (null when the run did not measure it, e.g. a kind it never saw). */
export function runFigure(r: Results, name: string): FigureValue {
  const own = suiteRunFigure(r, name)
  if (own !== undefined) return own
  const metric = runMetrics(r).find((m) => m.name === name)
  if (metric !== undefined) return { value: metric.value, unit: metric.unit }
  return { value: null, unit: figureUnit(name) }
}

/** The unit a figure name carries when no run measured it. */
export function figureUnit(name: string): string {
  if (/\.p\d+$/.test(name)) return 'ms'
  if (name.endsWith('_ratio') || /\.(precision|recall)$/.test(name)) return 'ratio'
  if (name.endsWith('_eps')) return 'eps'
  if (name.endsWith('_s')) return 's'
  if (name.endsWith('_events') || name.endsWith('_copies')) return 'events'
  return ''
}

/** A figure of a capacity search (null when it found none, e.g. no configuration held any rate). */
export function capacityFigure(c: CapacityFile, name: string): FigureValue {
  if (name === 'capacity_eps') {
    const held = c.configurations.flatMap((k) => (k.capacity_eps === null ? [] : [k.capacity_eps]))
    return { value: held.length === 0 ? null : Math.max(...held), unit: 'eps' }
  }
  if (name.startsWith('capacity_eps.')) {
    const config = name.slice('capacity_eps.'.length)
    return { value: c.configurations.find((k) => k.config === config)?.capacity_eps ?? null, unit: 'eps' }
  }
  const usl = /^usl\.([a-z_]+)\.(peak_resources|r_squared|sigma|kappa)$/.exec(name)
  if (usl !== null) {
    const fit = c.scalability.find((f) => f.resource === usl[1])?.fit ?? null
    if (fit === null) return { value: null, unit: '' }
    switch (usl[2]) {
      case 'peak_resources':
        return { value: fit.peak_resources, unit: usl[1] ?? '' }
      case 'r_squared':
        return { value: fit.r_squared, unit: '' }
      case 'sigma':
        return { value: fit.parameters.sigma, unit: '' }
      default:
        return { value: fit.parameters.kappa, unit: '' }
    }
  }
  return { value: null, unit: '' }
}
