import { percentileOfSorted } from '../stats/index.ts'
import { seededRandom } from './random.ts'
import type { Blocks, WindowedSeries } from './windows.ts'

/** A percentile-bootstrap confidence interval of candidate − baseline for one statistic. */
export interface BootstrapInterval {
  /** candidate − baseline over all windows of each run. */
  estimate: number
  low: number
  high: number
  /** Windows per block. */
  blockLength: number
  resamples: number
  windows: { baseline: number; candidate: number }
}

export interface BootstrapOptions {
  /** Confidence of the interval, e.g. 0.95. */
  confidence: number
  resamples: number
  seed: number
  /** Windows per block; chosen from the series when not given ({@link blockLengthFor}). */
  blockLength?: number
}

/**
 * The lag after which the series' autocorrelation stays negligible: the smallest m such that the next K
 * autocorrelations are all within ±2·√(log₁₀ n / n), K = max(5, ⌈√log₁₀ n⌉) (Politis 2003, the empirical rule
 * Politis & White 2004 start their automatic block length from). 0 for a constant series.
 */
export function correlationLength(series: readonly number[]): number {
  const n = series.length
  if (n < 3) return 0
  const mean = series.reduce((s, v) => s + v, 0) / n
  const centred = series.map((v) => v - mean)
  const variance = centred.reduce((s, v) => s + v * v, 0)
  if (variance === 0) return 0
  const acf = (lag: number): number => {
    let sum = 0
    for (let i = 0; i + lag < n; i++) sum += (centred[i] ?? 0) * (centred[i + lag] ?? 0)
    return sum / variance
  }
  const bound = 2 * Math.sqrt(Math.log10(n) / n)
  const run = Math.max(5, Math.ceil(Math.sqrt(Math.log10(n))))
  const half = Math.floor(n / 2)
  for (let m = 0; m < half; m++) {
    let quiet = true
    for (let k = m + 1; k <= Math.min(m + run, n - 1) && quiet; k++) quiet = Math.abs(acf(k)) < bound
    if (quiet) return m
  }
  return half
}

/**
 * Windows per block: twice the correlation length (the bandwidth Politis & White 2004 use), so that windows in
 * different blocks are nearly independent, but at least ∛n (Hall, Horowitz & Jing 1995) and at most n/2.
 */
export function blockLengthFor(series: readonly number[]): number {
  const n = series.length
  return Math.max(1, Math.min(Math.floor(n / 2), Math.max(Math.ceil(Math.cbrt(n)), 2 * correlationLength(series))))
}

/** The block length of a series of several statistics: the longest any of them needs. */
export function seriesBlockLength(series: WindowedSeries): number {
  return Math.max(1, ...series.perWindow.map(blockLengthFor))
}

/** Moving-block resample of n windows: ⌈n/L⌉ blocks of L consecutive windows, each starting uniformly at random, the last cut so that n windows are drawn. */
function resample(n: number, blockLength: number, random: () => number, into: Blocks): Blocks {
  const length = Math.min(blockLength, n)
  let drawn = 0
  let count = 0
  while (drawn < n) {
    into.starts[count] = Math.floor(random() * (n - length + 1))
    into.lengths[count] = Math.min(length, n - drawn)
    drawn += length
    count++
  }
  into.count = count
  return into
}

const blocksFor = (n: number, blockLength: number): Blocks => {
  const most = Math.ceil(n / Math.max(1, Math.min(blockLength, n)))
  return { starts: new Int32Array(most), lengths: new Int32Array(most), count: 0 }
}

/**
 * Moving-block bootstrap (Künsch 1989) of a single pair of runs: each run's per-second windows are resampled in
 * blocks, so that the dependence between neighbouring seconds (a slow micro-batch delays the next ones too) stays
 * inside the resample, and each statistic of the candidate's resample less the baseline's gives one draw of its
 * difference. Each interval is the percentile interval of its draws; all are deterministic for a given seed.
 */
export function blockBootstrapDifference(baseline: WindowedSeries, candidate: WindowedSeries, o: BootstrapOptions): BootstrapInterval[] {
  const blockLength = o.blockLength ?? Math.max(seriesBlockLength(baseline), seriesBlockLength(candidate))
  const random = seededRandom(o.seed)
  const baseBlocks = blocksFor(baseline.length, blockLength)
  const candBlocks = blocksFor(candidate.length, blockLength)
  const whole = (n: number): Blocks => ({ starts: Int32Array.of(0), lengths: Int32Array.of(n), count: 1 })
  const baseAll = baseline.statistics(whole(baseline.length))
  const candAll = candidate.statistics(whole(candidate.length))
  const draws = candAll.map(() => new Float64Array(o.resamples))
  for (let b = 0; b < o.resamples; b++) {
    const base = baseline.statistics(resample(baseline.length, blockLength, random, baseBlocks))
    const cand = candidate.statistics(resample(candidate.length, blockLength, random, candBlocks))
    for (let k = 0; k < draws.length; k++) {
      const d = draws[k]
      if (d !== undefined) d[b] = (cand[k] ?? Number.NaN) - (base[k] ?? Number.NaN)
    }
  }
  const tail = ((1 - o.confidence) / 2) * 100
  return draws.map((d, k) => {
    const sorted = Array.from(d.sort())
    return {
      estimate: (candAll[k] ?? Number.NaN) - (baseAll[k] ?? Number.NaN),
      low: percentileOfSorted(sorted, tail) ?? Number.NaN,
      high: percentileOfSorted(sorted, 100 - tail) ?? Number.NaN,
      blockLength,
      resamples: o.resamples,
      windows: { baseline: baseline.length, candidate: candidate.length },
    }
  })
}
