import { parseThreshold, type ThresholdExpr } from '../../generators/index.ts'

/** µs values at the top of their HdrHistogram bucket (2^20 − 1, 2^23 − 1), so a percentile reads them back exactly. */
export const fastUs = 1_048_575
export const slowUs = 8_388_607

/** A threshold expression the test knows to be valid. */
export function expr(source: string): ThresholdExpr {
  const parsed = parseThreshold(source)
  if ('error' in parsed) throw new Error(parsed.error)
  return parsed
}
