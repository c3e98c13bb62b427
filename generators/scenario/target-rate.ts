import { estimateLoad, formatEventsPerSecond } from './load.ts'
import type { RuleFinding } from './rules.ts'
import { MAX_TIME_COMPRESSION, type ScenarioConfig } from './schema.ts'

/**
 * `load.rate`: the pace of a run stated as the rate it offers. The records a run sends do not depend on
 * timeCompression (it only maps simulated time onto the wall clock), so the timeCompression that makes the
 * mean offered rate equal the target is target / (expected records per simulated second).
 * `timeCompressionGiven` says whether the file itself sets timeCompression (the parsed value may be the default).
 */
export function applyTargetRate(s: ScenarioConfig, timeCompressionGiven: boolean): { scenario: ScenarioConfig; findings: RuleFinding[] } {
  const target = s.load.rate
  if (target === undefined) return { scenario: s, findings: [] }
  const refuse = (path: string[], message: string, hint: string, atKey = false): { scenario: ScenarioConfig; findings: RuleFinding[] } => ({
    scenario: s,
    findings: [{ path, message, hint, severity: 'error', ...(atKey ? { atKey } : {}) }],
  })
  if (timeCompressionGiven) {
    return refuse(['timeCompression'], `timeCompression and load.rate both set the pace of the run`, 'remove timeCompression, load.rate derives it; or remove load.rate', true)
  }
  if (target <= 0) return refuse(['load', 'rate'], 'load.rate must be above 0', 'give the offered rate, e.g. rate: 5000/s')
  const perSimSecond = estimateLoad(s).meanEventsPerSimSecond
  if (perSimSecond <= 0) return refuse(['load', 'rate'], 'the scenario sends no records, so no timeCompression reaches load.rate', 'add subscribers or traffic, or set timeCompression instead')
  const timeCompression = target / perSimSecond
  if (timeCompression > MAX_TIME_COMPRESSION) {
    return refuse(['load', 'rate'], `load.rate ${formatEventsPerSecond(target)}/s needs timeCompression ${Math.round(timeCompression).toLocaleString('en-US')}, above the maximum ${MAX_TIME_COMPRESSION.toLocaleString('en-US')} (the scenario sends ${formatEventsPerSecond(perSimSecond)} records per simulated second)`, 'lower load.rate or add subscribers so that each simulated second carries more records')
  }
  return { scenario: { ...s, timeCompression }, findings: [] }
}
