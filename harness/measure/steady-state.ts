/** A least-squares line through (x, y) points with the standard error of its slope. */
export interface Trend {
  slope: number
  /** Standard error of the slope (0 with fewer than 3 points). */
  stderr: number
}

export function linearTrend(xs: readonly number[], ys: readonly number[]): Trend {
  const n = Math.min(xs.length, ys.length)
  if (n < 2) return { slope: 0, stderr: 0 }
  let mx = 0
  let my = 0
  for (let i = 0; i < n; i++) {
    mx += xs[i] ?? 0
    my += ys[i] ?? 0
  }
  mx /= n
  my /= n
  let sxx = 0
  let sxy = 0
  for (let i = 0; i < n; i++) {
    const dx = (xs[i] ?? 0) - mx
    sxx += dx * dx
    sxy += dx * ((ys[i] ?? 0) - my)
  }
  if (sxx === 0) return { slope: 0, stderr: 0 }
  const slope = sxy / sxx
  if (n < 3) return { slope, stderr: 0 }
  let sse = 0
  for (let i = 0; i < n; i++) {
    const r = (ys[i] ?? 0) - (my + slope * ((xs[i] ?? 0) - mx))
    sse += r * r
  }
  return { slope, stderr: Math.sqrt(sse / (n - 2) / sxx) }
}

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
 * results.json `steady_state`.
 * - `steady`: the lag did not grow from the end of the warm-up on;
 * - `settled-late`: it grew at first and stopped growing only later (measurement started too early: invalid);
 * - `never-settled`: it grew until the first fault or the end of the load (the pipeline does not keep up);
 * - `not-assessed`: fewer than `minPoints` seconds between the warm-up and the first fault.
 */
export interface SteadyState {
  state: 'steady' | 'settled-late' | 'never-settled' | 'not-assessed'
  /** The assessed segment: warm-up end → first fault (or end of load), seconds after load start. */
  from_s: number
  to_s: number
  /** Slope of the backlog over the segment, events per second, and its standard error. */
  lag_trend_eps: number | null
  lag_trend_stderr_eps: number | null
  threshold_eps: number
  /** Where the lag stopped growing (null unless steady or settled-late). */
  settled_at_s: number | null
  reason: string
}

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
    return { ...base, state: 'not-assessed', lag_trend_eps: null, lag_trend_stderr_eps: null, settled_at_s: null, reason: `only ${Math.max(0, to - from)} s between the warm-up and the first fault or the end of the load (needs ${o.minPoints})` }
  }
  const trendFrom = (start: number): Trend => {
    const xs: number[] = []
    const ys: number[] = []
    for (let t = start; t < to; t++) {
      xs.push(t)
      ys.push(lagByS[t] ?? 0)
    }
    return linearTrend(xs, ys)
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
  return { ...base, ...figures, state: 'never-settled', settled_at_s: null, reason: `the lag grows by ${whole.slope.toFixed(2)} ev/s (threshold ${threshold.toFixed(2)}) until the first fault or the end of the load: the pipeline does not keep up with the offered load` }
}
