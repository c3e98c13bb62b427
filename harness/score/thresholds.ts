import type { Histogram } from 'hdr-histogram-js'
import type { ThresholdExpr } from '../../generators/index.ts'

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
