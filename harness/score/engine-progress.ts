import type { EngineQuerySummary } from '../results/index.ts'
import { spread } from '../stats/index.ts'

interface ProgressRecord {
  name?: unknown
  numInputRows?: unknown
  processedRowsPerSecond?: unknown
  durationMs?: Record<string, unknown>
  stateOperators?: { numRowsTotal?: unknown; numRowsDroppedByWatermark?: unknown }[]
}

const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0)

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
    const last = list[list.length - 1]
    out[name] = {
      batches_with_input: withInput.length,
      progress_records: list.length,
      input_rows: withInput.reduce((n, p) => n + num(p.numInputRows), 0),
      trigger_execution_ms: spread(withInput.map((p) => num(p.durationMs?.['triggerExecution']))),
      add_batch_ms: spread(withInput.map((p) => num(p.durationMs?.['addBatch']))),
      processed_rows_per_s_max: Math.max(0, ...withInput.map((p) => num(p.processedRowsPerSecond))),
      rows_dropped_by_watermark: list.reduce((n, p) => n + (p.stateOperators ?? []).reduce((m, s) => m + num(s.numRowsDroppedByWatermark), 0), 0),
      state_rows_last: (last?.stateOperators ?? []).reduce((m, s) => m + num(s.numRowsTotal), 0),
    }
  }
  return out
}

export type { EngineQuerySummary } from '../results/index.ts'
