import { readFileSync, readdirSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import type { Topic } from '../stream/entry.ts'
import { createEventStream } from '../stream/engine.ts'
import { formatEventsPerSecond } from './load.ts'
import type { ResolvedScenario } from './resolved.ts'
import { validateScenarioText } from './validate.ts'

const scenariosDir = new URL('../../scenarios/', import.meta.url)
const shipped = readdirSync(scenariosDir).filter((f) => f.endsWith('.yaml'))
/** The two largest take 4–14 s each to generate on the 2-core build machine (the others 0.3–3 s). */
const tooLongToGenerate = ['busy-hour.yaml', 'flash-crowd.yaml']
/**
 * ci-smoke's run is 1,490 records: one seed's count varies by ±4.2 % (1 sd, measured over 40 seeds) around the
 * expectation, mostly from heavy-tailed data volumes (one 1.4 GB session closes 29 records). Its own seed lands
 * 7 % above the estimate, so it is held to the mean over ten seeds instead (docs/generators.md "Offered load").
 */
const tooSmallForOneSeed = ['ci-smoke.yaml']

function resolve(text: string, file: string): ResolvedScenario {
  const r = validateScenarioText(text, file)
  if (!r.ok) throw new Error(r.errors.map((e) => `${e.path} ${e.message}`).join('\n'))
  return r.scenario
}

/** Runs the generator as `telcobench generate` does (no truth) and counts what it would send, per topic. */
function generatedCounts(s: ResolvedScenario): Record<Topic, number> {
  const counts: Record<Topic, number> = { cdr: 0, pm: 0, alarms: 0 }
  for (const event of createEventStream(s)) counts[event.topic]++
  return counts
}

function total(counts: Record<Topic, number>): number {
  return counts.cdr + counts.pm + counts.alarms
}

/** Relative error of the estimate against the records the generator sends per wall second. */
function estimateError(s: ResolvedScenario, generated: number): number {
  return s.load.meanEventsPerWallSecond / (generated / s.wallDurationS) - 1
}

const text = (file: string): string => readFileSync(new URL(file, scenariosDir), 'utf8')

describe('the offered-rate estimate follows the generators', () => {
  const generatedHere = shipped.filter((f) => !tooLongToGenerate.includes(f) && !tooSmallForOneSeed.includes(f))

  it.each(generatedHere)('%s: estimate within ±5% of the records generated per wall second, PM exact', (file) => {
    const s = resolve(text(file), file)
    const counts = generatedCounts(s)
    expect(Math.abs(estimateError(s, total(counts)))).toBeLessThan(0.05)
    expect(s.load.expectedRecords.pm).toBe(counts.pm)
    expect(s.load.expectedEvents).toBeCloseTo(s.load.expectedRecords.cdr + s.load.expectedRecords.pm + s.load.expectedRecords.alarms, 6)
  }, 60_000)

  it.each(tooSmallForOneSeed)('%s: estimate within ±5% of the mean over ten seeds', (file) => {
    const source = text(file)
    let generated = 0
    let estimated = 0
    for (let seed = 1; seed <= 10; seed++) {
      const s = resolve(source.replace(/^seed: \d+/m, `seed: ${seed}`), file)
      generated += total(generatedCounts(s)) / s.wallDurationS
      estimated += s.load.meanEventsPerWallSecond
    }
    expect(Math.abs(estimated / generated - 1)).toBeLessThan(0.05)
  }, 60_000)

  it('counts every pattern: all fraud kinds, call centres, heavy callers, storms, copies, short partials, a flash crowd', () => {
    const s = resolve(`version: 1
name: every-pattern
seed: 11
startTime: "2026-01-09T06:30:00Z"
duration: 3h
timeCompression: 60
population: { subscribers: 6000 }
topology: { sites: 30 }
traffic:
  voice: { partialInterval: 2m }
  data: { partialInterval: 10m, partialVolume: 10MB }
  pm: { granularity: 5m }
  alarms: { perCell: 12/day }
  flashCrowds: { crowd: { startTime: 1h, duration: 30m, cells: 5, multiplier: 10 } }
fraud:
  box: { kind: SIMBOX, share: 0.005, simsPerBox: 5 }
  wan: { kind: WANGIRI, victimShare: 0.1, callbackShare: 0.05 }
  irsf: { kind: IRSF, startTime: 5m, concurrentCalls: 4 }
  pbx: { kind: PBX, startTime: 10m, duration: 2h }
  sub: { kind: SUBSCRIPTION, share: 0.002 }
  swap: { kind: SIMSWAP, swaps: 2 }
hardNegatives:
  callCentres: { count: 2, agentsPerCentre: 20, openHour: 8, closeHour: 18 }
  m2mFleets: { count: 2 }
  heavyInternationalCallers: { share: 0.01 }
anomalies:
  storm: { kind: ALARM_STORM, startTime: 2h45m, duration: 30m, cells: [0, 1, 64, 65, 200] }
badInput:
  exactDuplicates: 0.02
  resends: 0.01
  duplicateDelay: 5m
  malformedJson: 0.005
  negativeDuration: 0.005
`, 'every-pattern.yaml')
    const counts = generatedCounts(s)
    expect(Math.abs(estimateError(s, total(counts)))).toBeLessThan(0.05)
    expect(s.load.expectedRecords.pm).toBe(counts.pm)
    expect(Math.abs(s.load.expectedRecords.alarms / counts.alarms - 1)).toBeLessThan(0.1)
  }, 60_000)

  it('counts the records a tariff switch closes (test/fixtures/tariff-switch.yaml crosses 20:00)', () => {
    const file = new URL('../../test/fixtures/tariff-switch.yaml', import.meta.url)
    const s = resolve(readFileSync(file, 'utf8'), 'tariff-switch.yaml')
    expect(Math.abs(estimateError(s, total(generatedCounts(s))))).toBeLessThan(0.05)
  }, 60_000)

  it('does not depend on timeCompression: the same records, spread over less wall time', () => {
    const slow = resolve(text('quickstart.yaml'), 'quickstart.yaml')
    const fast = resolve(text('quickstart.yaml').replace(/^timeCompression: \d+/m, 'timeCompression: 480'), 'quickstart.yaml')
    expect(fast.load.expectedEvents).toBe(slow.load.expectedEvents)
    expect(fast.load.meanEventsPerWallSecond).toBeCloseTo(2 * slow.load.meanEventsPerWallSecond, 6)
  })

  it('follows the window of the day: the same hours at 03:00 offer far less than at 18:00', () => {
    const at = (time: string): number => resolve(text('quickstart.yaml').replace(/^startTime: "[^"]+"/m, `startTime: "2026-01-06T${time}:00Z"`), 'quickstart.yaml').load.meanEventsPerWallSecond
    expect(at('03:00')).toBeLessThan(at('17:00') / 4)
  })
})

describe('formatEventsPerSecond', () => {
  it('groups thousands with commas above 10 ev/s and keeps one decimal below', () => {
    expect([0.25, 9.96, 10, 999.6, 12_345.4, 1_234_567].map(formatEventsPerSecond)).toEqual(['0.3', '10.0', '10', '1,000', '12,345', '1,234,567'])
  })
})
