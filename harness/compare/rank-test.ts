import { errorFunction, wilcoxonRankSum } from 'simple-statistics'

/** The outcome of a two-sided Mann–Whitney U test. */
export interface RankTestResult {
  /** U of the first sample (its rank sum less n₁(n₁+1)/2). */
  u: number
  /** Two-sided p-value. */
  pValue: number
  /** The smallest p-value these sample sizes can give at all: with 3 runs a side it is 0.1, so 95 % is out of reach. */
  smallestPValue: number
  method: 'exact' | 'normal'
}

/**
 * Up to this many values in all, the p-value is exact: the permutation distribution of the rank sum (ties as
 * mid-ranks) counted by dynamic programming, which takes milliseconds at 100 values. Beyond, the normal
 * approximation with tie and continuity corrections, which is accurate there.
 */
const exactUpTo = 100

/** Mid-ranks (1-based, ties share their mean rank) of the pooled values, doubled so that they are integers. */
function doubledMidRanks(pooled: readonly number[]): number[] {
  const order = pooled.map((value, index) => ({ value, index })).sort((a, b) => a.value - b.value)
  const ranks = new Array<number>(pooled.length).fill(0)
  for (let start = 0; start < order.length; ) {
    let end = start
    while (end + 1 < order.length && order[end + 1]?.value === order[start]?.value) end++
    for (let k = start; k <= end; k++) ranks[order[k]?.index ?? 0] = start + end + 2
    start = end + 1
  }
  return ranks
}

/** How many ways each doubled rank sum arises when n of the ranks are drawn: index = sum (a 0/1 knapsack count). */
function rankSumCounts(ranks: readonly number[], n: number): number[] {
  const maxSum = ranks.reduce((s, r) => s + r, 0)
  const ways: number[][] = Array.from({ length: n + 1 }, (_, k) => {
    const row = new Array<number>(maxSum + 1).fill(0)
    if (k === 0) row[0] = 1
    return row
  })
  for (const rank of ranks) {
    // Drawn-count descending, so each rank is used at most once per subset.
    for (let k = n; k >= 1; k--) {
      const from = ways[k - 1] ?? []
      const to = ways[k] ?? []
      for (let s = maxSum - rank; s >= 0; s--) {
        const c = from[s] ?? 0
        if (c > 0) to[s + rank] = (to[s + rank] ?? 0) + c
      }
    }
  }
  return ways[n] ?? []
}

/**
 * Two-sided Mann–Whitney U (Wilcoxon rank-sum) test of two samples, e.g. the per-run p99 of the baseline runs
 * against the candidate runs. Rank-based, so it needs no assumption about the spread of runs and never averages a
 * percentile; deterministic, because the permutation distribution is counted, not sampled.
 */
export function mannWhitneyU(x: readonly number[], y: readonly number[]): RankTestResult {
  if (x.length === 0 || y.length === 0) throw new Error('mannWhitneyU needs a value on each side')
  const n1 = x.length
  const total = n1 + y.length
  const rankSum = wilcoxonRankSum([...x], [...y])
  const u = rankSum - (n1 * (n1 + 1)) / 2
  if (total <= exactUpTo) {
    const ranks = doubledMidRanks([...x, ...y])
    const counts = rankSumCounts(ranks, n1)
    const expected = n1 * (total + 1)
    const observed = Math.abs(Math.round(2 * rankSum) - expected)
    let all = 0
    let extreme = 0
    let widest = 0
    counts.forEach((c, s) => {
      if (c === 0) return
      all += c
      if (Math.abs(s - expected) >= observed) extreme += c
      widest = Math.max(widest, Math.abs(s - expected))
    })
    const atWidest = counts.reduce((sum, c, s) => (Math.abs(s - expected) >= widest ? sum + c : sum), 0)
    return { u, pValue: extreme / all, smallestPValue: atWidest / all, method: 'exact' }
  }
  const n2 = total - n1
  const tieSizes = new Map<number, number>()
  for (const v of [...x, ...y]) tieSizes.set(v, (tieSizes.get(v) ?? 0) + 1)
  const tieTerm = [...tieSizes.values()].reduce((s, t) => s + (t ** 3 - t), 0) / (total * (total - 1))
  const sd = Math.sqrt(((n1 * n2) / 12) * (total + 1 - tieTerm))
  if (sd === 0) return { u, pValue: 1, smallestPValue: 0, method: 'normal' }
  const z = Math.max(0, Math.abs(u - (n1 * n2) / 2) - 0.5) / sd
  return { u, pValue: Math.min(1, 1 - errorFunction(z / Math.SQRT2)), smallestPValue: 0, method: 'normal' }
}
