import type { Histogram } from 'hdr-histogram-js'
import type { FaultRecord } from '../results/index.ts'
import { newHistogram } from './histograms.ts'

/** Seconds after load start during which a fault or its aftermath shaped the measurements. */
export interface FaultWindow {
  fromS: number
  /** Infinity when the run never recovered from the fault. */
  toS: number
}

/**
 * From injection until the fault is lifted and its backlog drained (or, lacking a drain time, until
 * the output rate recovered). A fault that was injected but never recovered covers the rest of the run.
 */
export function faultWindows(faults: readonly FaultRecord[]): FaultWindow[] {
  const windows: FaultWindow[] = []
  for (const f of faults) {
    if (f.injected_at_s === null) continue
    const after = f.recovery?.time_to_drain_s ?? f.recovery?.time_to_recover_s ?? null
    const lifted = f.lifted_at_s ?? Infinity
    const toS = after === null ? (f.kind === 'generator-restart' ? lifted : Infinity) : Math.max(lifted, f.injected_at_s + after)
    windows.push({ fromS: f.injected_at_s, toS })
  }
  return windows
}

/**
 * Merges the 1 s interval histograms from `fromS` on, leaving out every second that overlaps a fault window:
 * what a stream looked like when no fault was shaping it.
 */
export function mergeOutsideFaults(intervals: ReadonlyMap<number, Histogram>, fromS: number, windows: readonly FaultWindow[]): Histogram {
  const merged = newHistogram()
  for (const [second, h] of intervals) {
    if (second < fromS) continue
    if (windows.some((w) => second + 1 > w.fromS && second < w.toS)) continue
    merged.add(h)
  }
  return merged
}
