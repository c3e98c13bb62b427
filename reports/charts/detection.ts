import type { KindDetection } from '../../harness/results/index.ts'
import { planFacts, type ReportRun } from '../run-data.ts'
import { chartConfig, panelTitle, notice, schemaUrl, several, type Chart, type Layer } from './common.ts'

const panelWidth = 300

interface Side {
  run: ReportRun
  side: string
  detection: Record<string, KindDetection>
}

function sides(runs: readonly ReportRun[]): Side[] {
  return runs.flatMap((r) => {
    const prefix = several(runs) ? `${r.label} · ` : ''
    const list: Side[] = [{ run: r, side: `${prefix}streaming`, detection: r.results.detection }]
    if (r.results.batch?.state === 'scored') list.push({ run: r, side: `${prefix}batch`, detection: r.results.batch.detection })
    return list
  })
}

/** Chart 6: precision, recall and F1 per kind, and every detected unit's time to detect (scenario time, wall beside). */
export function detectionChart(runs: readonly ReportRun[]): Chart {
  const all = sides(runs)
  const measures = ['precision', 'recall', 'F1'] as const
  const quality = all.flatMap((s) =>
    Object.entries(s.detection).flatMap(([kind, d]) =>
      measures.map((measure) => {
        const value = measure === 'precision' ? d.precision : measure === 'recall' ? d.recall : d.f1
        return { kind, column: `${measure} · ${s.side}`, value, text: value === null ? 'n/a' : value.toFixed(2) }
      }),
    ),
  )
  const columns = all.flatMap((s) => measures.map((m) => `${m} · ${s.side}`))
  const compressions = [...new Set(runs.map((r) => planFacts(r.manifest).timeCompression))]
  const compression = compressions.length === 1 ? compressions[0] ?? 1 : null
  const ttd = all.flatMap((s) =>
    Object.entries(s.detection).flatMap(([kind, d]) => d.ttd_s.map((scenarioS) => ({ kind, side: s.side, scenario_s: scenarioS, wall_s: scenarioS / planFacts(s.run.manifest).timeCompression }))),
  )
  const ttdTitle = compression === null ? 'time to detect (scenario s)' : `time to detect (scenario s; wall s = scenario s ÷ ${compression})`
  const qualityLayers: Layer[] =
    quality.length === 0
      ? notice('no fraud or anomaly in the truth, and no alert', panelWidth, 60)
      : [
          {
            data: { values: quality },
            mark: { type: 'rect', stroke: 'white' },
            encoding: {
              y: { field: 'kind', type: 'nominal', title: null },
              x: { field: 'column', type: 'nominal', title: null, sort: columns, axis: { orient: 'top', labelAngle: -40, labelAlign: 'left' } },
              color: { field: 'value', type: 'quantitative', title: null, scale: { domain: [0, 1], scheme: 'blues' }, legend: null },
            },
          },
          {
            data: { values: quality },
            mark: { type: 'text', fontSize: 10 },
            encoding: {
              y: { field: 'kind', type: 'nominal' },
              x: { field: 'column', type: 'nominal', sort: columns },
              text: { field: 'text' },
              color: { condition: { test: 'datum.value !== null && datum.value > 0.6', value: 'white' }, value: '#1f2328' },
            },
          },
        ]
  const ttdLayers: Layer[] =
    ttd.length === 0
      ? notice('no truth unit was detected', panelWidth, 60)
      : [
          {
            data: { values: ttd },
            mark: { type: 'point', filled: true, size: 40, opacity: 0.7 },
            encoding: {
              y: { field: 'kind', type: 'nominal', title: null },
              x: { field: 'scenario_s', type: 'quantitative', title: ttdTitle },
              color: { field: 'side', type: 'nominal', title: null, scale: { scheme: 'set2' } },
              shape: { field: 'side', type: 'nominal', title: null },
            },
          },
        ]
  return {
    name: 'detection',
    title: 'Detection quality and time to detect',
    caption: 'Left: precision, recall and F1 per fraud and anomaly kind (darker is better), for the stream and, when it ran, the batch baseline ("n/a": nothing of that kind alerted, or none in the truth). Right: every detected truth unit\'s time to detect, from the fraud\'s or anomaly\'s start to the first matching alert, in scenario time (wall time = scenario time ÷ the time compression).',
    spec: {
      $schema: schemaUrl,
      title: 'Detection: quality per kind and time to detect per unit',
      config: chartConfig,
      hconcat: [
        { width: quality.length === 0 ? panelWidth : { step: 46 }, height: quality.length === 0 ? 60 : { step: 20 }, title: panelTitle('quality per kind'), layer: qualityLayers },
        { width: panelWidth, height: ttd.length === 0 ? 60 : { step: 28 }, title: panelTitle('time to detect per detected unit'), layer: ttdLayers },
      ],
      resolve: { scale: { color: 'independent', shape: 'independent' } },
    },
  }
}
