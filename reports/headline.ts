import type { Results } from '../harness/results/index.ts'
import { count, ms, percent, rate, seconds } from './format.ts'

/** One headline number: where it lives in results.json, its raw value and how the report writes it. */
export interface Headline {
  /** Dotted path in results.json (the browser test reads the page's figure back against it). */
  key: string
  label: string
  value: number | null
  text: string
}

/** The run's headline numbers, the same in report.html and summary.md. */
export function headlines(r: Results): Headline[] {
  const rated = r.latency['rated'] ?? null
  const bills = r.latency['bills'] ?? null
  const h = (key: string, label: string, value: number | null | undefined, format: (n: number | null) => string): Headline => ({ key, label, value: value ?? null, text: format(value ?? null) })
  const list = [
    h('latency.rated.p99', 'rated p99 (ms)', rated?.p99, ms),
    h('latency.rated.p50', 'rated p50 (ms)', rated?.p50, ms),
    h('latency.bills.p99', 'bill update p99 (ms)', bills?.p99, ms),
    h('throughput.offered_eps', 'offered (ev/s)', r.throughput.offered_eps, rate),
    h('throughput.achieved_eps', 'achieved (ev/s)', r.throughput.achieved_eps, rate),
    h('accounting.generated', 'usage records', r.accounting.generated, count),
    h('accounting.lost', 'lost', r.accounting.lost, count),
    h('accounting.duplicate_copies', 'duplicate copies', r.accounting.duplicate_copies, count),
  ]
  if (r.billing !== null) list.push(h('billing.exact_match_ratio', 'charges exact', r.billing.exact_match_ratio, percent))
  if (r.detection_summary.fraud.recall !== null) list.push(h('detection_summary.fraud.recall', 'fraud recall', r.detection_summary.fraud.recall, percent))
  if (r.detection_summary.anomaly.recall !== null) list.push(h('detection_summary.anomaly.recall', 'anomaly recall', r.detection_summary.anomaly.recall, percent))
  list.push(h('duration_s', 'run wall time (s)', r.duration_s, seconds))
  return list
}
