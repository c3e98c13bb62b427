import type { EngineQuerySummary } from '../results/index.ts'
import { spread } from '../stats/index.ts'

interface ProgressRecord {
  name?: unknown
  numInputRows?: unknown
  processedRowsPerSecond?: unknown
  durationMs?: Record<string, unknown>
  stateOperators?: { numRowsTotal?: unknown; numRowsDroppedByWatermark?: unknown }[]
  /** Flink's progress records (docs/flink-pipelines.md "Progress records"). */
  checkpoint?: { durationMs?: unknown }
  backpressure?: { backPressuredRatioMax?: unknown; busyRatioMax?: unknown }
}

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v)

/** The largest of the values present, or null when no record has one (a Spark run). */
const maxOrNull = (values: unknown[]): number | null => {
  const present = values.filter(isNum)
  return present.length === 0 ? null : Math.max(...present)
}

const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0)

/** Every phase a micro-batch timed (Spark's `durationMs` keys), each over the batches that timed it. */
function phaseSpreads(timed: readonly ProgressRecord[]): Record<string, ReturnType<typeof spread>> {
  const phases = [...new Set(timed.flatMap((p) => Object.keys(p.durationMs ?? {})))].sort()
  return Object.fromEntries(phases.map((phase) => [phase, spread(timed.map((p) => p.durationMs?.[phase]).filter(isNum))]))
}

/** Summarises the progress records per query name. */
export function summarizeEngineProgress(records: readonly unknown[]): Record<string, EngineQuerySummary> {
  const byQuery = new Map<string, ProgressRecord[]>()
  for (const r of records) {
    if (typeof r !== 'object' || r === null) continue
    const p = r as ProgressRecord
    const name = typeof p.name === 'string' ? p.name : 'unnamed'
    const list = byQuery.get(name) ?? []
    list.push(p)
    byQuery.set(name, list)
  }
  const out: Record<string, EngineQuerySummary> = {}
  for (const [name, list] of [...byQuery].sort(([a], [b]) => a.localeCompare(b))) {
    const withInput = list.filter((p) => num(p.numInputRows) > 0)
    // Spark's micro-batches time their phases; Flink's records have no durationMs and do not count as zeros.
    const timed = withInput.filter((p) => p.durationMs !== undefined)
    const checkpoints = list.map((p) => p.checkpoint?.durationMs).filter(isNum)
    const last = list[list.length - 1]
    out[name] = {
      batches_with_input: withInput.length,
      progress_records: list.length,
      input_rows: withInput.reduce((n, p) => n + num(p.numInputRows), 0),
      trigger_execution_ms: spread(timed.map((p) => num(p.durationMs?.['triggerExecution']))),
      add_batch_ms: spread(timed.map((p) => num(p.durationMs?.['addBatch']))),
      phases_ms: timed.length === 0 ? null : phaseSpreads(timed),
      processed_rows_per_s_max: Math.max(0, ...withInput.map((p) => num(p.processedRowsPerSecond))),
      rows_dropped_by_watermark: list.reduce((n, p) => n + (p.stateOperators ?? []).reduce((m, s) => m + num(s.numRowsDroppedByWatermark), 0), 0),
      state_rows_last: (last?.stateOperators ?? []).reduce((m, s) => m + num(s.numRowsTotal), 0),
      checkpoint_ms: checkpoints.length === 0 ? null : spread(checkpoints),
      backpressured_ratio_max: maxOrNull(list.map((p) => p.backpressure?.backPressuredRatioMax)),
      busy_ratio_max: maxOrNull(list.map((p) => p.backpressure?.busyRatioMax)),
    }
  }
  return out
}

export type { EngineQuerySummary } from '../results/index.ts'
