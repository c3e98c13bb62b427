/** The few distribution functions the load estimate needs, in closed form (no sampling). */

/** Standard normal CDF Φ(z) (Abramowitz–Stegun 7.1.26 for erf, absolute error < 1.5e-7). */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2
  const t = 1 / (1 + 0.3275911 * x)
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
  const erf = 1 - poly * Math.exp(-x * x)
  return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf)
}

/** Standard normal quantile Φ⁻¹(p) for 0 < p < 1 (Acklam's rational approximation, relative error < 1.2e-9). */
export function normalQuantile(p: number): number {
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239] as const
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572] as const
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783] as const
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416] as const
  const low = 0.02425
  const tail = (q: number): number =>
    (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
  if (p < low) return tail(Math.sqrt(-2 * Math.log(p)))
  if (p > 1 - low) return -tail(Math.sqrt(-2 * Math.log(1 - p)))
  const q = p - 0.5
  const r = q * q
  return ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
}

/** The mid-quantiles (i + ½)/n of the standard normal: n equally likely points standing for the distribution. */
export function normalMidQuantiles(n: number): number[] {
  return Array.from({ length: n }, (_, i) => normalQuantile((i + 0.5) / n))
}

/** A lognormal exp(μ + σ·Z), optionally capped: the value is min(exp(μ + σZ), cap). */
export interface Lognormal {
  mu: number
  sigma: number
  cap: number
}

/** P(X > y). */
export function lognormalExceeds(x: Lognormal, y: number): number {
  if (y >= x.cap) return 0
  if (y <= 0) return 1
  if (x.sigma === 0) return Math.exp(x.mu) > y ? 1 : 0
  return 1 - normalCdf((Math.log(y) - x.mu) / x.sigma)
}

/** E[(X − k)⁺] for the capped lognormal X and 0 ≤ k. */
export function lognormalExcessMean(x: Lognormal, k: number): number {
  const uncapped = (level: number): number => {
    if (!Number.isFinite(level)) return 0
    if (level <= 0) return Math.exp(x.mu + (x.sigma * x.sigma) / 2) - level
    if (x.sigma === 0) return Math.max(0, Math.exp(x.mu) - level)
    const d2 = (x.mu - Math.log(level)) / x.sigma
    return Math.exp(x.mu + (x.sigma * x.sigma) / 2) * normalCdf(d2 + x.sigma) - level * normalCdf(d2)
  }
  if (k >= x.cap) return 0
  return uncapped(k) - uncapped(x.cap)
}

/** Exact terms summed before the rest of a long tail sum is integrated. */
const EXACT_TERMS = 2000

/**
 * E[max(c, ⌈X / step⌉)] for an integer c ≥ 1: how many records a session closes when its time limit alone
 * would close c and its volume limit ⌈X / step⌉. Equals c + Σ_{k ≥ c} P(X > k·step); a tail longer than
 * {@link EXACT_TERMS} terms is integrated (Euler–Maclaurin: ∫ f + f(k₀)/2), which is exact to far below a record.
 */
export function expectedPartsAtLeast(c: number, x: Lognormal, step: number): number {
  let sum = c
  let k = c
  for (; k < c + EXACT_TERMS; k++) {
    const term = lognormalExceeds(x, k * step)
    if (term === 0) return sum
    sum += term
  }
  return sum + lognormalExcessMean(x, k * step) / step + lognormalExceeds(x, k * step) / 2
}
