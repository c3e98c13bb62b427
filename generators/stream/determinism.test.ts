import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { LANES } from './model.ts'
import { collect, scenarioFrom, type CollectedEvent } from './test-helpers.ts'

const yaml = `version: 1
name: determinism
seed: 11
startTime: "2026-01-09T17:00:00Z"
duration: 90m
timeCompression: 30
population: { subscribers: 3000 }
topology: { sites: 6 }
traffic:
  flashCrowds: { crowd: { startTime: 20m, duration: 20m, cells: 3, multiplier: 10 } }
fraud:
  box: { kind: SIMBOX, share: 0.005, simsPerBox: 5 }
  wan: { kind: WANGIRI, victimShare: 0.1, callbackShare: 0.05 }
  irsf: { kind: IRSF, startTime: 5m, concurrentCalls: 4 }
  pbx: { kind: PBX, startTime: 10m }
  sub: { kind: SUBSCRIPTION, share: 0.002 }
  swap: { kind: SIMSWAP, swaps: 2 }
hardNegatives:
  callCentres: { count: 1, agentsPerCentre: 5 }
  m2mFleets: { count: 2 }
  heavyInternationalCallers: { share: 0.01 }
anomalies:
  sleepy: { kind: SLEEPING_CELL, startTime: 10m, duration: 30m, cells: [1] }
  storm: { kind: ALARM_STORM, startTime: 30m, duration: 5m, cells: [2, 3, 4, 5, 6] }
badInput:
  exactDuplicates: 0.01
  resends: 0.01
  late: { share: 0.01 }
  outOfOrder: { share: 0.01 }
  malformedJson: 0.005
  negativeDuration: 0.005
  unknownSubscriber: 0.005
  badImsi: 0.005
  oversized: 0.001
`

function digest(events: CollectedEvent[], truth: Map<string, string[]>): string {
  const h = createHash('sha256')
  for (const e of events) h.update(e.line).update('\n')
  for (const [kind, lines] of [...truth].sort(([a], [b]) => a.localeCompare(b))) h.update(kind).update(lines.join('\n'))
  return h.digest('hex')
}

const laneOf = (id: string | null): number => Number(id?.split('-')[1])

describe('determinism', () => {
  const full = collect(scenarioFrom(yaml))

  it('produces every topic and every truth kind', () => {
    expect(new Set(full.events.map((e) => e.topic))).toEqual(new Set(['cdr', 'pm', 'alarms']))
    expect([...full.truth.keys()].sort()).toEqual(['anomaly', 'bill', 'charge', 'injection', 'label', 'summary'])
  })

  it('gives byte-identical events and truth for the same scenario and seed', () => {
    const again = collect(scenarioFrom(yaml))
    expect(again.events.length).toBe(full.events.length)
    expect(digest(again.events, again.truth)).toBe(digest(full.events, full.truth))
  })

  it('changes with the seed', () => {
    const other = collect(scenarioFrom(yaml.replace('seed: 11', 'seed: 12')))
    expect(digest(other.events, other.truth)).not.toBe(digest(full.events, full.truth))
  })

  it('emits in schedule order (sendOffsetNs never decreases)', () => {
    for (let i = 1; i < full.events.length; i++) {
      const prev = full.events[i - 1]?.sendOffsetNs ?? 0
      if ((full.events[i]?.sendOffsetNs ?? 0) < prev) throw new Error(`event ${i} goes back in time`)
    }
  })
})

describe('sharding', () => {
  const full = collect(scenarioFrom(yaml))

  it.each([2, 3, 7])('%i shards are disjoint, each is the unsharded stream restricted to its lanes, and the union is the whole', (count) => {
    const shards = Array.from({ length: count }, (_, index) => collect(scenarioFrom(yaml), { index, count }))
    shards.forEach((shard, index) => {
      const expected = full.events.filter((e) => laneOf(e.id) % count === index).map((e) => e.line)
      expect(shard.events.map((e) => e.line)).toEqual(expected)
    })
    expect(shards.reduce((n, s) => n + s.events.length, 0)).toBe(full.events.length)
    for (const kind of ['charge', 'bill', 'label', 'anomaly', 'injection'] as const) {
      const union = shards.flatMap((s) => s.truth.get(kind) ?? []).sort()
      expect(union, kind).toEqual([...(full.truth.get(kind) ?? [])].sort())
    }
  })

  it('rejects more shards than lanes', () => {
    expect(() => collect(scenarioFrom(yaml), { index: 0, count: LANES + 1 })).toThrow(RangeError)
  })
})
