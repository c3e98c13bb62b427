import { describe, expect, it } from 'vitest'
import { linearTrend, meanAndDeviation, medianOf, percentile, spread } from './index.ts'

describe('percentile (nearest rank)', () => {
  it('takes the smallest value with at least p % at or below it', () => {
    expect(percentile([5, 1, 3, 2, 4], 50)).toBe(3)
    expect(percentile([5, 1, 3, 2, 4], 95)).toBe(5)
    expect(percentile([1, 2, 3, 4], 50)).toBe(2)
    expect(percentile([7], 99)).toBe(7)
  })

  it('is null for an empty list, never zero', () => {
    expect(percentile([], 50)).toBeNull()
    expect(spread([])).toEqual({ p50: null, p95: null, max: null })
    expect(medianOf([])).toBeNull()
  })

  it('spread and median', () => {
    expect(spread([10, 30, 20])).toEqual({ p50: 20, p95: 30, max: 30 })
    expect(medianOf([4, 1, 3, 2])).toBe(2.5)
  })
})

describe('linearTrend', () => {
  it('recovers the slope of a line exactly, with zero error', () => {
    const t = linearTrend([0, 1, 2, 3, 4], [1, 3, 5, 7, 9])
    expect(t?.slope).toBeCloseTo(2)
    expect(t?.stderr).toBeCloseTo(0)
  })

  it('a sawtooth has a flat trend with a non-zero error', () => {
    const xs = Array.from({ length: 40 }, (_, i) => i)
    const t = linearTrend(xs, xs.map((i) => (i % 2 === 0 ? 400 : 0)))
    expect(Math.abs(t?.slope ?? Infinity)).toBeLessThan(1)
    expect(t?.stderr).toBeGreaterThan(0)
  })

  it('is null without two points or without spread in x', () => {
    expect(linearTrend([1], [1])).toBeNull()
    expect(linearTrend([2, 2, 2], [1, 2, 3])).toBeNull()
  })
})

describe('meanAndDeviation', () => {
  it('gives the sample standard deviation', () => {
    expect(meanAndDeviation([2, 4, 4, 4, 5, 5, 7, 9])).toEqual({ mean: 5, sd: Math.sqrt(32 / 7) })
    expect(meanAndDeviation([1])).toBeNull()
  })
})
