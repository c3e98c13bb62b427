import type { RatingSpec } from './spec-schema.ts'

/** Rounding mode of a rating spec. */
export type RoundingMode = RatingSpec['rounding']['mode']

/** The integer quotient of n/d (n ≥ 0, d > 0) under a rounding mode, exactly as docs/contracts.md defines it. */
export function roundQuotient(n: number, d: number, mode: RoundingMode): number {
  const q = floorDiv(n, d)
  return roundRemainder(q, n - q * d, d, mode)
}

/**
 * round(x·y, d) under a rounding mode without forming x·y: with y = a·d + b, x·y/d = x·a + x·b/d and x·b < x·d.
 * Exact whenever x·d and the result are safe integers, however large x·y is (x, y ≥ 0, d > 0).
 */
export function roundProduct(x: number, y: number, d: number, mode: RoundingMode): number {
  const a = floorDiv(y, d)
  const b = y - a * d
  const p = x * b
  const pq = floorDiv(p, d)
  return roundRemainder(x * a + pq, p - pq * d, d, mode)
}

/** Rounds the exact value q + r/d (integer q, 0 ≤ r < d) to an integer under a rounding mode. */
export function roundRemainder(q: number, r: number, d: number, mode: RoundingMode): number {
  if (r === 0) return q
  switch (mode) {
    case 'down':
      return q
    case 'up':
      return q + 1
    case 'half-up':
      return 2 * r >= d ? q + 1 : q
    case 'half-even':
      if (2 * r > d) return q + 1
      if (2 * r < d) return q
      return q % 2 === 0 ? q : q + 1
  }
}

/** ⌊n/d⌋ for safe integers: n / d is a rounded double, and near 2^53 its floor can be one off (the remainder shows it). */
function floorDiv(n: number, d: number): number {
  const q = Math.floor(n / d)
  const r = n - q * d
  return r < 0 ? q - 1 : r >= d ? q + 1 : q
}
