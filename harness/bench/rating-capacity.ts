import { percentile } from '../stats/index.ts'
import type { Results, VerdictReason } from '../results/index.ts'

/** What one `telcobench run` of the rating-capacity scenario showed, as the bench tabulates it. */
export interface CapacityStep {
  mode: TriggerMode
  timeCompression: number
  runDir: string
  state: Results['state']
  offeredEps: number
  achievedEps: number
  scheduleDelayP99Ms: number | null
  lagState: string
  lagTrendEps: number | null
  lagTrendStderrEps: number | null
  ratedP50Ms: number | null
  ratedP99Ms: number | null
  /** Bill updates (newest contributing record's intended send → seen): in real-time mode they come from the micro-batch `billing` query. */
  billsP50Ms: number | null
  billsP99Ms: number | null
  /** Spark `triggerExecution` p50 per query (rating, or rating-rt and billing in real-time mode). */
  triggerP50Ms: Record<string, number | null>
  /** Average cores per process over the run (results.resources). */
  cpuCores: Record<string, number>
  /** Median `durationMs` phase per query over the batches with input (spark-progress.jsonl). */
  phasesP50Ms: Record<string, Record<string, number>>
  verdict: VerdictReason[]
}

export type TriggerMode = 'micro-batch' | 'real-time'

/** Whether a step held its rate: the generator first (a run it could not feed says nothing about Spark), then the lag. */
export type StepOutcome = 'steady' | 'lag-grows' | 'generator-limit'

export function classifyStep(step: Pick<CapacityStep, 'state' | 'lagState' | 'verdict'>): StepOutcome {
  if (step.verdict.some((r) => r.code === 'generator_behind_schedule' || r.code === 'generator_shortfall')) return 'generator-limit'
  return step.lagState === 'steady' ? 'steady' : 'lag-grows'
}

interface ProgressRecord {
  name?: unknown
  numInputRows?: unknown
  durationMs?: unknown
}

/** Median of each `durationMs` phase per query, over the progress records that carried input. */
export function phaseMedians(records: readonly ProgressRecord[]): Record<string, Record<string, number>> {
  const byQuery = new Map<string, Map<string, number[]>>()
  for (const r of records) {
    if (typeof r.name !== 'string' || typeof r.numInputRows !== 'number' || r.numInputRows <= 0) continue
    if (typeof r.durationMs !== 'object' || r.durationMs === null) continue
    const phases = byQuery.get(r.name) ?? new Map<string, number[]>()
    byQuery.set(r.name, phases)
    for (const [phase, ms] of Object.entries(r.durationMs as Record<string, unknown>)) {
      if (typeof ms !== 'number') continue
      const list = phases.get(phase) ?? []
      list.push(ms)
      phases.set(phase, list)
    }
  }
  const out: Record<string, Record<string, number>> = {}
  for (const [query, phases] of byQuery) {
    out[query] = {}
    for (const [phase, list] of phases) {
      out[query][phase] = percentile(list, 50) ?? 0
    }
  }
  return out
}

/** The step between the highest steady and the lowest unsteady time compression (geometric middle), or null when they are adjacent. */
export function bisect(steadyTc: number, unsteadyTc: number): number | null {
  const middle = Math.round(Math.sqrt(steadyTc * unsteadyTc))
  return middle > steadyTc && middle < unsteadyTc ? middle : null
}
