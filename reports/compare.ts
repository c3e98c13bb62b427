import type { Results } from '../harness/results/index.ts'
import { count, ms, percent, rate, seconds } from './format.ts'
import { headlines } from './headline.ts'
import type { ReportRun } from './run-data.ts'

/** One line of the side-by-side table: a figure and its value in each run. */
export interface ComparisonLine {
  metric: string
  values: string[]
}

type Pick = (r: Results) => string

const verdict: [string, Pick] = ['verdict', (r) => r.state]
const extra: [string, Pick][] = [
  ['schedule delay p99 (ms)', (r) => ms(r.throughput.schedule_delay_p99_ms)],
  ['produce response p99 (ms)', (r) => ms(r.latency['produce_response']?.p99)],
  ['rated output (ev/s)', (r) => rate(r.throughput.output_eps)],
  ['dlq', (r) => count(r.accounting.dlq)],
  ['late dropped', (r) => count(r.accounting.late_dropped)],
  ['leakage', (r) => (r.billing === null ? 'n/a' : percent(r.billing.leakage_ratio))],
  ['overbilling', (r) => (r.billing === null ? 'n/a' : percent(r.billing.overbilling_ratio))],
  ['fraud precision', (r) => percent(r.detection_summary.fraud.precision)],
  ['anomaly precision', (r) => percent(r.detection_summary.anomaly.precision)],
  ['steady state', (r) => r.steady_state?.state ?? 'n/a'],
  ['faults injected', (r) => count(r.faults.length)],
  ['batch time-to-result p50 (ms)', (r) => (r.batch?.state === 'scored' ? ms(r.batch.result_latency?.p50) : 'n/a')],
  ['batch finished after (s)', (r) => (r.batch === null ? 'n/a' : seconds(r.batch.finished_after_s))],
]

/** The comparison table of several runs: every headline number, then the figures that tell configurations apart. */
export function comparisonLines(runs: readonly ReportRun[]): ComparisonLine[] {
  const line = ([metric, pick]: [string, Pick]): ComparisonLine => ({ metric, values: runs.map((r) => pick(r.results)) })
  // Runs differ in which headline numbers they have (no billing, no detection): every label any run has.
  const labels = [...new Set(runs.flatMap((r) => headlines(r.results).map((h) => h.label)))]
  const headlineLines = labels.map((label) => ({ metric: label, values: runs.map((r) => headlines(r.results).find((h) => h.label === label)?.text ?? 'n/a') }))
  return [line(verdict), ...headlineLines, ...extra.map(line)]
}
