import { ms } from '../format.ts'
import type { ReportRun } from '../run-data.ts'
import { chartConfig, chartWidth, notice, schemaUrl, type Chart } from './common.ts'

/** The breakdown chart (after latency): where the rated stream's latency goes, stage by stage, for the mean record and for the slowest 1 %. */
export function breakdownChart(runs: readonly ReportRun[]): Chart {
  const values = runs.flatMap((r) => {
    const b = r.results.latency_breakdown
    if (b === null) return []
    const prefix = runs.length > 1 ? `${r.label} · ` : ''
    return b.stages.flatMap((s, order) => [
      { bar: `${prefix}mean record`, stage: s.stage, order, ms: Math.max(0, s.mean_ms), text: `${s.stage} ${ms(s.mean_ms)} ms` },
      { bar: `${prefix}slowest 1 %`, stage: s.stage, order, ms: Math.max(0, s.slowest_1pct_mean_ms), text: `${s.stage} ${ms(s.slowest_1pct_mean_ms)} ms` },
    ])
  })
  return {
    name: 'breakdown',
    title: 'Where the time goes (rated stream)',
    caption: 'Each rated record\'s end-to-end latency split at the marks it carries: appended to the input topic (broker time), its micro-batch started, parsed by a task, handed to the output producer, read by the harness. Bars: the stage means over every record after the warm-up (they add up to the mean latency), and over the slowest 1 % of a systematic sample. A stage that went below 0 (marks read from different ms clocks) is drawn as 0.',
    spec: {
      $schema: schemaUrl,
      title: 'Where the time goes: mean stage times (ms)',
      config: chartConfig,
      width: chartWidth,
      height: values.length === 0 ? 60 : { step: 28 },
      layer:
        values.length === 0
          ? notice('no rated record carried the engine\'s timing marks', chartWidth, 60)
          : [
              {
                data: { values },
                mark: { type: 'bar' },
                encoding: {
                  y: { field: 'bar', type: 'nominal', title: null, sort: null },
                  x: { field: 'ms', type: 'quantitative', stack: 'zero', title: 'ms (mean of the stage)' },
                  color: { field: 'stage', type: 'nominal', title: 'stage', sort: { field: 'order' } },
                  order: { field: 'order', type: 'quantitative' },
                  tooltip: { field: 'text', type: 'nominal' },
                },
              },
            ],
    },
  }
}
