import type { Results } from '../results/index.ts'
import type { MetricDefinition, MetricValue } from './types.ts'

/** The percentiles compared for every latency stream, by the key results.json gives them. */
const latencyPercentiles = [
  ['p50', 50],
  ['p95', 95],
  ['p99', 99],
  ['p999', 99.9],
] as const

const accountingCounts = [
  ['lost', 'lost_events'],
  ['duplicated', 'duplicated_events'],
  ['duplicate_copies', 'duplicate_copies'],
  ['dlq', 'dlq_events'],
  ['late_dropped', 'late_dropped_events'],
  ['unprocessed', 'unprocessed_events'],
  ['unexpected', 'unexpected_events'],
] as const

type BillingRatio = 'exact_match_ratio' | 'bill_exact_match_ratio' | 'bill_records_exact_match_ratio' | 'leakage_ratio' | 'overbilling_ratio' | 'billing_error_ratio'
const billingRatios: readonly [BillingRatio, string, MetricDefinition['direction']][] = [
  ['exact_match_ratio', 'charge_exact_match_ratio', 'higher-is-better'],
  ['bill_exact_match_ratio', 'bill_exact_match_ratio', 'higher-is-better'],
  ['bill_records_exact_match_ratio', 'bill_records_exact_match_ratio', 'higher-is-better'],
  ['leakage_ratio', 'leakage_ratio', 'lower-is-better'],
  ['overbilling_ratio', 'overbilling_ratio', 'lower-is-better'],
  ['billing_error_ratio', 'billing_error_ratio', 'lower-is-better'],
]

const exact = (name: string, unit: MetricDefinition['unit'], direction: MetricDefinition['direction'], value: number | null): MetricValue => ({ name, unit, direction, class: 'exact', windows: null, value })
const timeTaken = (name: string, value: number | null): MetricValue => ({ name, unit: 's', direction: 'lower-is-better', class: 'statistical', windows: null, value })

/**
 * Every figure of a run that compare sets against another run, flat and named (docs/ci.md "Metrics"): each latency
 * stream's p50/p95/p99/p99.9, the achieved and the rated output rate, every accounting count, the billing ratios,
 * precision, recall and time to detect per detection kind, and each fault's recovery times. A figure the run did not
 * measure is there with value null.
 */
export function runMetrics(r: Results): MetricValue[] {
  const metrics: MetricValue[] = []
  for (const [stream, summary] of Object.entries(r.latency)) {
    for (const [key, percentile] of latencyPercentiles) {
      metrics.push({ name: `${stream}.${key}`, unit: 'ms', direction: 'lower-is-better', class: 'statistical', windows: { kind: 'latency', stream, percentile }, value: summary?.[key] ?? null })
    }
  }
  metrics.push(
    { name: 'throughput.achieved_eps', unit: 'eps', direction: 'higher-is-better', class: 'statistical', windows: { kind: 'rate', field: 'acked' }, value: r.throughput.achieved_eps },
    { name: 'throughput.output_eps', unit: 'eps', direction: 'higher-is-better', class: 'statistical', windows: { kind: 'rate', field: 'rated' }, value: r.throughput.output_eps },
  )
  for (const [key, name] of accountingCounts) metrics.push(exact(`accounting.${name}`, 'events', 'lower-is-better', r.accounting[key]))
  for (const [key, name, direction] of billingRatios) metrics.push(exact(`billing.${name}`, 'ratio', direction, r.billing?.[key] ?? null))
  for (const [kind, d] of Object.entries(r.detection)) {
    metrics.push(exact(`detection.${kind}.precision`, 'ratio', 'higher-is-better', d.precision), exact(`detection.${kind}.recall`, 'ratio', 'higher-is-better', d.recall), timeTaken(`detection.${kind}.ttd_p50_s`, d.ttd_p50_s))
  }
  for (const f of r.faults) {
    metrics.push(timeTaken(`faults.${f.name}.time_to_recover_s`, f.recovery?.time_to_recover_s ?? null), timeTaken(`faults.${f.name}.time_to_drain_s`, f.recovery?.time_to_drain_s ?? null))
  }
  // The stream processor's JVM under one name whichever engine ran (resources are keyed by engine: spark, flink).
  const engine = r.resources['spark'] ?? r.resources['flink']
  metrics.push(
    { name: 'resources.engine.cpu_avg_cores', unit: 'cores', direction: 'lower-is-better', class: 'statistical', windows: null, value: engine?.cpu_avg_cores ?? null },
    { name: 'resources.engine.rss_max_mib', unit: 'MiB', direction: 'lower-is-better', class: 'statistical', windows: null, value: engine === undefined ? null : engine.rss_max_bytes / 2 ** 20 },
  )
  return metrics
}
