import { describe, expect, it } from 'vitest'
import { newHistogram } from './histograms.ts'
import { buildTimeline, mergedP99Ms, newTimelineCounters, secondOf } from './timeline.ts'

describe('timeline', () => {
  it('second windows count from the origin; instants before it fall in window 0', () => {
    expect(secondOf(5_500_000_000n, 1_000_000_000n)).toBe(4)
    expect(secondOf(500_000_000n, 1_000_000_000n)).toBe(0)
  })

  it('backlog = acknowledged − accounted and e2e backlog = scheduled − accounted, cumulatively', () => {
    const c = newTimelineCounters()
    c.offered.add(0, 100)
    c.offered.add(1, 100)
    c.offered.add(2, 100)
    c.acked.add(0, 90)
    c.acked.add(1, 60) // broker slow in second 1
    c.acked.add(2, 150)
    c.accounted.add(1, 80)
    c.accounted.add(2, 200)
    c.outputs.rated.add(2, 210) // 10 copies of replayed records: outputs count them, accounting does not
    const h = newHistogram()
    h.recordValue(120_000)
    const points = buildTimeline(c, new Map([[2, h]]), 3)
    expect(points.map((p) => p.backlog)).toEqual([90, 70, 20, 20])
    expect(points.map((p) => p.e2e_backlog)).toEqual([100, 120, 20, 20])
    expect(points[2]?.rated).toBe(210)
    expect(points[2]?.rated_p99_ms).toBeCloseTo(120, 0)
    expect(points[1]?.rated_p99_ms).toBeNull()
  })

  it('merges the per-second histograms for a range instead of averaging their p99s', () => {
    const fast = newHistogram()
    for (let i = 0; i < 99; i++) fast.recordValue(1_000)
    const slow = newHistogram()
    slow.recordValue(900_000)
    const intervals = new Map([[0, fast], [1, slow]])
    // p99 of 100 values with one at 900 ms is 1 ms; the mean of the two per-second p99s would be ~450 ms
    expect(mergedP99Ms(intervals, 0, 2)).toBeCloseTo(1, 1)
    expect(mergedP99Ms(intervals, 5, 6)).toBeNull()
  })
})
