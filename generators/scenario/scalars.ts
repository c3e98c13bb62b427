import { z } from 'zod'
import {
  durationPattern,
  parseDurationMs,
  parseRatePerSecond,
  parseSizeBytes,
  ratePattern,
  sizePattern,
} from './units.ts'

/** A duration string ("10m", "1h30m", "500ms") parsed into integer milliseconds. */
export function duration(description: string) {
  return z
    .string()
    .regex(durationPattern, 'expected a duration such as "90s", "10m" or "1h30m"')
    .transform((s) => parseDurationMs(s) ?? 0)
    .meta({ description })
}

/** A rate string ("5000/s", "8.3/day") parsed into events per second. */
export function rate(description: string) {
  return z
    .string()
    .regex(ratePattern, 'expected a rate such as "5000/s", "3/h" or "8.3/day"')
    .transform((s) => parseRatePerSecond(s) ?? 0)
    .meta({ description })
}

/** A size string ("64KiB", "50MB") parsed into bytes. */
export function size(description: string) {
  return z
    .string()
    .regex(sizePattern, 'expected a size such as "64KiB" or "50MB"')
    .transform((s) => parseSizeBytes(s) ?? 0)
    .meta({ description })
}

/** A probability or population share in [0, 1]. */
export function share(description: string) {
  return z.number().min(0).max(1).meta({ description })
}

/** A lognormal given by its median (a duration) and log-sd σ; the mean is median·exp(σ²/2). */
export function lognormalDuration(description: string, median: string, sigma: number, max: string) {
  return z
    .strictObject({
      median: duration('Median (e^μ).').prefault(median),
      sigma: z.number().min(0).max(5).default(sigma).meta({ description: 'Log-sd σ.' }),
      max: duration('Values are capped here.').prefault(max),
    })
    .prefault({})
    .meta({ description })
}
