import type { Histogram } from 'hdr-histogram-js'

/** A parsed k6 threshold expression: `aggregation operator number`. */
export interface ThresholdExpr {
  source: string
  aggregation: { kind: 'percentile'; p: number } | { kind: 'avg' | 'min' | 'max' | 'med' | 'rate' | 'count' | 'value' }
  operator: '<' | '<=' | '>' | '>=' | '==' | '===' | '!='
  value: number
}

const pattern = /^\s*(p\(\s*(\d+(?:\.\d+)?)\s*\)|avg|min|max|med|rate|count|value)\s*(<=|>=|===|==|!=|<|>)\s*(-?\d+(?:\.\d+)?(?:e-?\d+)?)\s*$/

/** Parses k6's threshold grammar (docs/method.md "Thresholds"); returns an error text naming the failing side. */
export function parseThreshold(source: string): ThresholdExpr | { error: string } {
  const m = pattern.exec(source)
  if (m === null) {
    const side = /(<=|>=|===|==|!=|<|>)/.exec(source) === null ? 'operator' : /^\s*(p\(\s*\d+(\.\d+)?\s*\)|avg|min|max|med|rate|count|value)\s*(<=|>=|===|==|!=|<|>)/.test(source) ? 'right hand side' : 'left hand side'
    return { error: `failed parsing threshold expression "${source}": bad ${side} (expected e.g. "p(99)<2000", "count==0", "max<0.0001")` }
  }
  const [, agg, p, operator, value] = m
  return {
    source,
    aggregation: p !== undefined ? { kind: 'percentile', p: Number(p) } : { kind: agg as 'avg' },
    operator: operator as ThresholdExpr['operator'],
    value: Number(value),
  }
}

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
