import type { MachineBusy, ThresholdResult } from '../harness/results/index.ts'

/**
 * How every rendering of a run writes its numbers, so the terminal, the Markdown and the HTML agree:
 * milliseconds with three significant digits (never fewer than the integer part), seconds with one decimal,
 * ratios as percentages with two decimals, counts and money as exact integers with thousands separators.
 * A missing value is `n/a`, never 0.
 */
const na = 'n/a'

type Maybe = number | null | undefined

export function ms(n: Maybe): string {
  if (n === null || n === undefined) return na
  const abs = Math.abs(n)
  if (abs >= 100) return Math.round(n).toLocaleString('en-US')
  if (abs >= 10) return n.toFixed(1)
  return n.toFixed(2)
}

export function seconds(n: Maybe): string {
  return n === null || n === undefined ? na : n.toFixed(1)
}

/** A ratio as a percentage: two decimals, or two significant digits below 0.01 % so a small error does not read as 0. */
export function percent(ratio: Maybe): string {
  if (ratio === null || ratio === undefined) return na
  const pct = ratio * 100
  return pct !== 0 && Math.abs(pct) < 0.01 ? `${Number(pct.toPrecision(2))} %` : `${pct.toFixed(2)} %`
}

export function count(n: Maybe): string {
  return n === null || n === undefined ? na : Math.round(n).toLocaleString('en-US')
}

/** Events per second: one decimal. */
export function rate(n: Maybe): string {
  return n === null || n === undefined ? na : n.toFixed(1)
}

/** A dimensionless figure such as precision or F1: two decimals. */
export function fraction(n: Maybe): string {
  return n === null || n === undefined ? na : n.toFixed(2)
}

export function mebibytes(bytes: Maybe): string {
  return bytes === null || bytes === undefined ? na : `${Math.round(bytes / 2 ** 20).toLocaleString('en-US')} MiB`
}

/** A threshold's observed value, in the unit its metric has: latencies in ms, ratios and counts as they are. */
export function observed(metric: string, n: Maybe): string {
  if (n === null || n === undefined) return na
  if (metric.endsWith('_ms')) return `${ms(n)} ms`
  if (Number.isInteger(n)) return count(n)
  return String(Number(n.toPrecision(4)))
}

/** A value of a streaming-vs-batch comparison row, by the row's unit. */
export function byUnit(unit: string, n: Maybe): string {
  if (unit === 'ratio') return percent(n)
  if (unit === 'ms') return `${ms(n)} ms`
  if (unit === 's') return `${seconds(n)} s`
  return count(n)
}

/** A threshold as the scenario wrote it, with its window: `p(99)<5000 in every 10 s window`. */
export function thresholdText(t: ThresholdResult): string {
  return t.window_s === null ? t.expr : `${t.expr} in every ${t.window_s} s window`
}

/** A threshold's observed value; a windowed one's is its worst window's, which it names: `7,820 ms in 30–40 s`. */
export function thresholdObserved(t: ThresholdResult): string {
  const value = observed(t.metric, t.observed)
  if (t.window_s === null) return value
  return t.worst_window === null ? `${value} (no window held a value)` : `${value} in ${t.worst_window.from_s}–${t.worst_window.to_s} s (worst window)`
}

/** The warning a run on a busy machine carries wherever its verdict is shown. */
export function machineBusyText(busy: MachineBusy): string {
  return `machine busy: ${busy.reason}; the figures may show that load rather than the system under test`
}
