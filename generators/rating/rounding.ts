import type { RatingSpec } from './spec-schema.ts'

/** Rounding mode of a rating spec. */
export type RoundingMode = RatingSpec['rounding']['mode']

/** The integer quotient of n/d (n ≥ 0, d > 0) under a rounding mode, exactly as docs/contracts.md defines it. */
export function roundQuotient(n: number, d: number, mode: RoundingMode): number {
  const q = Math.floor(n / d)
  const r = n - q * d
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
