import type { Histogram } from 'hdr-histogram-js'
import type { ThresholdExpr } from '../../generators/index.ts'
import { newHistogram } from '../measure/histograms.ts'

/** A metric's observed data: a latency histogram (µs, reported in ms) or a single number. */
export type MetricData = { kind: 'trend'; histogram: Histogram } | { kind: 'scalar'; value: number }

/** The value an expression's aggregation reads from the metric, or null when it does not apply. */
export function observe(expr: ThresholdExpr, data: MetricData): number | null {
  const a = expr.aggregation
  if (data.kind === 'scalar') return a.kind === 'percentile' ? null : data.value
  const h = data.histogram
  if (h.totalCount === 0) return null
  const ms = (us: number): number => us / 1000
  switch (a.kind) {
    case 'percentile':
      return ms(h.getValueAtPercentile(a.p))
    case 'med':
      return ms(h.getValueAtPercentile(50))
    case 'avg':
      return ms(h.mean)
    case 'min':
      return ms(h.minNonZeroValue)
    case 'max':
      return ms(h.maxValue)
    case 'count':
      return h.totalCount
    case 'rate':
    case 'value':
      return null
  }
}

export function compare(observed: number, operator: ThresholdExpr['operator'], bound: number): boolean {
  switch (operator) {
    case '<':
      return observed < bound
    case '<=':
      return observed <= bound
    case '>':
      return observed > bound
    case '>=':
      return observed >= bound
    case '==':
    case '===':
      return observed === bound
    case '!=':
      return observed !== bound
  }
}

/**
 * How far an observed value is inside its bound: positive passes with room, zero or negative is at or past it
 * (`<` fails at 0, `<=` only below 0). The window with the least slack is the worst one, whichever way the
 * operator points.
 */
export function slack(observed: number, operator: ThresholdExpr['operator'], bound: number): number {
  switch (operator) {
    case '<':
    case '<=':
      return bound - observed
    case '>':
    case '>=':
      return observed - bound
    case '==':
    case '===':
      return -Math.abs(observed - bound)
    case '!=':
      return Math.abs(observed - bound)
  }
}

/**
 * Start seconds of every full window of `windowS` whole seconds in [fromS, toS): the first starts at the first
 * whole second at or after `fromS` (the end of the warm-up), and a window that would reach past `toS` (the end of
 * the load) is left out.
 */
export function windowStarts(fromS: number, toS: number, windowS: number): number[] {
  const starts: number[] = []
  for (let start = Math.ceil(fromS); start + windowS <= Math.floor(toS); start += windowS) starts.push(start)
  return starts
}

/** A windowed threshold's outcome: the worst window's value and where it lies (seconds after load start). */
export interface WindowedObservation {
  /** Null when no window held a value (the threshold then fails, like any threshold that observes nothing). */
  observed: number | null
  window: { from_s: number; to_s: number } | null
  passed: boolean
}

/**
 * Evaluates a trend threshold over every full window of `windowS` seconds in [fromS, toS), each window the merge
 * of its per-second histograms (a percentile is read from the merged histogram, never averaged over seconds).
 * A window in which no value arrived is skipped: there is nothing to read. The observed value is the worst
 * window's, the one with the least {@link slack}; the earliest of equally bad windows is reported.
 */
export function observeWindows(expr: ThresholdExpr, intervals: ReadonlyMap<number, Histogram>, windowS: number, fromS: number, toS: number): WindowedObservation {
  let worst: { observed: number; slack: number; from_s: number } | null = null
  for (const start of windowStarts(fromS, toS, windowS)) {
    const merged = newHistogram()
    for (let t = start; t < start + windowS; t++) {
      const h = intervals.get(t)
      if (h !== undefined) merged.add(h)
    }
    const observed = observe(expr, { kind: 'trend', histogram: merged })
    if (observed === null) continue
    const room = slack(observed, expr.operator, expr.value)
    if (worst === null || room < worst.slack) worst = { observed, slack: room, from_s: start }
  }
  if (worst === null) return { observed: null, window: null, passed: false }
  return { observed: worst.observed, window: { from_s: worst.from_s, to_s: worst.from_s + windowS }, passed: compare(worst.observed, expr.operator, expr.value) }
}
