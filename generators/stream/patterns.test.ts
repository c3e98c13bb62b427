import { describe, expect, it } from 'vitest'
import { collect, records, scenarioFrom } from './test-helpers.ts'

const s = scenarioFrom(`version: 1
name: patterns
seed: 5
startTime: "2026-01-09T20:00:00Z"
duration: 3h
timeCompression: 100
population: { subscribers: 4000, businessPbxShare: 0.03 }
topology: { sites: 4 }
fraud:
  box: { kind: SIMBOX, share: 0.004, simsPerBox: 8 }
  irsf: { kind: IRSF, startTime: 10m, concurrentCalls: 6 }
  swap: { kind: SIMSWAP, startTime: 30m, swaps: 2 }
  wan: { kind: WANGIRI, victimShare: 0.1, callbackShare: 0.05 }
anomalies:
  sleepy: { kind: SLEEPING_CELL, startTime: 30m, duration: 1h, cells: [4] }
  storm: { kind: ALARM_STORM, startTime: 1h, duration: 10m, cells: [0, 1, 2], alarmsPerCell: 30 }
badInput: { exactDuplicates: 0.02, resends: 0.02 }
`)
const run = collect(s)
const all = records(run.events)
const labels = (run.truth.get('label') ?? []).map((l) => JSON.parse(l) as { kind: string; entity: string; start: number; end: number; details?: Record<string, unknown> })
const anomalies = (run.truth.get('anomaly') ?? []).map((l) => JSON.parse(l) as { kind: string; cell: string; start: number; end: number })
const usage = all.filter((r) => r.type === 'voice' || r.type === 'sms' || r.type === 'data')

describe('fraud signatures show in the records (docs/telecom-model.md §7.2)', () => {
  it('SIM-box SIMs only make calls, from one cell, sharing their box IMEI', () => {
    const sims = new Set(labels.filter((l) => l.kind === 'SIMBOX').map((l) => l.entity))
    expect(sims.size).toBe(16)
    const theirs = usage.filter((r) => sims.has(String(r.subscriber)))
    expect(new Set(theirs.map((r) => r.type))).toEqual(new Set(['voice']))
    const perSim = new Map<string, { cells: Set<unknown>; imeis: Set<unknown> }>()
    for (const r of theirs) {
      const e = perSim.get(String(r.subscriber)) ?? { cells: new Set(), imeis: new Set() }
      e.cells.add(r.cell)
      e.imeis.add(r.servedIMEI)
      perSim.set(String(r.subscriber), e)
    }
    for (const e of perSim.values()) {
      expect(e.cells.size).toBe(1)
      expect(e.imeis.size).toBe(1)
    }
    expect(new Set(theirs.map((r) => r.servedIMEI)).size).toBe(2)
  })

  it('an IRSF account pumps premium calls on several channels at once', () => {
    const victim = labels.find((l) => l.kind === 'IRSF')?.entity
    const premium = usage.filter((r) => r.subscriber === victim && String(r.calledNumber).startsWith('88213') && Number(r.callDuration) > 60)
    expect(premium.length).toBeGreaterThan(20)
    const at = (premium[premium.length - 1]?.answerTime as number) - 1
    const concurrent = premium.filter((r) => Number(r.answerTime) <= at && Number(r.releaseTime) > at).length
    expect(concurrent).toBeGreaterThanOrEqual(3)
  })

  it('after a SIM swap the MSISDN appears under a new IMSI and IMEI, and the old IMSI falls silent', () => {
    for (const l of labels.filter((x) => x.kind === 'SIMSWAP')) {
      const mine = usage.filter((r) => r.servedMSISDN === l.details?.msisdn)
      const after = mine.filter((r) => r.servedIMSI === l.entity)
      expect(after.length).toBeGreaterThan(0)
      for (const r of after) {
        expect(Number(r.eventTime)).toBeGreaterThanOrEqual(l.start)
        expect(r.servedIMEI).toBe(l.details?.newImei)
      }
      // Records close after they start: an old-IMSI record may close after the swap, never start after it.
      const oldAfterSwap = mine.filter((r) => r.servedIMSI === l.details?.oldImsi && Number(r.answerTime ?? r.originationTime ?? r.recordOpeningTime) > l.start)
      expect(oldAfterSwap).toEqual([])
    }
  })

  it('Wangiri victims call the campaign numbers back', () => {
    const numbers = new Set(labels.filter((l) => l.kind === 'WANGIRI').map((l) => l.entity))
    const callbacks = new Set(usage.filter((r) => numbers.has(String(r.calledNumber))).map((r) => r.callReference))
    expect(callbacks.size).toBe(Math.round(Math.round(0.1 * 4000) * 0.05))
  })
})

describe('network anomalies show in PM and alarms (docs/telecom-model.md §8)', () => {
  it('a sleeping cell reports zero attempts, serves no usage and raises no alarm', () => {
    const a = anomalies.find((x) => x.kind === 'SLEEPING_CELL')
    if (a === undefined) throw new Error('no anomaly truth')
    const pm = all.filter((r) => r.type === 'pm' && r.cell === a.cell && Number(r.eventTime) >= a.start && Number(r.eventTime) < a.end)
    expect(pm.length).toBeGreaterThan(0)
    for (const r of pm) expect(r['RRC.ConnEstabAtt']).toBe(0)
    const served = usage.filter((r) => r.cell === a.cell && r.type === 'sms' && Number(r.eventTime) > a.start + 60_000 && Number(r.eventTime) < a.end)
    expect(served).toEqual([])
  })

  it('an alarm storm raises and clears many alarms on its cells', () => {
    const storm = anomalies.filter((x) => x.kind === 'ALARM_STORM')
    const cells = new Set(storm.map((x) => x.cell))
    const start = storm[0]?.start ?? 0
    const end = storm[0]?.end ?? 0
    const raises = all.filter((r) => r.type === 'alarm' && cells.has(String(r.cell)) && r.perceivedSeverity !== 'cleared' && Number(r.eventTime) >= start && Number(r.eventTime) < end)
    expect(raises.length).toBeGreaterThan(90 * 0.6)
    const cleared = new Set(all.filter((r) => r.type === 'alarm' && r.perceivedSeverity === 'cleared').map((r) => r.alarmId))
    expect(raises.filter((r) => !cleared.has(r.alarmId)).length).toBe(0)
  })
})

describe('copies', () => {
  it('an exact duplicate repeats the bytes but emitNs; a re-send has a new id and the same call reference', () => {
    const injections = (run.truth.get('injection') ?? []).map((l) => JSON.parse(l) as { kind: string; id: string; copies?: string })
    const byId = new Map<string, string[]>()
    for (const e of run.events) if (e.id !== null) byId.set(e.id, [...(byId.get(e.id) ?? []), e.value])
    const dup = injections.find((i) => i.kind === 'duplicate')
    const [original, copy] = byId.get(dup?.id ?? '') ?? []
    expect(copy?.replace(/"emitNs":\d+/, '')).toBe(original?.replace(/"emitNs":\d+/, ''))
    const resend = injections.find((i) => i.kind === 'resend')
    const a = JSON.parse(byId.get(resend?.copies ?? '')?.[0] ?? '{}') as Record<string, unknown>
    const b = JSON.parse(byId.get(resend?.id ?? '')?.[0] ?? '{}') as Record<string, unknown>
    expect(b.id).not.toBe(a.id)
    expect({ ...b, id: a.id, emitNs: 0 }).toEqual({ ...a, emitNs: 0 })
  })
})
