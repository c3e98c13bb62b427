import type { TopLevelSpec } from 'vega-lite'
import type { ReportRun } from '../run-data.ts'

/** One chart of the report: a vega-lite spec that carries its own data, so `charts/<name>.vl.json` stands alone. */
export interface Chart {
  /** File name stem and HTML id: `charts/<name>.vl.json`. */
  name: string
  title: string
  /** One sentence under the chart: what it shows and on which clock. */
  caption: string
  spec: TopLevelSpec
}

type LayerSpecOf<S> = S extends { layer: (infer L)[] } ? L : never
/** One layer of a layered vega-lite spec. */
export type Layer = LayerSpecOf<TopLevelSpec>

export const schemaUrl = 'https://vega.github.io/schema/vega-lite/v6.json'
export const chartWidth = 720
export const chartHeight = 220

/** Axis title of every per-second series: the harness's wall clock, counted from the load's start. */
export const wallTimeTitle = 'wall time since load start (s)'

/** Shared look: readable without colour alone (dashes and labels carry meaning too). */
export const chartConfig = {
  font: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
  axis: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: 'normal' as const, gridColor: '#e6e6e6', labelLimit: 320 },
  legend: { labelFontSize: 11, titleFontSize: 11, orient: 'bottom' as const, direction: 'horizontal' as const, labelLimit: 0, columns: 4 },
  concat: { spacing: 40 },
  title: { fontSize: 14, anchor: 'start' as const, fontWeight: 'bold' as const },
  view: { stroke: '#cccccc' },
  range: { category: { scheme: 'tableau10' } },
}

/** The title of one panel of a two-panel chart: lighter than the chart's own title above it. */
export function panelTitle(text: string): { text: string; fontSize: number; fontWeight: 'normal'; offset: number } {
  return { text, fontSize: 12, fontWeight: 'normal', offset: 6 }
}

/** The runs are told apart by stroke dash when there are several; a single run needs no run encoding. */
export const several = (runs: readonly ReportRun[]): boolean => runs.length > 1

export interface Band {
  run: string
  label: string
  from: number
  to: number
}

/** Fault windows (injection → lift, or the end of the timeline when never lifted) of every run. */
export function faultBands(runs: readonly ReportRun[]): Band[] {
  return runs.flatMap((r) => {
    const end = r.timeline?.points.at(-1)?.t_s ?? r.results.duration_s
    return (r.timeline?.faults ?? [])
      .filter((f) => f.injected_at_s !== null)
      .map((f) => ({ run: r.label, label: `${f.name} (${f.kind})`, from: f.injected_at_s ?? 0, to: Math.max((f.injected_at_s ?? 0) + 0.5, f.lifted_at_s ?? end + 1) }))
  })
}

/** The warm-up of every run: [0, warmup_s) seconds after load start. */
export function warmupBands(runs: readonly ReportRun[]): Band[] {
  return runs.flatMap((r) => {
    const warmup = r.timeline?.warmup_s ?? r.results.latency_warmup.warmup_s
    return warmup > 0 ? [{ run: r.label, label: 'warm-up', from: 0, to: warmup }] : []
  })
}

/** Shaded time bands with their label at the top, drawn under the series of a time chart. */
export function bandLayers(bands: readonly Band[], fill: string, opacity: number): Layer[] {
  if (bands.length === 0) return []
  return [
    { data: { values: [...bands] }, mark: { type: 'rect', fill, opacity }, encoding: { x: { field: 'from', type: 'quantitative' }, x2: { field: 'to' } } },
    { data: { values: [...bands] }, mark: { type: 'text', align: 'left', baseline: 'top', dx: 3, dy: 3, fontSize: 10, color: '#555555' }, encoding: { x: { field: 'from', type: 'quantitative' }, y: { value: 0 }, text: { field: 'label' } } },
  ]
}

/** A red rule at each moment a watched JVM died unplanned (results.json unplanned_exits), labelled with the process. */
export function exitLayers(runs: readonly ReportRun[]): Layer[] {
  const exits = runs.flatMap((r) => r.results.unplanned_exits.map((e) => ({ run: r.label, at: e.at_s, label: `${e.process} died` })))
  if (exits.length === 0) return []
  return [
    { data: { values: exits }, mark: { type: 'rule', color: '#e15759', strokeWidth: 1.5 }, encoding: { x: { field: 'at', type: 'quantitative' } } },
    { data: { values: exits }, mark: { type: 'text', align: 'left', baseline: 'bottom', dx: 3, fontSize: 10, color: '#e15759' }, encoding: { x: { field: 'at', type: 'quantitative' }, y: { value: chartHeight }, text: { field: 'label' } } },
  ]
}

/**
 * An otherwise empty panel says why it has nothing to draw: a shaded box (so the panel is visibly drawn, not
 * missing) with the reason in its middle.
 */
export function notice(text: string, width = chartWidth, height = chartHeight): Layer[] {
  return [
    { data: { values: [{}] }, mark: { type: 'rect', fill: '#f6f8fa', stroke: '#d1d9e0' }, encoding: { x: { value: 0 }, x2: { value: width }, y: { value: 0 }, y2: { value: height } } },
    { data: { values: [{ text }] }, mark: { type: 'text', fontSize: 12, color: '#555555' }, encoding: { text: { field: 'text' }, x: { value: width / 2 }, y: { value: height / 2 } } },
  ]
}

/** A linear axis from 0 that stays readable when every value is 0 (vega would centre a [0, 0] domain). */
export function domainFromZero(values: readonly number[], atLeast: number): { domain: [number, number]; nice: boolean } {
  return { domain: [0, Math.max(atLeast, ...values)], nice: true }
}

/** Powers of ten covering [min, max], for log axes that would otherwise label every minor tick. */
export function decades(min: number, max: number): number[] {
  const from = Math.floor(Math.log10(Math.max(min, 1e-9)))
  const to = Math.ceil(Math.log10(Math.max(max, min, 1e-9)))
  return Array.from({ length: to - from + 1 }, (_, i) => 10 ** (from + i))
}

/** Percentiles are read from HdrHistograms, clamped to the exact max (a bucket's top can lie above it). */
export function percentileMs(h: { getValueAtPercentile(p: number): number; maxValue: number }, p: number): number {
  return Math.min(h.maxValue, h.getValueAtPercentile(p)) / 1000
}

/** Grey bands of the warm-up under a wall-time chart. */
export function warmupLayers(runs: readonly ReportRun[]): Layer[] {
  return bandLayers(warmupBands(runs), '#bab0ac', 0.2)
}

/** Orange bands of the fault windows under a wall-time chart. */
export function faultLayers(runs: readonly ReportRun[]): Layer[] {
  return bandLayers(faultBands(runs), '#f28e2b', 0.15)
}

/** The frame of a one-panel chart: schema, title, the report's size and look, around its layers. */
export function layeredSpec(title: string, layer: Layer[], height = chartHeight): TopLevelSpec {
  return { $schema: schemaUrl, title, width: chartWidth, height, config: chartConfig, layer }
}
