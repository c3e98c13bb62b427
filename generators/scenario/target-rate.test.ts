import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { createEventStream } from '../stream/engine.ts'
import { formatIssue } from './issues.ts'
import { validateScenarioText, type ValidationResult } from './validate.ts'

const quickstart = readFileSync(new URL('../../scenarios/quickstart.yaml', import.meta.url), 'utf8')
/** quickstart with its pace stated as a rate instead of a timeCompression. */
const atRate = (rate: string): string => quickstart.replace(/^timeCompression: .*$/m, `load:\n  rate: ${rate}`)

function errorsOf(r: ValidationResult): string[] {
  return r.ok ? [] : r.errors.map(formatIssue)
}

describe('load.rate', () => {
  it('derives timeCompression so that the run offers the rate, and the generated run does', () => {
    const r = validateScenarioText(atRate('1000/s'), 'rated.yaml')
    if (!r.ok) throw new Error(errorsOf(r).join('\n'))
    const s = r.scenario
    expect(s.timeCompression).toBeCloseTo(1000 / s.load.meanEventsPerSimSecond, 9)
    expect(Math.abs(s.load.meanEventsPerWallSecond / 1000 - 1)).toBeLessThan(0.01)
    expect(s.load.targetEventsPerWallSecond).toBe(1000)
    expect(s.wallDurationS).toBeCloseTo(s.durationMs / 1000 / s.timeCompression, 9)
    let sent = 0
    const stream = createEventStream(s)
    while (stream.next().done !== true) sent++
    expect(Math.abs(sent / s.wallDurationS / 1000 - 1)).toBeLessThan(0.05)
  }, 30_000)

  it('takes any rate unit: 60000/m is 1000/s', () => {
    const perMinute = validateScenarioText(atRate('60000/m'), 'm.yaml')
    const perSecond = validateScenarioText(atRate('1000/s'), 's.yaml')
    if (!perMinute.ok || !perSecond.ok) throw new Error('both are valid')
    expect(perMinute.scenario.timeCompression).toBeCloseTo(perSecond.scenario.timeCompression, 9)
  })

  it('refuses timeCompression beside it, at the timeCompression key, with the fix', () => {
    const text = atRate('1000/s').replace('duration: 2h\n', 'duration: 2h\ntimeCompression: 240\n')
    const line = text.split('\n').findIndex((l) => l.startsWith('timeCompression:')) + 1
    expect(errorsOf(validateScenarioText(text, 'both.yaml'))).toEqual([
      `both.yaml:${line}:1  timeCompression  timeCompression and load.rate both set the pace of the run  (remove timeCompression, load.rate derives it; or remove load.rate)`,
    ])
  })

  it('refuses a zero rate and one that would need more than the largest timeCompression', () => {
    expect(errorsOf(validateScenarioText(atRate('0/s'), 'zero.yaml')).join('\n')).toMatch(/^zero\.yaml:\d+:\d+ {2}load\.rate {2}load\.rate must be above 0/)
    expect(errorsOf(validateScenarioText(atRate('900000000/s'), 'huge.yaml')).join('\n')).toMatch(/load\.rate {2}load\.rate 900,000,000\/s needs timeCompression [\d,]+, above the maximum 1,000,000 .*\(lower load\.rate or add subscribers/)
  })

  it('a scenario without it keeps its own timeCompression and has no target', () => {
    const r = validateScenarioText(quickstart, 'quickstart.yaml')
    if (!r.ok) throw new Error(errorsOf(r).join('\n'))
    expect(r.scenario.timeCompression).toBe(240)
    expect(r.scenario.load.targetEventsPerWallSecond).toBeNull()
  })
})
