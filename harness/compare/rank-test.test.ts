import { describe, expect, it } from 'vitest'
import { mannWhitneyU } from './rank-test.ts'

/** The two-sided p-value by brute force: every way of splitting the pooled values into groups of the same sizes. */
function bruteForceP(x: number[], y: number[]): number {
  const pooled = [...x, ...y]
  const n = pooled.length
  const sorted = [...pooled].sort((a, b) => a - b)
  const rank = (v: number): number => {
    const first = sorted.indexOf(v)
    const last = sorted.lastIndexOf(v)
    return (first + last) / 2 + 1
  }
  const ranks = pooled.map(rank)
  const expected = (x.length * (n + 1)) / 2
  const observed = Math.abs(x.map(rank).reduce((s, r) => s + r, 0) - expected)
  let all = 0
  let extreme = 0
  for (let mask = 0; mask < 1 << n; mask++) {
    let bits = 0
    let sum = 0
    for (let i = 0; i < n; i++) {
      if ((mask >> i) & 1) {
        bits++
        sum += ranks[i] ?? 0
      }
    }
    if (bits !== x.length) continue
    all++
    if (Math.abs(sum - expected) >= observed - 1e-9) extreme++
  }
  return extreme / all
}

describe('the Mann–Whitney U test', () => {
  it('finds no difference between identical samples', () => {
    expect(mannWhitneyU([5, 5, 5, 5], [5, 5, 5, 5])).toEqual({ u: 8, pValue: 1, smallestPValue: 1, method: 'exact' })
    expect(mannWhitneyU([1, 2, 3, 4], [1, 2, 3, 4]).pValue).toBe(1)
  })

  it('gives the exact p of a complete separation: 2 / C(6,3) with 3 runs a side, 2 / C(8,4) with 4', () => {
    expect(mannWhitneyU([1, 2, 3], [4, 5, 6])).toEqual({ u: 0, pValue: 0.1, smallestPValue: 0.1, method: 'exact' })
    const four = mannWhitneyU([10, 11, 12, 13], [20, 21, 22, 23])
    expect(four.pValue).toBeCloseTo(2 / 70, 12)
    expect(four.u).toBe(0)
    expect(mannWhitneyU([20, 21, 22, 23], [10, 11, 12, 13]).u).toBe(16)
  })

  it('has the floors docs/ci.md lists: the smallest p with 2, 3, 4 and 5 runs a side', () => {
    const floor = (n: number): number => mannWhitneyU(Array.from({ length: n }, (_, i) => i), Array.from({ length: n }, (_, i) => 100 + i)).smallestPValue
    expect([2, 3, 4, 5].map((n) => Number(floor(n).toPrecision(2)))).toEqual([0.33, 0.1, 0.029, 0.0079])
  })

  it('cannot reach 95 % with three runs a side, and says so through its smallest p', () => {
    expect(mannWhitneyU([1, 2, 3], [7, 8, 9]).smallestPValue).toBeGreaterThan(0.05)
    expect(mannWhitneyU([1, 2, 3, 4], [7, 8, 9, 10]).smallestPValue).toBeLessThan(0.05)
  })

  it('equals a brute-force count over every split, ties included', () => {
    const cases: [number[], number[]][] = [
      [[0.8, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46], [1.15, 0.88, 0.9, 0.74, 1.21]],
      [[3, 3, 4, 7, 7], [3, 5, 7, 8, 8, 9]],
      [[2600, 2650, 2700], [2610, 2900, 3100, 2950]],
    ]
    for (const [x, y] of cases) expect(mannWhitneyU(x, y).pValue).toBeCloseTo(bruteForceP(x, y), 12)
  })

  it('uses the normal approximation beyond 100 values, and finds a clear shift there', () => {
    const low = Array.from({ length: 60 }, (_, i) => i)
    const high = Array.from({ length: 60 }, (_, i) => 100 + i)
    const r = mannWhitneyU(low, high)
    expect(r.method).toBe('normal')
    expect(r.pValue).toBeLessThan(1e-10)
    expect(mannWhitneyU(low, [...low]).pValue).toBe(1)
  })
})
