import { TelcobenchError } from '../errors.ts'
import type { MetricDefinition } from './types.ts'

/**
 * A gate rule: how much worse a metric may get before compare calls it a regression. `rated.p99 +10%` allows the
 * candidate's rated p99 to be up to 10 % higher; `billing.charge_exact_match_ratio -0` allows no decrease at all.
 * The sign says which way is worse and must agree with the metric's direction.
 */
export interface GateRule {
  /** As written on the command line, or `default` for the built-in tolerance. */
  text: string
  /** A metric name, or a pattern in which `*` stands for any characters (`*.p99`, `detection.*.recall`). */
  pattern: string
  /** `+`: an increase is the worsening (lower is better); `-`: a decrease is. */
  sign: '+' | '-'
  tolerance: { kind: 'relative'; fraction: number } | { kind: 'absolute'; amount: number; unit: 'ms' | 's' | null }
}

/**
 * Without a rule, a statistical metric may worsen by up to 5 % before a significant change counts as a
 * regression: the run-to-run spread of latency percentiles on a quiet machine is of that order (README
 * "Performance": rated p99 2.6–2.7 s in three quickstart runs), so smaller shifts are not worth a red build.
 */
export const defaultStatisticalTolerance = 0.05

/** The built-in rule of a metric no `--fail-on` rule names: 5 % for statistical metrics, nothing for exact ones. */
export function defaultRule(metric: MetricDefinition): GateRule {
  const sign = metric.direction === 'lower-is-better' ? '+' : '-'
  return metric.class === 'statistical'
    ? { text: 'default', pattern: metric.name, sign, tolerance: { kind: 'relative', fraction: defaultStatisticalTolerance } }
    : { text: 'default', pattern: metric.name, sign, tolerance: { kind: 'absolute', amount: 0, unit: null } }
}

const grammar = "<metric> <+|-><amount>[%|ms|s], e.g. --fail-on 'rated.p99 +10%', --fail-on 'rated.p99 +200ms' or --fail-on 'accounting.lost_events +0'"

/** Parses one `--fail-on` rule; a malformed one is a usage error (exit 2) that names it and shows the grammar. */
export function parseGateRule(text: string): GateRule {
  const m = /^\s*([A-Za-z0-9_.*-]+)\s+([+-])\s*(\d+(?:\.\d+)?)\s*(%|ms|s)?\s*$/.exec(text)
  const refuse = (why: string): never => {
    throw new TelcobenchError('TB_USAGE', `--fail-on '${text}': ${why}`, { fix: `write ${grammar}` })
  }
  if (m === null) {
    if (!/\s/.test(text.trim())) return refuse('a rule is a metric and a tolerance separated by a space')
    if (/\s\d/.test(text)) return refuse('the tolerance needs a sign: + when an increase is worse (latency, lost events), - when a decrease is (rates, exact-match ratios)')
    return refuse('the tolerance is a signed number, optionally followed by % (of the baseline), ms or s')
  }
  const [, pattern = '', sign = '+', number = '0', unit] = m
  const amount = Number(number)
  const tolerance: GateRule['tolerance'] = unit === '%' ? { kind: 'relative', fraction: amount / 100 } : { kind: 'absolute', amount, unit: unit === 'ms' || unit === 's' ? unit : null }
  return { text: text.trim(), pattern, sign: sign === '-' ? '-' : '+', tolerance }
}

function matcher(pattern: string): RegExp {
  return new RegExp(`^${pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`)
}

const worseSign = (metric: MetricDefinition): '+' | '-' => (metric.direction === 'lower-is-better' ? '+' : '-')

/**
 * The rules that apply to each metric: the `--fail-on` rules that name it (a pattern applies to the metrics it
 * matches whose worsening has its sign), or the default rule. Refuses, as usage errors, a rule that names no metric
 * of the runs, a time tolerance on a metric that is not a time, and a sign that contradicts the metric it names.
 */
export function rulesByMetric(rules: readonly GateRule[], metrics: readonly MetricDefinition[]): Map<string, GateRule[]> {
  const byMetric = new Map<string, GateRule[]>(metrics.map((metric) => [metric.name, []]))
  for (const rule of rules) {
    const isPattern = rule.pattern.includes('*')
    const named = metrics.filter((metric) => matcher(rule.pattern).test(metric.name))
    if (named.length === 0) {
      throw new TelcobenchError('TB_USAGE', `--fail-on '${rule.text}': no metric of these runs is called ${rule.pattern}`, { fix: `use a name from the compare table, e.g. ${closest(rule.pattern, metrics)}` })
    }
    const applies = isPattern ? named.filter((metric) => worseSign(metric) === rule.sign) : named
    for (const metric of applies) {
      if (!isPattern && worseSign(metric) !== rule.sign) {
        const worse = metric.direction === 'lower-is-better' ? 'an increase' : 'a decrease'
        throw new TelcobenchError('TB_USAGE', `--fail-on '${rule.text}': ${metric.name} is ${metric.direction}, so its worsening is ${worse}`, { fix: `write '${metric.name} ${worseSign(metric)}${toleranceText(rule).slice(1)}'` })
      }
      if (rule.tolerance.kind === 'absolute' && rule.tolerance.unit !== null && metric.unit !== 'ms' && metric.unit !== 's') {
        throw new TelcobenchError('TB_USAGE', `--fail-on '${rule.text}': ${metric.name} is in ${metric.unit}, not a time`, { fix: `give the tolerance in % or in ${metric.unit} without a unit, e.g. '${metric.name} ${rule.sign}5%'` })
      }
      byMetric.get(metric.name)?.push(rule)
    }
    if (applies.length === 0) {
      throw new TelcobenchError('TB_USAGE', `--fail-on '${rule.text}': the metrics ${rule.pattern} matches get worse the other way (${rule.sign === '+' ? 'a decrease' : 'an increase'} is worse for them)`, { fix: `write '${rule.pattern} ${rule.sign === '+' ? '-' : '+'}…'` })
    }
  }
  for (const metric of metrics) {
    const list = byMetric.get(metric.name)
    if (list !== undefined && list.length === 0) list.push(defaultRule(metric))
  }
  return byMetric
}

function closest(pattern: string, metrics: readonly MetricDefinition[]): string {
  const tail = pattern.split('.').pop() ?? pattern
  const sameTail = metrics.find((metric) => metric.name.endsWith(`.${tail}`))
  return sameTail?.name ?? metrics[0]?.name ?? 'rated.p99'
}

/** A rule's tolerance in the metric's own unit for an absolute rule, or as a fraction of the baseline for a relative one. */
export function toleranceText(rule: GateRule): string {
  const t = rule.tolerance
  const amount = t.kind === 'relative' ? `${Number((t.fraction * 100).toPrecision(6))}%` : `${t.amount}${t.unit ?? ''}`
  return `${rule.sign}${amount}`
}

/**
 * How far the candidate is worse than the baseline, measured in the rule's terms, and whether that exceeds the
 * rule: worsening > tolerance. A relative rule against a baseline of 0 counts any worsening as beyond it.
 */
export function exceeds(rule: GateRule, metric: MetricDefinition, worsening: number, baseline: number): boolean {
  const t = rule.tolerance
  if (t.kind === 'relative') {
    if (baseline === 0) return worsening > 0
    return worsening / Math.abs(baseline) > t.fraction
  }
  const scale = t.unit === null || t.unit === metric.unit ? 1 : t.unit === 's' ? 1000 : 1 / 1000
  return worsening > t.amount * scale
}
