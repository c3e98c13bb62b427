import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { collect, records, scenarioFrom, type CollectedEvent } from './test-helpers.ts'

const base = `version: 1
name: precursors
seed: 21
startTime: "2026-01-06T08:00:00Z"
duration: 4h
timeCompression: 200
population: { subscribers: 3000 }
topology: { sites: 3 }
traffic:
  pm: { granularity: 5m }
anomalies:
  quiet: { kind: SLEEPING_CELL, startTime: 1h, duration: 30m, cells: [4]PRE_QUIET }
  busy: { kind: CONGESTION, startTime: 2h, duration: 30m, cells: [7, 8]PRE_BUSY }
  ramp: { kind: KPI_DEGRADATION, startTime: 3h, duration: 40m, cells: [12] }
  storm: { kind: ALARM_STORM, startTime: 2h30m, duration: 10m, cells: [2] }
`

const without = base.replace('PRE_QUIET', '').replace('PRE_BUSY', '')
const withPrecursors = base.replace('PRE_QUIET', ', precursor: 40m').replace('PRE_BUSY', ', precursor: 30m')

function digest(events: CollectedEvent[], truth: Map<string, string[]>): string {
  const h = createHash('sha256')
  for (const e of events) h.update(e.line).update('\n')
  for (const [kind, lines] of [...truth].sort(([a], [b]) => a.localeCompare(b))) h.update(kind).update(lines.join('\n'))
  return h.digest('hex')
}

const warningProblem = /E-RAB release rate|output power/

interface Anomaly { name: string; cell: string; start: number; end: number; precursorStart?: number }

describe('precursors (docs/telecom-model.md "Precursors")', () => {
  const plain = collect(scenarioFrom(without))
  const warned = collect(scenarioFrom(withPrecursors))
  const anomalies = (warned.truth.get('anomaly') ?? []).map((l) => JSON.parse(l) as Anomaly)
  const byName = (name: string): Anomaly[] => anomalies.filter((a) => a.name === name)

  it('leave a scenario without precursors byte for byte as it was generated before precursors existed', () => {
    // Pinned from the generators of commit 06d25e6, before precursors were added.
    expect(digest(plain.events, plain.truth)).toBe('cfcf4eb1a49924c1f79432197bf1ef0d38513aac4247e42cbbdd82808a574f72')
    expect((plain.truth.get('anomaly') ?? []).every((l) => !l.includes('precursorStart'))).toBe(true)
  })

  it('put the precursor start in the truth of the warned anomalies only', () => {
    const quiet = byName('quiet')[0]
    expect(quiet?.precursorStart).toBe((quiet?.start ?? 0) - 40 * 60_000)
    expect(byName('busy').map((a) => (a.start - (a.precursorStart ?? 0)) / 60_000)).toEqual([30, 30])
    expect(byName('ramp')[0]?.precursorStart).toBeUndefined()
    expect(byName('storm')[0]?.precursorStart).toBeUndefined()
  })

  it('raise minor warning alarms on the warned cells only inside the precursor window, three times as many in its second half', () => {
    // Ten warned cells of 30 min: 12 raises per hour per cell at the start, growing from 0, is 3 per cell expected.
    const many = collect(scenarioFrom(`version: 1
name: precursor-alarms
seed: 3
startTime: "2026-01-06T08:00:00Z"
duration: 2h
timeCompression: 200
population: { subscribers: 300 }
topology: { sites: 3 }
traffic:
  pm: { granularity: 5m }
anomalies:
  busy: { kind: CONGESTION, startTime: 1h, duration: 30m, cells: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], precursor: 30m }
`))
    const windows = (many.truth.get('anomaly') ?? []).map((l) => JSON.parse(l) as Anomaly)
    const warnings = records(many.events).filter((r) => r.type === 'alarm' && warningProblem.test(String(r.specificProblem)))
    const raises = warnings.filter((r) => r.perceivedSeverity === 'minor')
    expect(warnings.length).toBe(2 * raises.length)
    expect(raises.length).toBeGreaterThanOrEqual(12)
    expect(raises.length).toBeLessThanOrEqual(50)
    let firstHalf = 0
    for (const r of raises) {
      const w = windows.find((a) => a.cell === r.cell)
      if (w?.precursorStart === undefined) throw new Error(`a warning alarm on ${String(r.cell)}, which has no precursor`)
      const t = Number(r.eventTime)
      expect(t).toBeGreaterThanOrEqual(w.precursorStart)
      expect(t).toBeLessThan(w.start + 1)
      if (t < (w.precursorStart + w.start) / 2) firstHalf++
    }
    // The rate grows linearly: a quarter of the raises are expected in the first half.
    expect(raises.length - firstHalf).toBeGreaterThanOrEqual(2 * firstHalf)
    expect(records(plain.events).filter((r) => r.type === 'alarm' && warningProblem.test(String(r.specificProblem)))).toEqual([])
    expect(records(warned.events).filter((r) => r.type === 'alarm' && warningProblem.test(String(r.specificProblem))).length).toBeGreaterThan(0)
  })

  it('raise the abnormal-release share of a busy warned cell in the last periods before the start above its normal level', () => {
    // One cell carrying everybody: enough bearers per period that 0.4 % of them is not rounded away.
    const busy = collect(scenarioFrom(`version: 1
name: precursor-drops
seed: 4
startTime: "2026-01-06T09:00:00Z"
duration: 2h
timeCompression: 200
population: { subscribers: 2500 }
topology: { sites: 1, sectorsPerSite: 1, carriersPerSector: 1 }
traffic:
  pm: { granularity: 5m }
anomalies:
  busy: { kind: CONGESTION, startTime: 1h30m, duration: 30m, cells: [0], precursor: 30m }
`))
    const [a] = (busy.truth.get('anomaly') ?? []).map((l) => JSON.parse(l) as Anomaly)
    if (a?.precursorStart === undefined) throw new Error('the anomaly has a precursor')
    const pm = records(busy.events).filter((r) => r.type === 'pm' && r.cell === a.cell)
    const share = (from: number, to: number): number => {
      const rows = pm.filter((r) => Number(r.eventTime) >= from && Number(r.eventTime) < to)
      const abnormal = rows.reduce((n, r) => n + Number(r['ERAB.RelAbnormalEnbAct']), 0)
      const succ = rows.reduce((n, r) => n + Number(r['ERAB.EstabInitSuccNbr']), 0)
      return abnormal / Math.max(1, succ)
    }
    const normal = share(a.start - 90 * 60_000, a.precursorStart)
    expect(normal).toBeGreaterThan(0.002)
    expect(normal).toBeLessThan(0.008)
    expect(share(a.start - 15 * 60_000, a.start)).toBeGreaterThan(2 * normal)
  })

  it('change nothing on the cells and times outside the precursor windows', () => {
    const pmOutside = (events: CollectedEvent[]): string[] => {
      const windows = anomalies.filter((a) => a.precursorStart !== undefined)
      return records(events)
        .filter((r) => r.type === 'pm' && !windows.some((a) => a.cell === r.cell && Number(r.eventTime) + 300_000 > (a.precursorStart ?? 0) && Number(r.eventTime) < a.start))
        .map((r) => `${String(r.cell)} ${String(r.eventTime)} ${String(r['RRC.ConnEstabAtt'])} ${String(r['ERAB.RelAbnormalEnbAct'])}`)
    }
    expect(pmOutside(warned.events)).toEqual(pmOutside(plain.events))
  })
})
