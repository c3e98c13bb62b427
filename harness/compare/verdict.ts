import { exceeds, type GateRule } from './gates.ts'
import type { TestOutcome } from './statistics.ts'
import type { MetricDefinition } from './types.ts'

/**
 * A metric's verdict. `regressed`: worse, significantly (or at all, for an exact metric), and beyond its rule's
 * tolerance; `improved`: better in the same sense; `within-tolerance`: a significant change no larger than the
 * tolerance; `unchanged`: no significant change; `not-measured`: one side has no value; `untested`: a statistical
 * metric with one run a side and no per-second series to test it on.
 */
export type Verdict = 'regressed' | 'improved' | 'within-tolerance' | 'unchanged' | 'not-measured' | 'untested'

/** How far the candidate is worse than the baseline, in the metric's unit (negative: better). */
export function worsening(metric: MetricDefinition, baseline: number, candidate: number): number {
  return metric.direction === 'lower-is-better' ? candidate - baseline : baseline - candidate
}

/**
 * The verdict of a metric measured on both sides, and the rule that decided it: the first rule the worsening
 * exceeds, else the first rule that applies.
 */
export function decide(metric: MetricDefinition, baseline: number, candidate: number, test: TestOutcome, rules: readonly GateRule[]): { verdict: Verdict; rule: GateRule | null } {
  const first = rules[0] ?? null
  if (test.test === 'none') return { verdict: 'untested', rule: first }
  const worse = worsening(metric, baseline, candidate)
  const significant = test.test === 'exact' ? worse !== 0 : test.significant
  if (!significant || worse === 0) return { verdict: significant ? 'within-tolerance' : 'unchanged', rule: first }
  if (worse > 0) {
    const violated = rules.find((rule) => exceeds(rule, metric, worse, baseline))
    return violated !== undefined ? { verdict: 'regressed', rule: violated } : { verdict: 'within-tolerance', rule: first }
  }
  return { verdict: rules.every((rule) => exceeds(rule, metric, -worse, baseline)) ? 'improved' : 'within-tolerance', rule: first }
}
