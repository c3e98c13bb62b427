import { describe, expect, it } from 'vitest'
import { linearRegression } from 'simple-statistics'
import { linearTrend, meanAndDeviation, medianInterval, medianOf, neweyWestLags, percentile, spread } from './index.ts'

const linearRegressionOf = (xs: number[], ys: number[]): { m: number; b: number } => linearRegression(xs.map((x, i) => [x, ys[i] ?? 0]))

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

  it('widens the error when neighbouring residuals move together (Newey–West), and keeps the classical one otherwise', () => {
    const xs = Array.from({ length: 30 }, (_, i) => i)
    // Residuals in runs of five seconds up, five down: strongly autocorrelated.
    const blocky = xs.map((i) => (Math.floor(i / 5) % 2 === 0 ? 60 : 0))
    // The same values alternating every second: negatively correlated, where the classical error is the floor.
    const alternating = xs.map((i) => (i % 2 === 0 ? 60 : 0))
    const classical = (ys: number[]): number => {
      const t = linearRegressionOf(xs, ys)
      const sxx = xs.reduce((s, x) => s + (x - 14.5) ** 2, 0)
      const sse = xs.reduce((s, x, i) => s + ((ys[i] ?? 0) - (t.b + t.m * x)) ** 2, 0)
      return Math.sqrt(sse / 28 / sxx)
    }
    expect(neweyWestLags(30)).toBe(3)
    expect(linearTrend(xs, blocky)?.stderr).toBeGreaterThan(1.2 * classical(blocky))
    expect(linearTrend(xs, alternating)?.stderr).toBeCloseTo(classical(alternating), 9)
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

describe('the order-statistic interval of the median', () => {
  it('takes the narrowest pair of order statistics that covers the median with 95 %', () => {
    // n = 10: [x(2), x(9)] covers with 1 − 2·P(B ≤ 1) = 1 − 2·11/1024; [x(3), x(8)] only with 1 − 2·56/1024.
    const ten = medianInterval([10, 1, 9, 2, 8, 3, 7, 4, 6, 5])
    expect(ten?.low).toBe(2)
    expect(ten?.high).toBe(9)
    expect(ten?.level).toBeCloseTo(1 - 22 / 1024, 12)
    // n = 6: [min, max] covers with 1 − 2/64 = 96.9 %.
    const six = medianInterval([3, 1, 2, 6, 5, 4])
    expect([six?.low, six?.high]).toEqual([1, 6])
    expect(six?.level).toBeCloseTo(1 - 2 / 64, 12)
  })

  it('gives [min, max] with the coverage it has when there are too few values for 95 %, nothing for one value', () => {
    const two = medianInterval([7, 3])
    expect([two?.low, two?.high]).toEqual([3, 7])
    expect(two?.level).toBeCloseTo(0.5, 12)
    expect(medianInterval([1, 2, 3, 4, 5])?.level).toBeCloseTo(1 - 2 / 32, 12)
    expect(medianInterval([4])).toBeNull()
    expect(medianInterval([])).toBeNull()
  })
})
