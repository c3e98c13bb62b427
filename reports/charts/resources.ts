import type { ReportRun } from '../run-data.ts'
import { chartConfig, chartWidth, faultLayers, notice, schemaUrl, several, wallTimeTitle, type Chart } from './common.ts'

/** Chart 8: CPU cores and resident memory of each process (harness, broker, Spark driver) per second. */
export function resourcesChart(runs: readonly ReportRun[]): Chart {
  const values = runs.flatMap((r) =>
    Object.entries(r.timeline?.resources ?? {}).flatMap(([process, points]) =>
      points.map((p) => ({ run: r.label, process, t: p.t_s, cpu_cores: p.cpu_cores, rss_mib: p.rss_bytes / 2 ** 20 })),
    ),
  )
  const bands = faultLayers(runs)
  const dash = several(runs) ? { strokeDash: { field: 'run', type: 'nominal' as const, title: 'run' } } : {}
  const series = (field: 'cpu_cores' | 'rss_mib', title: string) =>
    values.length === 0
      ? notice('no process samples in the timeline')
      : [
          ...bands,
          {
            data: { values },
            transform: [{ filter: `datum.${field} !== null` }],
            mark: { type: 'line' as const, strokeWidth: 1.5 },
            encoding: {
              x: { field: 't', type: 'quantitative' as const, title: wallTimeTitle },
              y: { field, type: 'quantitative' as const, title },
              color: { field: 'process', type: 'nominal' as const, title: 'process', sort: ['harness', 'broker', 'spark', 'flink'] },
              detail: { field: 'run', type: 'nominal' as const },
              ...dash,
            },
          },
        ]
  return {
    name: 'resources',
    title: 'CPU and memory per process',
    caption: 'CPU cores used (CPU seconds per wall second, from /proc) and resident memory of the harness, the Kafka broker and the Spark driver, sampled every second from the load\'s start until the streaming job stops. A restarted process starts a new CPU series. Orange: fault windows. Wall time.',
    spec: {
      $schema: schemaUrl,
      title: 'Resources per process',
      config: chartConfig,
      vconcat: [
        { width: chartWidth, height: 140, layer: series('cpu_cores', 'CPU (cores)') },
        { width: chartWidth, height: 140, layer: series('rss_mib', 'resident memory (MiB)') },
      ],
      resolve: { scale: { color: 'shared' } },
    },
  }
}
