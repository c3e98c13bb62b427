import type { ReportRun } from '../run-data.ts'
import { decades, faultLayers, layeredSpec, notice, percentileMs, several, wallTimeTitle, warmupLayers, type Chart } from './common.ts'

/** The streams drawn per second: what the pipeline delivers, and the producer's response time for the ingest side. */
export const perSecondStreams = ['rated', 'bills', 'alerts', 'dlq', 'produce_response'] as const

/** Chart 2: p50 and p99 per second of each latency stream, from that second's HdrHistogram. */
export function latencyChart(runs: readonly ReportRun[]): Chart {
  const percentiles = several(runs) ? [['p99', 99]] as const : ([['p50', 50], ['p99', 99]] as const)
  const values = runs.flatMap((r) =>
    perSecondStreams.flatMap((stream) =>
      (r.histograms[stream]?.intervals ?? [])
        .filter((i) => i.histogram.totalCount > 0)
        .flatMap((i) => percentiles.map(([name, p]) => ({ run: r.label, t: i.t_s, stream, percentile: name, ms: Math.max(0.001, percentileMs(i.histogram, p)) }))),
    ),
  )
  return {
    name: 'latency',
    title: 'Latency per second',
    caption: 'p50 (dashed) and p99 (solid) of each stream, per second of receipt, each read from that second\'s HdrHistogram (never averaged). Latency is counted from the intended send time. Grey: warm-up (values sent then are left out of the run\'s percentiles); orange: fault windows. Wall time; log scale.',
    spec: layeredSpec('Latency per second (from intended send time)', [
        ...warmupLayers(runs),
        ...faultLayers(runs),
        ...(values.length === 0
          ? notice('no latency values were recorded')
          : [
              {
                data: { values },
                mark: { type: 'line' as const, strokeWidth: 1.3 },
                encoding: {
                  x: { field: 't', type: 'quantitative' as const, title: wallTimeTitle },
                  y: { field: 'ms', type: 'quantitative' as const, title: 'latency (ms, log scale)', scale: { type: 'log' as const }, axis: { values: decades(Math.min(...values.map((v) => v.ms)), Math.max(...values.map((v) => v.ms))), format: ',~g' } },
                  color: { field: 'stream', type: 'nominal' as const, title: 'stream', sort: [...perSecondStreams] },
                  strokeDash: several(runs) ? { field: 'run', type: 'nominal' as const, title: 'run (p99)' } : { field: 'percentile', type: 'nominal' as const, title: 'percentile', sort: ['p99', 'p50'] },
                  detail: { field: 'run', type: 'nominal' as const },
                },
              },
            ]),
      ]),
  }
}
