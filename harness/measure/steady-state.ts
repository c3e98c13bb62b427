import type { SteadyState } from '../results/index.ts'
import { linearTrend, type Trend } from '../stats/index.ts'
export interface SteadyStateOptions {
  /** Allowed lag trend as a share of the offered rate (ShuffleBench `thresholdRelToLoad`). @default 0.01 */
  thresholdRelToLoad: number
  /** Fewest 1 s points a trend is computed on. @default 10 */
  minPoints: number
  /** The trend counts as above the threshold only when it is this many standard errors above it. @default 2 */
  confidenceSigmas: number
}

export const defaultSteadyStateOptions: SteadyStateOptions = { thresholdRelToLoad: 0.01, minPoints: 10, confidenceSigmas: 2 }


/**
 * Steady state from the lag trend (docs/method.md §1.2 `consumer_lag_trend_eps`; Theodolite/ShuffleBench:
 * slope ≤ 0.01 × offered). The slope counts as above the threshold only with `confidenceSigmas` standard
 * errors to spare: micro-batch output makes the per-second lag a sawtooth, and a short segment must not fail
 * on its noise. As in the reference method a falling lag passes (the pipeline is draining, not accumulating);
 * the reason then says so, because latency measured while it drains includes that catch-up (pitfall 12).
 */
export function assessSteadyState(lagByS: readonly number[], fromS: number, toS: number, offeredEps: number, options: Partial<SteadyStateOptions> = {}): SteadyState {
  const o = { ...defaultSteadyStateOptions, ...options }
  const threshold = o.thresholdRelToLoad * offeredEps
  const from = Math.max(0, Math.ceil(fromS))
  const to = Math.min(lagByS.length, Math.floor(toS))
  const base = { from_s: from, to_s: to, threshold_eps: threshold }
  if (to - from < o.minPoints) {
    return { ...base, state: 'not-assessed', lag_trend_eps: null, lag_trend_stderr_eps: null, settled_at_s: null, reason: `only ${Math.max(0, to - from)} s between the warm-up and the first fault, unplanned death or the end of the load (needs ${o.minPoints})` }
  }
  const trendFrom = (start: number): Trend => {
    const xs: number[] = []
    const ys: number[] = []
    for (let t = start; t < to; t++) {
      xs.push(t)
      ys.push(lagByS[t] ?? 0)
    }
    // At least minPoints distinct seconds reach here, so a line always exists.
    return linearTrend(xs, ys) ?? { slope: 0, stderr: 0 }
  }
  const flat = (t: Trend): boolean => t.slope - o.confidenceSigmas * t.stderr <= threshold
  const whole = trendFrom(from)
  const figures = { lag_trend_eps: whole.slope, lag_trend_stderr_eps: whole.stderr }
  if (flat(whole)) {
    const draining = whole.slope + o.confidenceSigmas * whole.stderr < -threshold ? '; the lag falls: early measured latencies include the drain of a start-up backlog' : ''
    return { ...base, ...figures, state: 'steady', settled_at_s: from, reason: `lag trend ${whole.slope.toFixed(2)} ± ${whole.stderr.toFixed(2)} ev/s, not above ${threshold.toFixed(2)} ev/s (1% of offered)${draining}` }
  }
  for (let start = from + 1; to - start >= o.minPoints; start++) {
    if (flat(trendFrom(start))) {
      return { ...base, ...figures, state: 'settled-late', settled_at_s: start, reason: `the lag kept growing until ${start - from} s after the warm-up ended (trend ${whole.slope.toFixed(2)} ev/s from the warm-up on); raise measurement.warmup to at least ${start} s` }
    }
  }
  return { ...base, ...figures, state: 'never-settled', settled_at_s: null, reason: `the lag grows by ${whole.slope.toFixed(2)} ev/s (threshold ${threshold.toFixed(2)}) until the first fault, unplanned death or the end of the load: the pipeline does not keep up with the offered load` }
}

export type { SteadyState } from '../results/index.ts'
