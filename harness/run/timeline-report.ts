import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Histogram } from 'hdr-histogram-js'
import { analyzeRecovery, type RecoveryOptions } from '../measure/recovery.ts'
import { assessSteadyState, type SteadyState } from '../measure/steady-state.ts'
import { buildTimeline, mergedP99Ms, type TimelineCounters, type TimelinePoint } from '../measure/timeline.ts'
import type { FaultRecord } from './faults.ts'

export const timelineFile = 'timeline.json'

/** What the run measured per second, and what is derived from it. */
export interface TimelineInput {
  counters: TimelineCounters
  /** Rated latency histograms per second (the collector's LatencyRecorder intervals). */
  ratedIntervals: ReadonlyMap<number, Histogram>
  /** Receipt times of output batches that accounted for usage records, s after load start. */
  arrivalsS: readonly number[]
  /** Last second the collector was consuming. */
  lastSecond: number
  warmupS: number
  /** Planned load seconds. */
  loadS: number
  /** Offered usage records per second (the backlog counts usage records only). */
  offeredEps: number
  faults: FaultRecord[]
  recoveryOptions?: Partial<RecoveryOptions>
}

export interface TimelineReport {
  points: TimelinePoint[]
  steadyState: SteadyState
  /** The faults with `recovery` and `recovered_after_s` filled in. */
  faults: FaultRecord[]
}

/** Builds the per-second timeline, assesses the steady state before the first fault and measures each fault's recovery. */
export function analyzeTimeline(input: TimelineInput): TimelineReport {
  const points = buildTimeline(input.counters, input.ratedIntervals, input.lastSecond)
  const injected = input.faults.filter((f) => f.injected_at_s !== null).map((f) => f.injected_at_s ?? 0)
  const segmentEnd = Math.min(input.loadS, ...injected)
  const steadyState = assessSteadyState(
    points.map((p) => p.backlog),
    input.warmupS,
    segmentEnd,
    input.offeredEps,
  )
  const p99Between = (fromS: number, toS: number): number | null => mergedP99Ms(input.ratedIntervals, fromS, toS)
  // The pre-fault window of a fault never reaches into the warm-up or into the previous fault's disturbance.
  let notBeforeS = input.warmupS
  const ordered = [...input.faults].sort((a, b) => (a.injected_at_s ?? Infinity) - (b.injected_at_s ?? Infinity))
  const recovered = new Map<FaultRecord, FaultRecord>()
  for (const f of ordered) {
    if (f.injected_at_s === null) {
      recovered.set(f, f)
      continue
    }
    const recovery = analyzeRecovery(points, input.arrivalsS, { injectedAtS: f.injected_at_s, liftedAtS: f.lifted_at_s, restartedAtS: f.restarted_at_s, notBeforeS }, p99Between, input.recoveryOptions)
    recovered.set(f, { ...f, recovery, recovered_after_s: recovery.time_to_recover_s })
    const settledAt = Math.max(f.lifted_at_s ?? f.injected_at_s, f.injected_at_s + (recovery.time_to_drain_s ?? 0), f.injected_at_s + (recovery.time_to_recover_s ?? 0))
    notBeforeS = Math.max(notBeforeS, settledAt)
  }
  return { points, steadyState, faults: input.faults.map((f) => recovered.get(f) ?? f) }
}

/** Writes timeline.json (docs/results.md "timeline.json"). */
export function writeTimeline(runDir: string, report: TimelineReport, warmupS: number): void {
  const faults = report.faults.map((f) => ({ name: f.name, kind: f.kind, injected_at_s: f.injected_at_s, lifted_at_s: f.lifted_at_s }))
  const body = { schema_version: 1, origin: 'load start (intended send time 0)', window_s: 1, warmup_s: warmupS, faults, points: report.points }
  writeFileSync(join(runDir, timelineFile), `${JSON.stringify(body)}\n`)
}
