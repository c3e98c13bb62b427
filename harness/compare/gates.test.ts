import { describe, expect, it } from 'vitest'
import { TelcobenchError } from '../errors.ts'
import { defaultRule, exceeds, parseGateRule, rulesByMetric, toleranceText } from './gates.ts'
import type { MetricDefinition } from './types.ts'

const p99: MetricDefinition = { name: 'rated.p99', unit: 'ms', direction: 'lower-is-better', class: 'statistical', windows: { kind: 'latency', stream: 'rated', percentile: 99 } }
const bills99: MetricDefinition = { ...p99, name: 'bills.p99', windows: { kind: 'latency', stream: 'bills', percentile: 99 } }
const output: MetricDefinition = { name: 'throughput.output_eps', unit: 'eps', direction: 'higher-is-better', class: 'statistical', windows: { kind: 'rate', field: 'rated' } }
const exactMatch: MetricDefinition = { name: 'billing.charge_exact_match_ratio', unit: 'ratio', direction: 'higher-is-better', class: 'exact', windows: null }
const lost: MetricDefinition = { name: 'accounting.lost_events', unit: 'events', direction: 'lower-is-better', class: 'exact', windows: null }
const recover: MetricDefinition = { name: 'faults.crash-driver.time_to_recover_s', unit: 's', direction: 'lower-is-better', class: 'statistical', windows: null }
const all = [p99, bills99, output, exactMatch, lost, recover]

/** The usage error a rule gives: its message and its fix. */
function refusal(run: () => unknown): { code: string; message: string; fix: string | undefined } {
  try {
    run()
  } catch (error) {
    if (error instanceof TelcobenchError) return { code: error.code, message: error.message, fix: error.fix }
    throw error
  }
  throw new Error('no error')
}

describe('gate rules', () => {
  it('parse relative, absolute and time tolerances with the sign of the worsening', () => {
    expect(parseGateRule('rated.p99 +10%')).toEqual({ text: 'rated.p99 +10%', pattern: 'rated.p99', sign: '+', tolerance: { kind: 'relative', fraction: 0.1 } })
    expect(parseGateRule('billing.charge_exact_match_ratio -0')).toEqual({ text: 'billing.charge_exact_match_ratio -0', pattern: 'billing.charge_exact_match_ratio', sign: '-', tolerance: { kind: 'absolute', amount: 0, unit: null } })
    expect(parseGateRule('  rated.p99   +200ms ')).toEqual({ text: 'rated.p99   +200ms', pattern: 'rated.p99', sign: '+', tolerance: { kind: 'absolute', amount: 200, unit: 'ms' } })
    expect(parseGateRule('*.p99 + 1.5 s').tolerance).toEqual({ kind: 'absolute', amount: 1.5, unit: 's' })
    expect(parseGateRule('throughput.output_eps -2.5%').tolerance).toEqual({ kind: 'relative', fraction: 0.025 })
  })

  it.each([
    ['rated.p99', 'a rule is a metric and a tolerance separated by a space'],
    ['rated.p99 10%', 'the tolerance needs a sign'],
    ['rated.p99 +ten', 'the tolerance is a signed number, optionally followed by % (of the baseline), ms or s'],
    ['rated.p99 +10 %%', 'the tolerance is a signed number'],
  ])('refuse %j as a usage error naming the rule, with the grammar as the fix', (text, why) => {
    const e = refusal(() => parseGateRule(text))
    expect(e.code).toBe('TB_USAGE')
    expect(e.message).toContain(`--fail-on '${text}': ${why}`)
    expect(e.fix).toBe("write <metric> <+|-><amount>[%|ms|s], e.g. --fail-on 'rated.p99 +10%', --fail-on 'rated.p99 +200ms' or --fail-on 'accounting.lost_events +0'")
  })

  it('apply to the metrics they name; a pattern to those whose worsening has its sign; the default to the rest', () => {
    const rules = rulesByMetric([parseGateRule('*.p99 +10%'), parseGateRule('billing.charge_exact_match_ratio -0')], all)
    expect(rules.get('rated.p99')?.map((r) => r.text)).toEqual(['*.p99 +10%'])
    expect(rules.get('bills.p99')?.map((r) => r.text)).toEqual(['*.p99 +10%'])
    expect(rules.get('billing.charge_exact_match_ratio')?.map((r) => r.text)).toEqual(['billing.charge_exact_match_ratio -0'])
    expect(rules.get('throughput.output_eps')).toEqual([defaultRule(output)])
    expect(rules.get('accounting.lost_events')).toEqual([defaultRule(lost)])
    expect(toleranceText(defaultRule(output))).toBe('-5%')
    expect(toleranceText(defaultRule(lost))).toBe('+0')
  })

  it('refuse a rule on no metric, a sign against the direction, and a time on a metric that is not one', () => {
    expect(refusal(() => rulesByMetric([parseGateRule('rated.p98 +10%')], all))).toEqual({ code: 'TB_USAGE', message: "--fail-on 'rated.p98 +10%': no metric of these runs is called rated.p98", fix: 'use a name from the compare table, e.g. rated.p99' })
    expect(refusal(() => rulesByMetric([parseGateRule('billing.charge_exact_match_ratio +0')], all))).toEqual({ code: 'TB_USAGE', message: "--fail-on 'billing.charge_exact_match_ratio +0': billing.charge_exact_match_ratio is higher-is-better, so its worsening is a decrease", fix: "write 'billing.charge_exact_match_ratio -0'" })
    expect(refusal(() => rulesByMetric([parseGateRule('throughput.output_eps -5s')], all)).message).toBe("--fail-on 'throughput.output_eps -5s': throughput.output_eps is in eps, not a time")
    expect(refusal(() => rulesByMetric([parseGateRule('*.p99 -10%')], all)).message).toBe("--fail-on '*.p99 -10%': the metrics *.p99 matches get worse the other way (an increase is worse for them)")
  })

  it('are exceeded only by a worsening beyond the tolerance, converting seconds and milliseconds', () => {
    const tenPercent = parseGateRule('rated.p99 +10%')
    expect(exceeds(tenPercent, p99, 100, 1000)).toBe(false)
    expect(exceeds(tenPercent, p99, 101, 1000)).toBe(true)
    expect(exceeds(parseGateRule('rated.p99 +0.2s'), p99, 200, 1000)).toBe(false)
    expect(exceeds(parseGateRule('rated.p99 +0.2s'), p99, 201, 1000)).toBe(true)
    expect(exceeds(parseGateRule('faults.crash-driver.time_to_recover_s +500ms'), recover, 0.6, 10)).toBe(true)
    expect(exceeds(parseGateRule('accounting.lost_events +0'), lost, 1, 0)).toBe(true)
    expect(exceeds(parseGateRule('accounting.lost_events +0'), lost, 0, 0)).toBe(false)
    // From a baseline of 0, any worsening is beyond a relative tolerance.
    expect(exceeds(parseGateRule('accounting.lost_events +50%'), lost, 1, 0)).toBe(true)
  })
})
