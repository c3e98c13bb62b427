/** Spark's own view of a run, from the StreamingQueryProgress records on the `progress` topic. */
export interface EngineQuerySummary {
  /** Micro-batches that read at least one input row. */
  batches_with_input: number
  /** Every progress record (idle batches included). */
  progress_records: number
  input_rows: number
  /** `durationMs.triggerExecution` of the batches with input: the engine's share of the latency. */
  trigger_execution_ms: { p50: number; p95: number; max: number }
  /** `durationMs.addBatch` of the same batches (the query's own work, sinks included). */
  add_batch_ms: { p50: number; p95: number; max: number }
  /** Highest `processedRowsPerSecond` of a batch. */
  processed_rows_per_s_max: number
  /** Σ `stateOperators[].numRowsDroppedByWatermark`: rows later than the watermark. */
  rows_dropped_by_watermark: number
  /** Σ `stateOperators[].numRowsTotal` in the last progress record. */
  state_rows_last: number
}

interface ProgressRecord {
  name?: unknown
  numInputRows?: unknown
  processedRowsPerSecond?: unknown
  durationMs?: Record<string, unknown>
  stateOperators?: { numRowsTotal?: unknown; numRowsDroppedByWatermark?: unknown }[]
}

const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0)

function spread(values: number[]): { p50: number; p95: number; max: number } {
  const sorted = [...values].sort((a, b) => a - b)
  const at = (p: number): number => sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0
  return { p50: at(50), p95: at(95), max: sorted[sorted.length - 1] ?? 0 }
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
