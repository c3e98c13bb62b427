import type { ReportRun } from '../run-data.ts'
import { chartConfig, panelTitle, domainFromZero, notice, schemaUrl, several, type Chart, type Layer } from './common.ts'

const phases = [
  ['time_to_detect_s', 'detect'],
  ['restart_time_s', 'restart'],
  ['time_to_recover_s', 'recover'],
  ['time_to_drain_s', 'drain'],
] as const

const panelWidth = 300

/** Fault kinds after which a process is started again, so a missing restart time means it never produced output. */
const restartingKinds: ReadonlySet<string> = new Set(['pipeline-crash', 'broker-kill', 'executor-kill', 'worker-kill'])

/** Chart 5: per fault, the recovery phases (wall s after injection) and the lost and duplicate copies attributed to it. */
export function faultsChart(runs: readonly ReportRun[]): Chart {
  const row = (r: ReportRun, name: string): string => (several(runs) ? `${name} · ${r.label}` : name)
  const timing = runs.flatMap((r) =>
    r.results.faults.flatMap((f) =>
      phases.map(([key, phase]) => {
        const value = f.recovery?.[key] ?? null
        return { fault: row(r, `${f.name} (${f.kind})`), phase, seconds: value ?? 0, text: value === null ? (key === 'restart_time_s' && !restartingKinds.has(f.kind) ? '' : 'never') : value.toFixed(1) }
      }),
    ),
  )
  const integrity = runs.flatMap((r) =>
    [
      { fault: row(r, r.results.faults.length === 0 ? 'whole run (no faults)' : 'before the first fault'), counts: r.results.integrity_before_faults },
      ...r.results.faults.map((f) => ({ fault: row(r, `${f.name} (${f.kind})`), counts: f.integrity })),
    ].flatMap(({ fault, counts }) => [
      { fault, what: 'lost', events: counts.lost },
      { fault, what: 'duplicate copies', events: counts.duplicate_copies },
    ]),
  )
  const timingLayers: Layer[] =
    timing.length === 0
      ? notice('no fault was injected in this run', panelWidth, 60)
      : [
          {
            data: { values: timing },
            mark: { type: 'bar' },
            encoding: {
              y: { field: 'fault', type: 'nominal', title: null },
              yOffset: { field: 'phase', type: 'nominal', sort: phases.map(([, p]) => p) },
              x: { field: 'seconds', type: 'quantitative', title: 'wall seconds after the injection', scale: domainFromZero(timing.map((t) => t.seconds), 1) },
              color: { field: 'phase', type: 'nominal', title: 'phase', sort: phases.map(([, p]) => p), scale: { scheme: 'tableau10' } },
            },
          },
          {
            data: { values: timing },
            mark: { type: 'text', align: 'left', dx: 3, fontSize: 9 },
            encoding: { y: { field: 'fault', type: 'nominal' }, yOffset: { field: 'phase', type: 'nominal', sort: phases.map(([, p]) => p) }, x: { field: 'seconds', type: 'quantitative' }, text: { field: 'text' } },
          },
        ]
  return {
    name: 'faults',
    title: 'Faults: recovery and integrity',
    caption: 'Left: per fault, wall seconds from its injection to the first symptom (detect), to the restarted process\'s first output (restart), to output back at 95 % of the pre-fault rate (recover) and to the backlog back at its pre-fault level (drain); "never" when not reached before the next fault. Right: lost records and duplicate copies attributed to each fault (to the latest fault injected before them).',
    spec: {
      $schema: schemaUrl,
      title: 'Faults: recovery phases and the records they cost',
      config: chartConfig,
      hconcat: [
        { width: panelWidth, height: timing.length === 0 ? 60 : { step: 14 }, title: panelTitle('recovery (wall s)'), layer: timingLayers },
        {
          width: panelWidth,
          height: { step: 14 },
          title: panelTitle('integrity (records)'),
          layer: [
            {
              data: { values: integrity },
              mark: { type: 'bar' },
              encoding: {
                y: { field: 'fault', type: 'nominal', title: null },
                yOffset: { field: 'what', type: 'nominal', sort: ['lost', 'duplicate copies'] },
                x: { field: 'events', type: 'quantitative', title: 'usage records (events)', scale: domainFromZero(integrity.map((i) => i.events), 1), axis: { tickMinStep: 1, format: 'd' } },
                color: { field: 'what', type: 'nominal', title: null, scale: { domain: ['lost', 'duplicate copies'], range: ['#e15759', '#f28e2b'] } },
              },
            },
            {
              data: { values: integrity },
              mark: { type: 'text', align: 'left', dx: 3, fontSize: 9 },
              encoding: { y: { field: 'fault', type: 'nominal' }, yOffset: { field: 'what', type: 'nominal', sort: ['lost', 'duplicate copies'] }, x: { field: 'events', type: 'quantitative' }, text: { field: 'events', type: 'quantitative' } },
            },
          ],
        },
      ],
      resolve: { scale: { color: 'independent' } },
    },
  }
}
