import type { TopLevelSpec } from 'vega-lite'
import type { LiveSnapshot } from '../../harness/results/index.ts'
import { bandLayers, chartConfig, decades, schemaUrl, wallTimeTitle, type Layer } from '../charts/common.ts'

/**
 * The live dashboard's charts: the report's throughput and latency charts (reports/charts/throughput.ts,
 * latency.ts) drawn from a LiveSnapshot instead of a finished run: the same series names, encodings, fault bands
 * and look, at the dashboard's smaller size.
 */
const width = 560
const height = 170

function frame(title: string, layer: Layer[]): TopLevelSpec {
  return { $schema: schemaUrl, title, width, height, config: chartConfig, layer }
}

function faultBandLayers(s: LiveSnapshot): Layer[] {
  const bands = s.faults
    .filter((f) => f.injected_at_s !== null)
    .map((f) => ({ run: s.run_id, label: `${f.name} (${f.kind})`, from: f.injected_at_s ?? 0, to: Math.max((f.injected_at_s ?? 0) + 0.5, f.lifted_at_s ?? s.t_s) }))
  return bandLayers(bands, '#f28e2b', 0.15)
}

const waiting = (text: string): Layer[] => [{ data: { values: [{}] }, mark: { type: 'text', text, color: '#666', fontSize: 13 } }]

/** Offered vs acknowledged vs rated (processed) usage records per second. */
export function liveThroughputSpec(s: LiveSnapshot): TopLevelSpec {
  const values = s.points.flatMap((p) => [
    { t: p.t_s, series: 'offered (schedule)', eps: p.offered },
    { t: p.t_s, series: 'acknowledged by Kafka', eps: p.acked },
    { t: p.t_s, series: 'rated output (every copy)', eps: p.rated },
  ])
  return frame('Throughput per second', [
    ...faultBandLayers(s),
    ...(values.length === 0
      ? waiting('waiting for the load to start')
      : [
          {
            data: { values },
            mark: { type: 'line' as const, strokeWidth: 1.5, interpolate: 'step-after' as const },
            encoding: {
              x: { field: 't', type: 'quantitative' as const, title: wallTimeTitle },
              y: { field: 'eps', type: 'quantitative' as const, title: 'ev/s (per wall second)' },
              color: { field: 'series', type: 'nominal' as const, title: null, sort: ['offered (schedule)', 'acknowledged by Kafka', 'rated output (every copy)'] },
            },
          },
        ]),
  ])
}

/** p50 (dashed) and p99 (solid) per second of the rated stream, log scale. */
export function liveLatencySpec(s: LiveSnapshot): TopLevelSpec {
  const values = s.points.flatMap((p) =>
    p.rated_p50_ms === null || p.rated_p99_ms === null
      ? []
      : [
          { t: p.t_s, percentile: 'p50', ms: Math.max(0.001, p.rated_p50_ms) },
          { t: p.t_s, percentile: 'p99', ms: Math.max(0.001, p.rated_p99_ms) },
        ],
  )
  const ms = values.map((v) => v.ms)
  return frame('Rated latency per second (from intended send time)', [
    ...bandLayers(s.warmup_s > 0 ? [{ run: s.run_id, label: 'warm-up', from: 0, to: s.warmup_s }] : [], '#bbbbbb', 0.2),
    ...faultBandLayers(s),
    ...(values.length === 0
      ? waiting('no rated records yet')
      : [
          {
            data: { values },
            mark: { type: 'line' as const, strokeWidth: 1.3 },
            encoding: {
              x: { field: 't', type: 'quantitative' as const, title: wallTimeTitle },
              y: { field: 'ms', type: 'quantitative' as const, title: 'latency (ms, log scale)', scale: { type: 'log' as const }, axis: { values: decades(Math.min(...ms), Math.max(...ms)), format: ',~g' } },
              strokeDash: { field: 'percentile', type: 'nominal' as const, title: 'percentile', sort: ['p99', 'p50'] },
            },
          },
        ]),
  ])
}

/** Usage records acknowledged by Kafka and not yet accounted for at the output: the pipeline's lag. */
export function liveBacklogSpec(s: LiveSnapshot): TopLevelSpec {
  const values = s.points.map((p) => ({ t: p.t_s, backlog: p.backlog }))
  return frame('Backlog (acknowledged, not yet rated or rejected)', [
    ...faultBandLayers(s),
    ...(values.length === 0
      ? waiting('waiting for the load to start')
      : [{ data: { values }, mark: { type: 'area' as const, opacity: 0.6, interpolate: 'step-after' as const }, encoding: { x: { field: 't', type: 'quantitative' as const, title: wallTimeTitle }, y: { field: 'backlog', type: 'quantitative' as const, title: 'usage records' } } }]),
  ])
}

/** Every chart of the page, by its element id. */
export function liveSpecs(s: LiveSnapshot): Record<string, TopLevelSpec> {
  return { throughput: liveThroughputSpec(s), latency: liveLatencySpec(s), backlog: liveBacklogSpec(s) }
}
