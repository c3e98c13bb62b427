/**
 * The one threshold language of telcobench: k6's expression grammar (`p(99)<2000`, `count==0`) and the metrics a
 * threshold may name, with their tags. `validate` checks scenario files with it and the harness evaluates runs
 * with it, so a threshold that validates is one the run can evaluate (docs/method.md "Thresholds").
 */

export type MetricKind = 'trend' | 'scalar'

/** What a tag of a metric may say: `kind:<fraud kind>` or `kind:<anomaly kind>`. */
type TagDomain = 'fraud-kind' | 'anomaly-kind'

export interface ThresholdMetric {
  /** `trend`: a latency histogram (any aggregation but rate/value); `scalar`: one number (count, value, min, max, avg, med, rate). */
  kind: MetricKind
  unit: 'ms' | 'events' | 'ratio' | 'events/s'
  description: string
  tags: Readonly<Record<string, TagDomain>>
}

const trend = (description: string): ThresholdMetric => ({ kind: 'trend', unit: 'ms', description, tags: {} })
const scalar = (unit: ThresholdMetric['unit'], description: string, tags: Record<string, TagDomain> = {}): ThresholdMetric => ({ kind: 'scalar', unit, description, tags })

export const fraudKinds = ['SIMBOX', 'WANGIRI', 'IRSF', 'SIMSWAP', 'PBX', 'SUBSCRIPTION'] as const
export const anomalyKinds = ['SLEEPING_CELL', 'CONGESTION', 'KPI_DEGRADATION', 'ALARM_STORM'] as const

/** Every metric a scenario threshold may name (docs/results.md says where each is in results.json). */
export const thresholdMetrics = {
  pipeline_e2e_latency_ms: trend('intended send of a usage record → its rated record read by the harness'),
  bills_e2e_latency_ms: trend('intended send → the bill update carrying it'),
  alert_latency_ms: trend('intended send of the evidence → the alert'),
  schedule_delay_ms: trend('how late the generator sent against its schedule'),
  lost_events: scalar('events', 'usage events neither rated, rejected nor dropped as late'),
  dup_events: scalar('events', 'extra rated copies beyond the first'),
  dlq_events: scalar('events', 'usage events rejected to the DLQ'),
  late_events: scalar('events', 'usage events dropped as too late'),
  billing_error_ratio: scalar('ratio', 'Σ|billed − expected| / Σ expected, per subscriber'),
  leakage_ratio: scalar('ratio', 'revenue not billed / expected revenue'),
  overbilling_ratio: scalar('ratio', 'revenue billed too much / expected revenue'),
  charge_exact_match_ratio: scalar('ratio', 'rated records whose charge equals the truth'),
  achieved_rate_eps: scalar('events/s', 'records acknowledged per second of load'),
  generator_shortfall_ratio: scalar('ratio', '1 − achieved / offered'),
  fraud_recall: scalar('ratio', 'fraud truth units detected / fraud truth units', { kind: 'fraud-kind' }),
  fraud_precision: scalar('ratio', 'fraud alerts that match the truth / fraud alerts', { kind: 'fraud-kind' }),
  anomaly_recall: scalar('ratio', 'anomaly windows detected / anomaly windows', { kind: 'anomaly-kind' }),
  anomaly_precision: scalar('ratio', 'anomaly alerts that match the truth / anomaly alerts', { kind: 'anomaly-kind' }),
  consumer_lag_trend_eps: scalar('events/s', 'slope of the backlog between warm-up and first fault'),
} as const satisfies Record<string, ThresholdMetric>

export type ThresholdMetricName = keyof typeof thresholdMetrics
export const thresholdMetricNames = Object.keys(thresholdMetrics) as ThresholdMetricName[]

export const aggregations = ['avg', 'min', 'max', 'med', 'rate', 'count', 'value'] as const
export const operators = ['<', '<=', '>', '>=', '==', '===', '!='] as const

/** A parsed k6 threshold expression: `aggregation operator number`. */
export interface ThresholdExpr {
  source: string
  aggregation: { kind: 'percentile'; p: number } | { kind: (typeof aggregations)[number] }
  operator: (typeof operators)[number]
  value: number
}

const aggregationSource = String.raw`p\(\s*(\d+(?:\.\d+)?)\s*\)|avg|min|max|med|rate|count|value`
const operatorSource = '<=|>=|===|==|!=|<|>'
const expressionPattern = new RegExp(String.raw`^\s*(${aggregationSource})\s*(${operatorSource})\s*(-?\d+(?:\.\d+)?(?:e-?\d+)?)\s*$`)
const leftSidePattern = new RegExp(String.raw`^\s*(${aggregationSource})\s*(${operatorSource})`)
const anyOperator = new RegExp(operatorSource)

/** Parses a k6 threshold expression; the error names the side that failed. */
export function parseThreshold(source: string): ThresholdExpr | { error: string } {
  const m = expressionPattern.exec(source)
  if (m === null) {
    const side = !anyOperator.test(source) ? 'operator' : leftSidePattern.test(source) ? 'right hand side' : 'left hand side'
    return { error: `"${source}" is not a threshold expression: bad ${side}` }
  }
  const [, agg, p, operator, value] = m
  if (p !== undefined && Number(p) > 100) return { error: `"${source}": a percentile is at most p(100)` }
  return {
    source,
    aggregation: p !== undefined ? { kind: 'percentile', p: Number(p) } : { kind: agg as (typeof aggregations)[number] },
    operator: operator as ThresholdExpr['operator'],
    value: Number(value),
  }
}

/** A threshold key: a metric and its tags, `fraud_recall{kind:SIMBOX}`. */
export interface MetricKey {
  metric: string
  tags: Record<string, string>
}

/** The syntax of a threshold key: a snake_case metric, optionally one `{tag:value}`. */
export const metricKeyPattern = /^[a-z][a-z0-9_]*(\{[a-z_]+:[^{}]+\})?$/

/** Splits `metric{tag:value}` (the scenario schema allows one tag). */
export function parseMetricKey(key: string): MetricKey {
  const m = /^([^{]+)(?:\{([^:}]+):([^}]+)\})?$/.exec(key)
  if (m === null) return { metric: key, tags: {} }
  const [, metric = key, tag, value] = m
  return { metric, tags: tag !== undefined && value !== undefined ? { [tag]: value } : {} }
}

export function isThresholdMetric(name: string): name is ThresholdMetricName {
  return Object.hasOwn(thresholdMetrics, name)
}

/** Which aggregations read a value from a metric of this kind (others observe nothing and fail). */
export function aggregationApplies(expr: ThresholdExpr, kind: MetricKind): boolean {
  const a = expr.aggregation.kind
  return kind === 'trend' ? a !== 'rate' && a !== 'value' : a !== 'percentile'
}

/** A problem with one threshold entry, for `validate` to place in the file. */
export interface ThresholdProblem {
  /** `key`: the metric key is wrong; `expression`: the expression at `index`; `abortOnFail`, `window`: that entry's field. */
  where: 'key' | 'expression' | 'abortOnFail' | 'window'
  index?: number
  message: string
  hint: string
}

/** The closest name by edit distance (for "did you mean"), supplied by the caller to keep this module self-contained. */
export type Suggest = (word: string, candidates: readonly string[]) => string

/** One entry of a metric's threshold list as the rules see it; `windowMs` only in the object form. */
export interface ThresholdEntry {
  threshold: string
  abortOnFail: boolean
  windowMs?: number | undefined
}

/**
 * Why a window length cannot be evaluated, or null when it can: windows merge the run's per-second histograms,
 * so a window is a whole number of seconds, at least one.
 */
export function windowProblem(windowMs: number): { message: string; hint: string } | null {
  if (windowMs < 1000) return { message: `window ${windowMs} ms is shorter than 1 s, the resolution of the per-second histograms`, hint: 'use a whole number of seconds, e.g. "10s"' }
  if (windowMs % 1000 !== 0) return { message: `window ${windowMs / 1000} s is not a whole number of seconds: windows are made of the per-second histograms`, hint: `use "${Math.floor(windowMs / 1000)}s" or "${Math.ceil(windowMs / 1000)}s"` }
  return null
}

/** Every problem of one `thresholds:` entry: unknown metric or tag, bad expression, an aggregation the metric has not, a window it cannot have. */
export function thresholdEntryProblems(key: string, entries: readonly ThresholdEntry[], suggest: Suggest): ThresholdProblem[] {
  const problems: ThresholdProblem[] = []
  const { metric, tags } = parseMetricKey(key)
  if (!isThresholdMetric(metric)) {
    problems.push({ where: 'key', message: `unknown metric "${metric}"`, hint: suggest(metric, thresholdMetricNames) })
    return problems
  }
  const spec: ThresholdMetric = thresholdMetrics[metric]
  for (const [tag, value] of Object.entries(tags)) {
    const domain = spec.tags[tag]
    if (domain === undefined) {
      const allowed = Object.keys(spec.tags)
      problems.push({ where: 'key', message: `${metric} has no tag "${tag}"`, hint: allowed.length === 0 ? `${metric} takes no tags: write it without {…}` : suggest(tag, allowed) })
      continue
    }
    const values: readonly string[] = domain === 'fraud-kind' ? fraudKinds : anomalyKinds
    if (!values.includes(value)) problems.push({ where: 'key', message: `unknown ${domain.replace('-', ' ')} "${value}" in ${key}`, hint: suggest(value, values) })
  }
  entries.forEach((entry, index) => {
    const parsed = parseThreshold(entry.threshold)
    if ('error' in parsed) {
      problems.push({ where: 'expression', index, message: parsed.error, hint: 'write aggregation, operator, number, e.g. "p(99)<2000" or "count==0"' })
    } else if (!aggregationApplies(parsed, spec.kind)) {
      const fit = spec.kind === 'trend' ? 'p(N), avg, min, max, med or count' : 'value, count, min, max, avg or med'
      problems.push({ where: 'expression', index, message: `${metric} is a ${spec.kind} metric: "${entry.threshold}" observes nothing on it`, hint: `use ${fit}` })
    }
    if (entry.windowMs !== undefined) {
      const problem = spec.kind === 'trend' ? windowProblem(entry.windowMs) : { message: `window applies to latency (trend) metrics only: ${metric} is one number per run`, hint: 'remove window, or put it on a latency metric such as pipeline_e2e_latency_ms' }
      if (problem !== null) problems.push({ where: 'window', index, ...problem })
    }
    // abortOnFail is checked every second of the load on the per-second histograms: only latencies exist by then.
    if (entry.abortOnFail && spec.kind !== 'trend') problems.push({ where: 'abortOnFail', index, message: `abortOnFail needs a metric measured while the load runs: ${metric} is known only once the run has drained`, hint: 'remove abortOnFail (and delayAbortEval); the run still fails with exit 1 when the threshold fails' })
  })
  return problems
}
