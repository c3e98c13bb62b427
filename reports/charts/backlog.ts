import type { ReportRun } from '../run-data.ts'
import { bandLayers, chartConfig, exitLayers, chartHeight, chartWidth, faultBands, schemaUrl, several, warmupBands, wallTimeTitle, type Chart } from './common.ts'

/** Chart 4: the backlog (the consumer-lag analogue) and the end-to-end backlog over time. */
export function backlogChart(runs: readonly ReportRun[]): Chart {
  const values = runs.flatMap((r) =>
    (r.timeline?.points ?? []).flatMap((p) => [
      { run: r.label, t: p.t_s, series: 'backlog: acknowledged − accounted', events: p.backlog },
      { run: r.label, t: p.t_s, series: 'end-to-end backlog: offered − accounted', events: p.e2e_backlog },
    ]),
  )
  return {
    name: 'backlog',
    title: 'Backlog over time',
    caption: 'Usage records inside Kafka and the pipeline at the end of each second (acknowledged but not yet rated or rejected), and the same counted from the schedule (also holds records the producer could not get acknowledged). Grey: warm-up; orange: fault windows. Wall time.',
    spec: {
      $schema: schemaUrl,
      title: 'Backlog (consumer-lag analogue)',
      width: chartWidth,
      height: chartHeight,
      config: chartConfig,
      layer: [
        ...bandLayers(warmupBands(runs), '#bab0ac', 0.2),
        ...bandLayers(faultBands(runs), '#f28e2b', 0.15),
        ...exitLayers(runs),
        {
          data: { values },
          mark: { type: 'line', strokeWidth: 1.5 },
          encoding: {
            x: { field: 't', type: 'quantitative', title: wallTimeTitle },
            y: { field: 'events', type: 'quantitative', title: 'unaccounted (records)' },
            color: { field: 'series', type: 'nominal', title: null },
            // The two coincide whenever the broker acknowledges promptly: the end-to-end one is dashed so neither hides the other.
            strokeDash: several(runs) ? { field: 'run', type: 'nominal', title: 'run' } : { field: 'series', type: 'nominal', title: null },
            detail: { field: 'run', type: 'nominal' },
          },
        },
      ],
    },
  }
}
