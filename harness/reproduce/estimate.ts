import type { RuntimeKind } from '../runtime/index.ts'
import type { PlannedExperiment } from './plan.ts'
import type { Capability } from './suite-schema.ts'

/**
 * How long a suite takes, from its own sizes: each run's wall seconds of load plus what a run costs around its
 * load. The overheads are the figures measured on the 2-core build machine (README "Performance"): the quickstart
 * (30 s of load) takes about 70 s in all, of which the Spark batch baseline 16–18 s; the Spark job's start with
 * its warm-up ~21 s, the broker's a few seconds, the drain and scoring the rest.
 */

/** Seconds a run costs besides its load and the batch baseline: JVM starts, the Spark warm-up, drain, scoring, report. */
export const runOverheadS = 40
/** Seconds the Spark batch baseline adds to a run that has one. */
export const batchBaselineS = 20

/**
 * The most points one configuration's capacity search measures when the start rate holds: ×2 steps from the start
 * to the maximum rate, then bisection in the geometric middle until the limit is within `resolution` of the
 * capacity (harness/capacity/search.ts). A start that fails halves down instead, at most as many points.
 */
export function maxSearchPoints(startEps: number, maxEps: number, resolution: number): number {
  const up = Math.max(0, Math.ceil(Math.log2(maxEps / startEps))) + 1
  // After a ×2 step the ratio limit/capacity is 2; each bisection takes its square root: 2^(1/2^k) − 1 ≤ resolution.
  const bisections = Math.max(0, Math.ceil(Math.log2(1 / Math.log2(1 + resolution))))
  return up + bisections
}

/** An experiment's estimated wall seconds (0 when it is left out); a capacity search at its bound (the suite's rules require its start and maximum rate). */
export function experimentSeconds(e: PlannedExperiment): number {
  if (e.skip !== null) return 0
  if (e.kind === 'run') return e.repeats * (e.loadWallS + runOverheadS + (e.batch ? batchBaselineS : 0))
  const c = e.capacity ?? {}
  const points = maxSearchPoints(c.startRate ?? 1, c.maxRate ?? c.startRate ?? 1, c.resolution ?? 0.1)
  return e.configurations * points * (c.repeat ?? 2) * (e.loadWallS + runOverheadS)
}

/** `1 h 05 min` / `12 min`. */
export function formatMinutes(seconds: number): string {
  const minutes = Math.ceil(seconds / 60)
  return minutes >= 60 ? `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min` : `${minutes} min`
}

/** Why an experiment that needs a capability cannot run here, or null when it can. */
export function unavailable(requires: readonly Capability[], runtime: RuntimeKind): string | null {
  for (const need of requires) {
    if (need === 'ml-detectors') return 'the suite has no training step for the learned detectors yet: train one with `telcobench train` and score it with `run --model` (docs/ml.md)'
    if (need === 'realtime-detection') return "Spark 4.1's real-time mode runs stateless queries only, so the detection queries run in micro-batches in either mode (docs/spark-pipelines.md \"Triggers\")"
    if (need === 'local-runtime' && runtime !== 'local') return `needs a broker and Spark the run owns (faults, security or Spark threads): the local runtime, not ${runtime}`
  }
  return null
}

/** The estimate printed at the start: the sum of each experiment's (docs/reproducing-the-paper.md "How long it takes"). */
export function suiteEstimate(plan: readonly PlannedExperiment[], runtime: RuntimeKind): { seconds: number; lines: string[] } {
  const lines = plan.map((e) => {
    const why = e.skip ?? unavailable(e.requires, runtime)
    if (why !== null) return `  ${e.id}: not run (${why})`
    const s = experimentSeconds(e)
    const c = e.capacity ?? {}
    const what = e.kind === 'run' ? `${e.repeats} run(s) × ${Math.round(e.loadWallS)} s of load` : `${e.configurations} configuration(s) × ≤ ${maxSearchPoints(c.startRate ?? 1, c.maxRate ?? c.startRate ?? 1, c.resolution ?? 0.1)} points × ${c.repeat ?? 2} run(s) × ${Math.round(e.loadWallS)} s of load`
    return `  ${e.id}: ${what} → ≤ ${formatMinutes(s)}`
  })
  const seconds = plan.reduce((sum, e) => sum + ((e.skip ?? unavailable(e.requires, runtime)) === null ? experimentSeconds(e) : 0), 0)
  return { seconds, lines }
}
