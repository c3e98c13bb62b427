import type { Histogram } from 'hdr-histogram-js'
import type { ThresholdExpr } from '../../generators/index.ts'
import { newHistogram } from '../measure/histograms.ts'
import { compare, observe } from './thresholds.ts'

/** A threshold with `abortOnFail`, checked every second of the load on the per-second histograms of its stream. */
export interface AbortThreshold {
  /** The threshold key as the scenario wrote it, e.g. `pipeline_e2e_latency_ms`. */
  metric: string
  expr: ThresholdExpr
  /** Null: over everything from the warm-up's end so far; otherwise every full window of this many seconds. */
  windowS: number | null
  /** `delayAbortEval` in wall seconds after load start: no check before it (nor before the warm-up ends). */
  delayS: number
  /** Per-second histograms by receipt second after load start (a LatencyRecorder's intervals, filled as values arrive). */
  intervals: ReadonlyMap<number, Histogram>
}

/** Why the load was stopped: the threshold, what it observed and when. */
export interface AbortDecision {
  metric: string
  expr: string
  windowS: number | null
  observed: number
  /** Seconds after load start of the check that failed. */
  atS: number
  /** The seconds the failing value was read from. */
  fromS: number
  toS: number
}

/** One threshold's running state: the seconds merged so far (whole-run form) or the next window to check. */
interface Watched {
  threshold: AbortThreshold
  merged: Histogram
  /** The first whole second after the warm-up. */
  startS: number
  /** The next whole second not yet merged (whole-run form) or the start of the next window (windowed form). */
  nextS: number
}

/**
 * Checks the `abortOnFail` thresholds as the load runs (docs/method.md "Thresholds"). Each call of {@link check}
 * with the current second takes in only the seconds completed since the last call, so a long run costs one merge
 * per second, not a growing one. A second counts once it is over: values still arrive in the current one.
 */
export class AbortWatch {
  private readonly watched: Watched[]

  constructor(thresholds: readonly AbortThreshold[], warmupS: number) {
    this.watched = thresholds.map((threshold) => ({ threshold, merged: newHistogram(), startS: Math.ceil(warmupS), nextS: Math.ceil(warmupS) }))
  }

  /** The first threshold that fails on the seconds complete at `nowS` (seconds after load start), or null. */
  check(nowS: number): AbortDecision | null {
    const completeS = Math.floor(nowS)
    for (const w of this.watched) {
      const decision = w.threshold.windowS === null ? this.checkWhole(w, nowS, completeS) : this.checkWindows(w, w.threshold.windowS, nowS, completeS)
      if (decision !== null) return decision
    }
    return null
  }

  private checkWhole(w: Watched, nowS: number, completeS: number): AbortDecision | null {
    const t = w.threshold
    for (; w.nextS < completeS; w.nextS++) {
      const h = t.intervals.get(w.nextS)
      if (h !== undefined) w.merged.add(h)
    }
    if (nowS < t.delayS) return null
    const observed = observe(t.expr, { kind: 'trend', histogram: w.merged })
    if (observed === null || compare(observed, t.expr.operator, t.expr.value)) return null
    return { metric: t.metric, expr: t.expr.source, windowS: null, observed, atS: nowS, fromS: w.startS, toS: w.nextS }
  }

  private checkWindows(w: Watched, windowS: number, nowS: number, completeS: number): AbortDecision | null {
    const t = w.threshold
    for (; w.nextS + windowS <= completeS; w.nextS += windowS) {
      if (w.nextS + windowS <= t.delayS) continue
      const merged = newHistogram()
      for (let s = w.nextS; s < w.nextS + windowS; s++) {
        const h = t.intervals.get(s)
        if (h !== undefined) merged.add(h)
      }
      const observed = observe(t.expr, { kind: 'trend', histogram: merged })
      if (observed !== null && !compare(observed, t.expr.operator, t.expr.value)) {
        const fromS = w.nextS
        w.nextS += windowS
        return { metric: t.metric, expr: t.expr.source, windowS, observed, atS: nowS, fromS, toS: fromS + windowS }
      }
    }
    return null
  }
}

/** The decision in words, for the log line and the verdict: the threshold, its window, what it observed and where. */
export function describeAbort(d: AbortDecision): string {
  return `threshold ${d.metric} '${d.expr}'${d.windowS === null ? '' : ` in every ${d.windowS} s window`} (abortOnFail) failed: observed ${d.observed} over ${d.fromS}–${d.toS} s`
}
