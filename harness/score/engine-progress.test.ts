import { describe, expect, it } from 'vitest'
import { summarizeEngineProgress } from './engine-progress.ts'

const progress = (name: string, rows: number, trigger: number, dropped = 0, stateRows = 0): unknown => ({
  name,
  numInputRows: rows,
  processedRowsPerSecond: rows / (trigger / 1000),
  durationMs: { triggerExecution: trigger, addBatch: trigger - 100 },
  stateOperators: [{ numRowsTotal: stateRows, numRowsDroppedByWatermark: dropped }],
})

describe('Spark progress summary', () => {
  it('summarises per query, batches with input only for the durations', () => {
    const s = summarizeEngineProgress([progress('rating', 100, 1000), progress('rating', 0, 50), progress('rating', 300, 3000, 2, 40), progress('fraud', 10, 500), 'not a record'])
    expect(Object.keys(s)).toEqual(['fraud', 'rating'])
    expect(s['rating']).toEqual({
      batches_with_input: 2,
      progress_records: 3,
      input_rows: 400,
      trigger_execution_ms: { p50: 1000, p95: 3000, max: 3000 },
      add_batch_ms: { p50: 900, p95: 2900, max: 2900 },
      processed_rows_per_s_max: 100,
      rows_dropped_by_watermark: 2,
      state_rows_last: 40,
    })
  })
})
