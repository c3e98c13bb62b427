import type { Histogram } from 'hdr-histogram-js'
import { availabilityBetween } from '../measure/availability.ts'
import { analyzeRecovery, type RecoveryOptions } from '../measure/recovery.ts'
import { assessSteadyState, type SteadyState } from '../measure/steady-state.ts'
import { buildTimeline, mergedP99Ms, type TimelineCounters, type TimelinePoint } from '../measure/timeline.ts'
import { timelineSchemaVersion, type Availability, type Timeline, type TimelineResourcePoint } from '../results/index.ts'
import type { FaultRecord } from './faults.ts'

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
  /** When watched JVMs died unplanned, s after load start: the steady state is assessed before the first. */
  deathsAtS?: readonly number[]
  recoveryOptions?: Partial<RecoveryOptions>
}

export interface TimelineReport {
  points: TimelinePoint[]
  steadyState: SteadyState
  /** The faults with `recovery`, `recovered_after_s` and `availability` filled in. */
  faults: FaultRecord[]
  /** Over the load after the warm-up. */
  availability: Availability
}

/**
 * Builds the per-second timeline, assesses the steady state before the first fault or unplanned death (a dead
 * pipeline's lag grows, which says nothing of whether it kept up) and measures each fault's recovery.
 */
export function analyzeTimeline(input: TimelineInput): TimelineReport {
  const points = buildTimeline(input.counters, input.ratedIntervals, input.lastSecond)
  const injected = input.faults.filter((f) => f.injected_at_s !== null).map((f) => f.injected_at_s ?? 0)
  const segmentEnd = Math.min(input.loadS, ...injected, ...(input.deathsAtS ?? []))
  const steadyState = assessSteadyState(
    points.map((p) => p.backlog),
    input.warmupS,
    segmentEnd,
    input.offeredEps,
  )
  const p99Between = (fromS: number, toS: number): number | null => mergedP99Ms(input.ratedIntervals, fromS, toS)
  // A fault's analysis stops at the next fault; its pre-fault window never reaches into the warm-up or into
  // the previous fault's disturbance. When the previous fault had not settled, the latest clean window serves.
  let notBeforeS = input.warmupS
  let lastCleanReference: { fromS: number; toS: number } | null = null
  const ordered = [...input.faults].filter((f) => f.injected_at_s !== null).sort((a, b) => (a.injected_at_s ?? 0) - (b.injected_at_s ?? 0))
  const recovered = new Map<FaultRecord, FaultRecord>()
  ordered.forEach((f, i) => {
    const injected = f.injected_at_s ?? 0
    const untilS = ordered[i + 1]?.injected_at_s ?? null
    const recovery = analyzeRecovery(points, input.arrivalsS, { injectedAtS: injected, liftedAtS: f.lifted_at_s, restartedAtS: f.restarted_at_s, notBeforeS, untilS, fallbackReference: lastCleanReference }, p99Between, input.recoveryOptions)
    if (recovery.pre_fault?.reference === 'before-fault') lastCleanReference = { fromS: recovery.pre_fault.from_s, toS: recovery.pre_fault.to_s }
    const availability = availabilityBetween(input.counters, injected, Math.max(injected + 1, untilS ?? input.loadS))
    recovered.set(f, { ...f, recovery, recovered_after_s: recovery.time_to_recover_s, availability })
    const settled = recovery.time_to_drain_s !== null && recovery.time_to_recover_s !== null && f.lifted_at_s !== null
    const settledAt = settled ? Math.max(f.lifted_at_s ?? injected, injected + (recovery.time_to_drain_s ?? 0), injected + (recovery.time_to_recover_s ?? 0)) : (untilS ?? Infinity)
    notBeforeS = Math.max(notBeforeS, settledAt)
  })
  return { points, steadyState, faults: input.faults.map((f) => recovered.get(f) ?? f), availability: availabilityBetween(input.counters, input.warmupS, input.loadS) }
}

/** timeline.json's content (docs/results.md "timeline.json"). */
export function timelineDocument(report: TimelineReport, warmupS: number, resources: Record<string, TimelineResourcePoint[]>): Timeline {
  const faults = report.faults.map((f) => ({ name: f.name, kind: f.kind, injected_at_s: f.injected_at_s, lifted_at_s: f.lifted_at_s }))
  return { schema_version: timelineSchemaVersion, origin: 'load start (intended send time 0)', window_s: 1, warmup_s: warmupS, faults, points: report.points, resources }
}
