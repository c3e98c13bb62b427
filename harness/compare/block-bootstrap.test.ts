import { describe, expect, it } from 'vitest'
import { blockBootstrapDifference, blockLengthFor, correlationLength, type BootstrapInterval } from './block-bootstrap.ts'
import { seededRandom } from './random.ts'
import type { Blocks, WindowedSeries } from './windows.ts'

/** A per-second series whose statistic is the mean of the resampled windows. */
function meanSeries(values: number[]): WindowedSeries {
  const statistics = (blocks: Blocks): number[] => {
    let sum = 0
    let n = 0
    for (let i = 0; i < blocks.count; i++) {
      for (let w = blocks.starts[i] ?? 0; w < (blocks.starts[i] ?? 0) + (blocks.lengths[i] ?? 0); w++) sum += values[w] ?? 0
      n += blocks.lengths[i] ?? 0
    }
    return [sum / n]
  }
  return { length: values.length, perWindow: [values], statistics }
}

/** The one interval of a single-statistic series. */
const only = (intervals: BootstrapInterval[]): BootstrapInterval => {
  const [first] = intervals
  if (first === undefined || intervals.length !== 1) throw new Error(`expected one interval, got ${intervals.length}`)
  return first
}

/** Noise around `level`: uniform in ±10, the same for the same seed. */
function noisy(level: number, n: number, seed: number): number[] {
  const random = seededRandom(seed)
  return Array.from({ length: n }, () => level + (random() - 0.5) * 20)
}

const options = { confidence: 0.95, resamples: 2000, seed: 1 }

describe('the moving-block bootstrap of a pair of runs', () => {
  it('finds no difference between a run and itself: the interval holds 0', () => {
    const series = meanSeries(noisy(100, 120, 7))
    const r = only(blockBootstrapDifference(series, series, options))
    expect(r.estimate).toBe(0)
    expect(r.low).toBeLessThan(0)
    expect(r.high).toBeGreaterThan(0)
    expect(r.windows).toEqual({ baseline: 120, candidate: 120 })
  })

  it('finds a clear shift: +20 on noise of ±10 gives an interval above 0 around +20', () => {
    const r = only(blockBootstrapDifference(meanSeries(noisy(100, 120, 7)), meanSeries(noisy(120, 120, 8)), options))
    expect(r.low).toBeGreaterThan(15)
    expect(r.high).toBeLessThan(25)
    expect(r.low).toBeLessThan(r.estimate)
    expect(r.high).toBeGreaterThan(r.estimate)
  })

  it('is deterministic for a seed', () => {
    const base = meanSeries(noisy(100, 60, 3))
    const cand = meanSeries(noisy(103, 60, 4))
    expect(blockBootstrapDifference(base, cand, options)).toEqual(blockBootstrapDifference(base, cand, options))
    expect(blockBootstrapDifference(base, cand, { ...options, seed: 2 })).not.toEqual(blockBootstrapDifference(base, cand, options))
  })

  it('widens the interval when neighbouring seconds move together, which an i.i.d. bootstrap would miss', () => {
    // Ten-second plateaus: each value repeats ten times, so there are only twelve independent values in 120 seconds.
    const plateaus = noisy(100, 12, 5).flatMap((v) => new Array<number>(10).fill(v))
    const series = meanSeries(plateaus)
    const blocked = only(blockBootstrapDifference(series, series, options))
    const iid = only(blockBootstrapDifference(series, series, { ...options, blockLength: 1 }))
    expect(blocked.blockLength).toBeGreaterThanOrEqual(10)
    expect(blocked.high - blocked.low).toBeGreaterThan(1.5 * (iid.high - iid.low))
  })
})

describe('the block length', () => {
  it('is ∛n for a series without correlation, and never more than n/2', () => {
    expect(correlationLength(new Array<number>(27).fill(4))).toBe(0)
    expect(blockLengthFor(new Array<number>(27).fill(4))).toBe(3)
    expect(blockLengthFor(noisy(0, 1000, 11))).toBe(10)
    expect(blockLengthFor([1, 2, 3, 4])).toBe(2)
  })

  it('grows with the correlation: ten-second plateaus give blocks of at least ten seconds', () => {
    const plateaus = noisy(0, 30, 9).flatMap((v) => new Array<number>(10).fill(v))
    expect(correlationLength(plateaus)).toBeGreaterThanOrEqual(5)
    expect(blockLengthFor(plateaus)).toBeGreaterThanOrEqual(10)
  })
})
