import { describe, expect, it } from 'vitest'
import { roundRate, searchCapacity, type PointVerdict } from './search.ts'

/** A system that holds every rate up to `capacity`, and a harness that cannot offer more than `harnessCeiling`. */
function system(capacity: number, harnessCeiling = Infinity): (rate: number) => Promise<PointVerdict> {
  return (rate) => Promise.resolve(rate > harnessCeiling ? 'invalid' : rate <= capacity ? 'pass' : 'fail')
}

const base = { startEps: 1000, maxEps: 100_000, minEps: 100, resolution: 0.1 }

describe('capacity search', () => {
  it('doubles until a rate fails, then bisects geometrically to the resolution', async () => {
    const r = await searchCapacity({ ...base, measure: system(5000) })
    expect(r.measured.map((m) => m.rateEps)).toEqual([1000, 2000, 4000, 8000, 5660, 4760, 5190])
    expect(r.measured.map((m) => m.verdict)).toEqual(['pass', 'pass', 'pass', 'fail', 'fail', 'pass', 'fail'])
    expect(r).toMatchObject({ capacityEps: 4760, limitEps: 5190, stoppedBy: 'slo' })
  })

  it('halves while the start fails', async () => {
    const r = await searchCapacity({ ...base, resolution: 0.5, measure: system(300) })
    expect(r.measured.map((m) => m.rateEps)).toEqual([1000, 500, 250, 354])
    expect(r).toMatchObject({ capacityEps: 250, limitEps: 354, stoppedBy: 'slo' })
  })

  it('stops at the first rate the harness could not offer: capacity is at least the last pass', async () => {
    const r = await searchCapacity({ ...base, measure: system(50_000, 3000) })
    expect(r.measured.map((m) => m.verdict)).toEqual(['pass', 'pass', 'invalid'])
    expect(r).toMatchObject({ capacityEps: 2000, limitEps: 4000, stoppedBy: 'harness' })
  })

  it('halves when even the start could not be offered, and ends as a harness limit once a rate passes', async () => {
    const r = await searchCapacity({ ...base, measure: system(50_000, 700) })
    expect(r.measured.map((m) => [m.rateEps, m.verdict])).toEqual([[1000, 'invalid'], [500, 'pass'], [707, 'invalid']])
    expect(r).toMatchObject({ capacityEps: 500, limitEps: 707, stoppedBy: 'harness' })
  })

  it('stops at --max-rate when everything passes, and says nothing passed when the lowest rate fails', async () => {
    expect(await searchCapacity({ ...base, maxEps: 3000, measure: system(1e9) })).toMatchObject({ capacityEps: 3000, limitEps: null, stoppedBy: 'max-rate' })
    const none = await searchCapacity({ ...base, measure: system(10) })
    expect(none.measured.map((m) => m.rateEps)).toEqual([1000, 500, 250, 125])
    expect(none).toMatchObject({ capacityEps: null, limitEps: 125, stoppedBy: 'none-passed' })
  })

  it('stops before the next point once interrupted', async () => {
    let points = 0
    const r = await searchCapacity({ ...base, measure: (rate) => { points++; return system(5000)(rate) }, stopped: () => points >= 2 })
    expect(r.measured).toHaveLength(2)
    expect(r.stoppedBy).toBe('interrupted')
  })

  it('rounds rates to three significant figures', () => {
    expect([roundRate(5656.85), roundRate(123_456), roundRate(9.876), roundRate(0)]).toEqual([5660, 123_000, 9.88, 0])
  })
})
