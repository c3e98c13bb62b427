import type { Results } from '../../harness/results/index.ts'
import { count, ms, percent } from '../format.ts'

/** The rated stream's latency stage by stage as table rows (terminal, summary.md, report.html); null without marks. */
export function breakdownTable(r: Results): { caption: string; header: string[]; rows: string[][] } | null {
  const b = r.latency_breakdown
  if (b === null) return null
  const share = (mean: number): string => (b.e2e_mean_ms > 0 ? percent(mean / b.e2e_mean_ms) : percent(null))
  return {
    caption: `rated, ${count(b.records)} records after the warm-up${b.unmarked > 0 ? ` (${count(b.unmarked)} without marks left out)` : ''}: mean ${ms(b.e2e_mean_ms)} ms = sum of the stage means ${ms(b.stage_mean_sum_ms)} ms · p50 ${ms(b.e2e_p50_ms)} · p99 ${ms(b.e2e_p99_ms)} · slowest 1 % (${count(b.slowest_1pct.records)} of ${count(b.slowest_1pct.sampled)} sampled) mean ${ms(b.slowest_1pct.e2e_mean_ms)} ms`,
    header: ['stage', 'from → to', 'mean ms', 'share', 'p50 ms', 'p99 ms', 'slowest 1 % mean ms'],
    rows: b.stages.map((s) => [s.stage, `${s.from} → ${s.to}`, ms(s.mean_ms), share(s.mean_ms), ms(s.p50_ms), ms(s.p99_ms), ms(s.slowest_1pct_mean_ms)]),
  }
}

/** The micro-batch phases of each engine query (Spark's durationMs), p50 / p95 in ms; empty for an engine without them. */
export function phaseRows(r: Results): { header: string[]; rows: string[][] } {
  const phases = ['latestOffset', 'walCommit', 'getBatch', 'queryPlanning', 'addBatch', 'commitOffsets', 'triggerExecution']
  const rows = Object.entries(r.engine)
    .filter(([, q]) => q.phases_ms !== null)
    .map(([name, q]) => [name, ...phases.map((p) => {
      const s = q.phases_ms?.[p]
      return s === undefined ? ms(null) : `${ms(s.p50)} / ${ms(s.p95)}`
    })])
  return { header: ['query', ...phases], rows }
}
