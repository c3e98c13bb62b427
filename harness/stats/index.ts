import { binomialDistribution, linearRegression, mean, median, numericSort, sampleStandardDeviation } from 'simple-statistics'

/**
 * The harness's one place for order statistics and trends. Every function answers null for input it cannot
 * summarise (an empty list, too few points), so a stream with no values never reads as a zero.
 */

/**
 * Nearest-rank percentile (the smallest value with at least p % of the values at or below it): the definition
 * HdrHistogram uses, so list percentiles and histogram percentiles agree. simple-statistics' `quantile`
 * interpolates between ranks instead, which would move figures that earlier runs reported.
 */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null
  const sorted = numericSort([...values])
  return percentileOfSorted(sorted, p)
}

/** {@link percentile} of a list already in ascending order (no copy). */
export function percentileOfSorted(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  return sorted[rank] ?? null
}

/** p50, p95 and max of a list (null each when it is empty). */
export function spread(values: readonly number[]): { p50: number | null; p95: number | null; max: number | null } {
  const sorted = numericSort([...values])
  return { p50: percentileOfSorted(sorted, 50), p95: percentileOfSorted(sorted, 95), max: sorted[sorted.length - 1] ?? null }
}

/** The middle value (mean of the two middle ones for an even count), null when empty. */
export function medianOf(values: readonly number[]): number | null {
  return values.length === 0 ? null : median([...values])
}

/** A least-squares line through (x, y) points with the standard error of its slope. */
export interface Trend {
  slope: number
  /** Standard error of the slope (0 with fewer than 3 points). */
  stderr: number
}

/** Newey and West's (1994) rule for the number of lags of their estimator: ⌊4·(n/100)^(2/9)⌋. */
export function neweyWestLags(n: number): number {
  return Math.floor(4 * (n / 100) ** (2 / 9))
}

/**
 * Least-squares slope of y over x (points in x order, e.g. one per second) and its standard error; null with fewer
 * than 2 points or no spread in x. The error is Newey–West's (heteroskedasticity- and autocorrelation-consistent,
 * Bartlett weights, `neweyWestLags(n)` lags), never below the classical one: neighbouring seconds of a backlog
 * are correlated (a slow micro-batch lifts several in a row), and the classical error, which assumes independent
 * residuals, is then too small and a short run's bump reads as growth.
 */
export function linearTrend(xs: readonly number[], ys: readonly number[]): Trend | null {
  const n = Math.min(xs.length, ys.length)
  if (n < 2) return null
  const points = Array.from({ length: n }, (_, i) => [xs[i] ?? 0, ys[i] ?? 0])
  const mx = mean(points.map(([x]) => x ?? 0))
  const sxx = points.reduce((s, [x]) => s + ((x ?? 0) - mx) ** 2, 0)
  if (sxx === 0) return null
  const { m: slope, b: intercept } = linearRegression(points)
  if (n < 3) return { slope, stderr: 0 }
  const residuals = points.map(([x, y]) => (y ?? 0) - (intercept + slope * (x ?? 0)))
  const classical = Math.sqrt(residuals.reduce((s, e) => s + e * e, 0) / (n - 2) / sxx)
  // Scores u_i = (x_i − x̄)·e_i; Var(slope) = (Σ u_i² + 2 Σ_l w_l Σ_i u_i u_(i−l)) / Sxx², small-sample factor n/(n−2).
  const scores = points.map(([x], i) => ((x ?? 0) - mx) * (residuals[i] ?? 0))
  const lags = Math.min(neweyWestLags(n), n - 1)
  let long = scores.reduce((s, u) => s + u * u, 0)
  for (let l = 1; l <= lags; l++) {
    let cross = 0
    for (let i = l; i < n; i++) cross += (scores[i] ?? 0) * (scores[i - l] ?? 0)
    long += 2 * (1 - l / (lags + 1)) * cross
  }
  const hac = Math.sqrt(Math.max(0, long) * (n / (n - 2))) / sxx
  return { slope, stderr: Math.max(classical, hac) }
}

/** Mean and sample standard deviation (null for fewer than 2 values). */
export function meanAndDeviation(values: readonly number[]): { mean: number; sd: number } | null {
  if (values.length < 2) return null
  return { mean: mean([...values]), sd: sampleStandardDeviation([...values]) }
}

/** An interval of the median between two order statistics and the probability that it covers the median. */
export interface MedianInterval {
  low: number
  high: number
  level: number
}

/**
 * The distribution-free confidence interval of the median from order statistics: [x(k), x(n+1−k)] of the sorted
 * values covers the population median with probability 1 − 2·P(B ≤ k−1), B ~ Binomial(n, ½), whatever the
 * distribution (continuous values assumed). The narrowest such interval whose coverage reaches `level` is
 * returned; with too few values for that (n ≤ 5 at 95 %) the widest one, [min, max], with the coverage it has.
 * Null for fewer than 2 values: one value bounds nothing.
 */
export function medianInterval(values: readonly number[], level = 0.95): MedianInterval | null {
  const n = values.length
  if (n < 2) return null
  const sorted = numericSort([...values])
  const probabilities = binomialDistribution(n, 0.5) ?? []
  /** P(B ≤ j) */
  const cumulative = (j: number): number => probabilities.slice(0, j + 1).reduce((s, p) => s + p, 0)
  const coverage = (k: number): number => 1 - 2 * cumulative(k - 1)
  let k = 1
  for (let candidate = Math.floor(n / 2); candidate >= 1; candidate--) {
    if (coverage(candidate) >= level) {
      k = candidate
      break
    }
  }
  return { low: sorted[k - 1] ?? Number.NaN, high: sorted[n - k] ?? Number.NaN, level: coverage(k) }
}
