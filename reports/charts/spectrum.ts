import type { Histogram } from 'hdr-histogram-js'
import type { ReportRun } from '../run-data.ts'
import { chartConfig, chartHeight, chartWidth, decades, notice, percentileMs, schemaUrl, several, type Chart } from './common.ts'

/** How each stream is named in the legend; the batch's time-to-result sits beside the stream's (bills). */
const streamLabels: Record<string, string> = {
  rated: 'rated',
  bills: 'bills = streaming time-to-result',
  batch_result: 'batch time-to-result',
  alerts: 'alerts',
  dlq: 'dlq',
  schedule_delay: 'schedule delay',
  produce_service: 'produce service',
  produce_response: 'produce response',
}

/** Points per decade of 1/(1−q): enough for a smooth step curve, few enough to keep the page small. */
const pointsPerDecade = 20

/**
 * The percentile spectrum of one merged histogram in HdrHistogram's plot form: x = 1/(1−q) on a log axis, so
 * 90 %, 99 %, 99.9 % … are equally spaced. It ends where the histogram runs out of values (1/(1−q) = count), at its max.
 */
export function spectrumPoints(h: Histogram): { inverse: number; percentile: number; ms: number }[] {
  const points: { inverse: number; percentile: number; ms: number }[] = []
  const count = h.totalCount
  if (count === 0) return points
  for (let i = 0; ; i++) {
    const inverse = 10 ** (i / pointsPerDecade)
    if (inverse >= count) break
    const percentile = 100 * (1 - 1 / inverse)
    points.push({ inverse, percentile, ms: percentileMs(h, percentile) })
  }
  points.push({ inverse: Math.max(count, 1.0001), percentile: 100, ms: h.maxValue / 1000 })
  return points
}

const axisValues = [1, 10, 100, 1000, 10_000, 100_000, 1_000_000]

/** Chart 3: every stream's latency percentile spectrum from its merged (after warm-up) histogram, streaming and batch time-to-result on the same axes. */
export function spectrumChart(runs: readonly ReportRun[]): Chart {
  const values = runs.flatMap((r) =>
    Object.values(r.histograms).flatMap((s) =>
      spectrumPoints(s.whole).map((p) => ({ run: r.label, stream: streamLabels[s.name] ?? s.name, inverse: p.inverse, percentile: Number(p.percentile.toFixed(4)), ms: Math.max(0.001, p.ms) })),
    ),
  )
  const maxInverse = Math.max(10, ...values.map((v) => v.inverse))
  return {
    name: 'spectrum',
    title: 'Latency percentile spectrum',
    caption: 'Each stream\'s latency at every percentile, read from its HdrHistogram merged over the run after the warm-up (percentiles are never averaged). The x axis is 1/(1−q), so 90 %, 99 %, 99.9 % are equally spaced, as in HdrHistogram\'s plots. The batch baseline\'s time-to-result (intended send → batch done) sits beside the stream\'s (intended send → bill update). Log scales.',
    spec: {
      $schema: schemaUrl,
      title: 'Latency by percentile (merged HdrHistograms, after warm-up)',
      width: chartWidth,
      height: chartHeight + 40,
      config: chartConfig,
      layer:
        values.length === 0
          ? notice('no latency values were recorded')
          : [
              {
                data: { values },
                mark: { type: 'line', strokeWidth: 1.5, interpolate: 'step-after' },
                encoding: {
                  x: {
                    field: 'inverse',
                    type: 'quantitative',
                    title: 'percentile (log scale of 1/(1−q))',
                    scale: { type: 'log', domain: [1, maxInverse] },
                    axis: { values: axisValues.filter((v) => v <= maxInverse), labelExpr: "datum.value <= 1 ? '0%' : format(100 - 100 / datum.value, '.6~f') + '%'" },
                  },
                  y: { field: 'ms', type: 'quantitative', title: 'latency (ms, log scale)', scale: { type: 'log' }, axis: { values: decades(Math.min(...values.map((v) => v.ms)), Math.max(...values.map((v) => v.ms))), format: ',~g' } },
                  color: { field: 'stream', type: 'nominal', title: 'stream', legend: { columns: 3 } },
                  ...(several(runs) ? { strokeDash: { field: 'run', type: 'nominal' as const, title: 'run' } } : {}),
                  detail: { field: 'run', type: 'nominal' },
                },
              },
            ],
    },
  }
}
