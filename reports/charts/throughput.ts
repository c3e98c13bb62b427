import type { ReportRun } from '../run-data.ts'
import { exitLayers, faultLayers, layeredSpec, several, wallTimeTitle, type Chart } from './common.ts'

/** Chart 1: offered, acknowledged and rated usage records per second, with the fault windows as bands. */
export function throughputChart(runs: readonly ReportRun[]): Chart {
  const values = runs.flatMap((r) =>
    (r.timeline?.points ?? []).flatMap((p) => [
      { run: r.label, t: p.t_s, series: 'offered (schedule)', eps: p.offered },
      { run: r.label, t: p.t_s, series: 'acknowledged by Kafka', eps: p.acked },
      { run: r.label, t: p.t_s, series: 'rated output (every copy)', eps: p.rated },
    ]),
  )
  return {
    name: 'throughput',
    title: 'Throughput per second',
    caption: 'Usage records per second: offered by the open-loop schedule, acknowledged by the broker, and rated records received from the pipeline. Orange bands are fault windows (injection to lift). Wall time.',
    spec: layeredSpec('Throughput per second', [
        ...faultLayers(runs),
        ...exitLayers(runs),
        {
          data: { values },
          mark: { type: 'line', strokeWidth: 1.5, interpolate: 'step-after' },
          encoding: {
            x: { field: 't', type: 'quantitative', title: wallTimeTitle },
            y: { field: 'eps', type: 'quantitative', title: 'ev/s (per wall second)' },
            color: { field: 'series', type: 'nominal', title: null, sort: ['offered (schedule)', 'acknowledged by Kafka', 'rated output (every copy)'] },
            ...(several(runs) ? { strokeDash: { field: 'run', type: 'nominal', title: 'run' } } : {}),
          },
        },
      ]),
  }
}
