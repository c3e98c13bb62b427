/** Human-friendly scalars used in scenario files, parsed once into plain numbers. */

const durationUnitsMs: Record<string, number> = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
}

/** Matches "500ms", "90s", "10m", "1h30m", "2d": one or more number+unit parts. */
export const durationPattern = /^(\d+(\.\d+)?(ms|s|m|h|d))+$/

/** Parses a duration string such as "1h30m" into milliseconds (integer). Returns null when it does not parse. */
export function parseDurationMs(text: string): number | null {
  const trimmed = text.trim()
  if (!durationPattern.test(trimmed)) return null
  let total = 0
  for (const part of trimmed.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d)/g)) {
    const unitMs = durationUnitsMs[part[2] ?? '']
    if (unitMs === undefined) return null
    total += Number(part[1]) * unitMs
  }
  return Math.round(total)
}

const ratePerUnitSeconds: Record<string, number> = { s: 1, m: 60, min: 60, h: 3600, d: 86_400, day: 86_400 }

/** Matches "5000/s", "8.3/day", "3/h". */
export const ratePattern = /^\d+(\.\d+)?\/(s|m|min|h|d|day)$/

/** Parses a rate such as "8.3/day" into events per second. Returns null when it does not parse. */
export function parseRatePerSecond(text: string): number | null {
  const match = /^(\d+(?:\.\d+)?)\/(s|m|min|h|d|day)$/.exec(text.trim())
  if (match === null) return null
  const seconds = ratePerUnitSeconds[match[2] ?? '']
  if (seconds === undefined) return null
  return Number(match[1]) / seconds
}

const sizeUnits: Record<string, number> = { B: 1, KB: 1e3, MB: 1e6, GB: 1e9, KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3 }

/** Matches "64KiB", "50MB", "1000B". */
export const sizePattern = /^\d+(\.\d+)?(B|KB|MB|GB|KiB|MiB|GiB)$/

/** Parses a size such as "64KiB" into bytes (integer). Returns null when it does not parse. */
export function parseSizeBytes(text: string): number | null {
  const match = /^(\d+(?:\.\d+)?)(B|KB|MB|GB|KiB|MiB|GiB)$/.exec(text.trim())
  if (match === null) return null
  const unit = sizeUnits[match[2] ?? '']
  if (unit === undefined) return null
  return Math.round(Number(match[1]) * unit)
}

/** Matches "0.1%" or "25%". */
export const percentPattern = /^\d+(\.\d+)?%$/

/** Parses "0.1%" into 0.001. Returns null when it does not parse. */
export function parsePercent(text: string): number | null {
  if (!percentPattern.test(text.trim())) return null
  return Number(text.trim().slice(0, -1)) / 100
}

/** Formats milliseconds back into the shortest human duration ("1h30m", "90s", "250ms"). */
export function formatDurationMs(ms: number): string {
  if (ms === 0) return '0s'
  const parts: string[] = []
  let rest = ms
  for (const [unit, size] of [['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1000]] as const) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)}${unit}`)
      rest %= size
    }
  }
  if (rest > 0) parts.push(`${rest}ms`)
  return parts.join('')
}
