import type { Recovery } from '../results/index.ts'
import { percentile } from '../stats/index.ts'
import type { TimelinePoint } from './timeline.ts'

/** Where a fault sits on the timeline, seconds after the run's origin. */
export interface FaultTimes {
  injectedAtS: number
  /** When the fault was lifted (resumed, restarted, healed); null if it never was. */
  liftedAtS: number | null
  /** When the crashed process was started again (pipeline-crash, broker-kill); null otherwise. */
  restartedAtS: number | null
  /** The pre-fault window never reaches back before this (warm-up end, or the previous fault's end). */
  notBeforeS: number
  /** The analysis stops here: the next fault's injection (its disturbance is not this fault's); null = end of the timeline. */
  untilS: number | null
  /** A clean reference window from earlier (an earlier fault's pre-fault window), used when this fault has none of its own. */
  fallbackReference?: { fromS: number; toS: number } | null
}

/** The assumptions of docs/method.md §1.4, configurable. */
export interface RecoveryOptions {
  /** Length of the pre-fault reference window. @default 30 */
  preFaultS: number
  /** Output rate that counts as recovered, as a share of the pre-fault mean. @default 0.95 */
  recoverRatio: number
  /** Consecutive windows at that rate. @default 3 */
  recoverWindows: number
  /** An output gap this many times the pre-fault mean inter-arrival time (per event) is a symptom. @default 10 */
  gapFactor: number
  /** ... and at least this many times the longest pre-fault gap between output batches. @default 2 */
  batchGapFactor: number
  /** Longest analysis window, seconds. @default 10 */
  maxWindowS: number
}

export const defaultRecoveryOptions: RecoveryOptions = { preFaultS: 30, recoverRatio: 0.95, recoverWindows: 3, gapFactor: 10, batchGapFactor: 2, maxWindowS: 10 }


/** Shortest window (1..max s) in which every whole window of the pre-fault range saw output. */
export function outputCadenceS(accounted: readonly number[], maxWindowS: number): number {
  for (let w = 1; w <= Math.min(maxWindowS, accounted.length); w++) {
    let everyWindowHasOutput = true
    for (let i = 0; i + w <= accounted.length && everyWindowHasOutput; i += w) {
      let sum = 0
      for (let j = i; j < i + w; j++) sum += accounted[j] ?? 0
      if (sum === 0) everyWindowHasOutput = false
    }
    if (everyWindowHasOutput) return w
  }
  return maxWindowS
}

/**
 * When the first output gap longer than `thresholdS` began to exceed it, at or after `fromS`:
 * `arrivalsS` are the receipt times of output batches, ascending. Null when no gap is that long.
 */
export function firstGapSymptomS(arrivalsS: readonly number[], fromS: number, thresholdS: number, endS: number): number | null {
  let gapStart = fromS
  for (const a of arrivalsS) {
    if (a <= fromS) {
      gapStart = a
      continue
    }
    if (a - gapStart > thresholdS) return Math.max(fromS, gapStart + thresholdS)
    gapStart = a
  }
  return endS - gapStart > thresholdS ? Math.max(fromS, gapStart + thresholdS) : null
}

/**
 * Recovery figures of one fault from the per-second timeline.
 * `p99Between(from, to)` returns the rated p99 of seconds [from, to) from merged histograms.
 */
export function analyzeRecovery(points: readonly TimelinePoint[], arrivalsS: readonly number[], fault: FaultTimes, p99Between: (fromS: number, toS: number) => number | null, options: Partial<RecoveryOptions> = {}): Recovery {
  const o = { ...defaultRecoveryOptions, ...options }
  const inj = fault.injectedAtS
  const faultSecond = Math.floor(inj)
  const ownFrom = Math.max(0, Math.ceil(Math.max(fault.notBeforeS, inj - o.preFaultS)))
  const fallback = fault.fallbackReference ?? null
  const useFallback = faultSecond - ownFrom < 3 && fallback !== null
  const preFrom = useFallback ? fallback.fromS : ownFrom
  const preTo = useFallback ? fallback.toS : faultSecond
  const pre = points.filter((p) => p.t_s >= preFrom && p.t_s < preTo)
  const endS = fault.untilS === null ? points.length : Math.max(faultSecond, Math.min(points.length, Math.floor(fault.untilS)))
  const arrivalsUntil = fault.untilS === null ? arrivalsS : arrivalsS.filter((a) => a < (fault.untilS ?? Infinity))
  const restart_time_s = restartTime(arrivalsUntil, fault.restartedAtS)
  if (pre.length < 3) {
    return { until_s: endS, pre_fault: null, window_s: 1, time_to_detect_s: null, detected_by: null, time_to_recover_s: null, time_to_drain_s: null, restart_time_s, latency_spike: null }
  }
  const preAccounted = pre.map((p) => p.accounted)
  const preRate = preAccounted.reduce((a, b) => a + b, 0) / pre.length
  const preBacklog = pre.map((p) => p.e2e_backlog)
  const backlogP95 = percentile(preBacklog, 95) ?? 0
  const backlogP99 = percentile(preBacklog, 99) ?? 0
  const w = outputCadenceS(preAccounted, o.maxWindowS)
  const after = points.filter((p) => p.t_s >= faultSecond && p.t_s < endS)

  // Detect: backlog above the pre-fault p99 at the end of a second, or an output gap far longer than usual.
  const backlogSymptom = after.find((p) => p.e2e_backlog > backlogP99)
  const backlogAtS = backlogSymptom === undefined ? null : backlogSymptom.t_s + 1
  const preArrivals = arrivalsS.filter((a) => a >= preFrom && a < Math.min(inj, preTo + 1))
  let longestPreGap = 0
  for (let i = 1; i < preArrivals.length; i++) longestPreGap = Math.max(longestPreGap, (preArrivals[i] ?? 0) - (preArrivals[i - 1] ?? 0))
  // Micro-batches arrive in bursts: the per-event rule alone would call every normal batch interval a gap.
  const gapThreshold = Math.max(preRate > 0 ? o.gapFactor / preRate : o.maxWindowS, o.batchGapFactor * longestPreGap)
  const gapAtS = firstGapSymptomS(arrivalsUntil, inj, gapThreshold, endS)
  let time_to_detect_s: number | null = null
  let detected_by: Recovery['detected_by'] = null
  if (backlogAtS !== null && (gapAtS === null || backlogAtS <= gapAtS)) {
    time_to_detect_s = Math.max(0, backlogAtS - inj)
    detected_by = 'backlog'
  } else if (gapAtS !== null) {
    time_to_detect_s = Math.max(0, gapAtS - inj)
    detected_by = 'output-gap'
  }

  // Recover: first of N consecutive windows (from the fault's second) at ≥ ratio × the pre-fault rate.
  const windows: { startS: number; rate: number }[] = []
  for (let s = faultSecond; s + w <= endS; s += w) {
    let sum = 0
    for (let t = s; t < s + w; t++) sum += points[t]?.accounted ?? 0
    windows.push({ startS: s, rate: sum / w })
  }
  let time_to_recover_s: number | null = null
  for (let k = 0; k + o.recoverWindows <= windows.length; k++) {
    if (windows.slice(k, k + o.recoverWindows).every((x) => x.rate >= o.recoverRatio * preRate)) {
      time_to_recover_s = Math.max(0, (windows[k]?.startS ?? faultSecond) - inj)
      break
    }
  }

  // Drain: the backlog back to ≤ the pre-fault p95 once the fault had pushed it above that.
  let time_to_drain_s: number | null = 0
  const firstAbove = after.findIndex((p) => p.e2e_backlog > backlogP95)
  let drainEndS = faultSecond
  if (firstAbove >= 0) {
    const back = after.slice(firstAbove).find((p) => p.e2e_backlog <= backlogP95)
    if (back === undefined) time_to_drain_s = null
    else {
      time_to_drain_s = Math.max(0, back.t_s + 1 - inj)
      drainEndS = back.t_s + 1
    }
  }

  // Latency spike: one window before the fault to one window after the drain or the lift, whichever is
  // later (a delay fault slows every record without building a backlog); to the end if it never drained.
  const preP99 = p99Between(preFrom, preTo)
  const spikeFrom = Math.max(0, faultSecond - 1)
  const spikeTo = time_to_drain_s === null || fault.liftedAtS === null ? endS : Math.min(endS, Math.max(drainEndS, Math.ceil(fault.liftedAtS)) + 1)
  let peak: number | null = null
  let area = 0
  for (const p of points.slice(spikeFrom, spikeTo)) {
    if (p.rated_p99_ms === null) continue
    peak = peak === null ? p.rated_p99_ms : Math.max(peak, p.rated_p99_ms)
    if (preP99 !== null) area += Math.max(0, p.rated_p99_ms - preP99)
  }
  return {
    until_s: endS,
    pre_fault: { from_s: preFrom, to_s: preTo, reference: useFallback ? 'earlier-window' : 'before-fault', output_eps: preRate, backlog_p95: backlogP95, backlog_p99: backlogP99 },
    window_s: w,
    time_to_detect_s,
    detected_by,
    time_to_recover_s,
    time_to_drain_s,
    restart_time_s,
    latency_spike: { pre_fault_p99_ms: preP99, peak_p99_ms: peak, area_above_ms_s: Math.round(area) },
  }
}

/** Restarted process → first output after it started (docs/method.md §1.4 `restart_time_s`). */
function restartTime(arrivalsS: readonly number[], restartedAtS: number | null): number | null {
  if (restartedAtS === null) return null
  const first = arrivalsS.find((a) => a >= restartedAtS)
  return first === undefined ? null : first - restartedAtS
}

export type { Recovery } from '../results/index.ts'
