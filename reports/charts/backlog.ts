import type { ReportRun } from '../run-data.ts'
import { exitLayers, faultLayers, layeredSpec, several, wallTimeTitle, warmupLayers, type Chart } from './common.ts'

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
    spec: layeredSpec('Backlog (consumer-lag analogue)', [
        ...warmupLayers(runs),
        ...faultLayers(runs),
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
      ]),
  }
}
