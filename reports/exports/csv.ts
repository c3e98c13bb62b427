import type { Timeline } from '../../harness/results/index.ts'

const pointColumns = ['t_s', 'offered', 'acked', 'accounted', 'rated', 'bills', 'alerts', 'dlq', 'rated_p50_ms', 'rated_p99_ms', 'backlog', 'e2e_backlog', 'produce_failed', 'under_replicated'] as const

/**
 * timeline.csv: one row per second of timeline.json, its per-second counters and, per process, `cpu_cores_<process>`
 * and `rss_bytes_<process>`. An empty cell is a value the second has not (no rated latency, no sample).
 */
export function timelineCsv(timeline: Timeline): string {
  const processes = Object.keys(timeline.resources).sort()
  const header = [...pointColumns, ...processes.flatMap((p) => [`cpu_cores_${p}`, `rss_bytes_${p}`])]
  const samples = new Map(processes.map((p) => [p, new Map((timeline.resources[p] ?? []).map((s) => [s.t_s, s]))]))
  const cell = (v: number | null | undefined): string => (v === null || v === undefined ? '' : String(v))
  const rows = timeline.points.map((point) => [
    ...pointColumns.map((c) => cell(point[c])),
    ...processes.flatMap((p) => {
      const s = samples.get(p)?.get(point.t_s)
      return [cell(s?.cpu_cores), cell(s?.rss_bytes)]
    }),
  ])
  return `${[header, ...rows].map((row) => row.join(',')).join('\n')}\n`
}
