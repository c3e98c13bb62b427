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
      phases_ms: { addBatch: { p50: 900, p95: 2900, max: 2900 }, triggerExecution: { p50: 1000, p95: 3000, max: 3000 } },
      processed_rows_per_s_max: 100,
      rows_dropped_by_watermark: 2,
      state_rows_last: 40,
      checkpoint_ms: null,
      backpressured_ratio_max: null,
      busy_ratio_max: null,
    })
  })
})

describe('Flink progress summary', () => {
  const flink = (rows: number, checkpointMs: number | null, backPressured: number, busy: number): unknown => ({
    name: 'rating',
    engine: 'flink',
    numInputRows: rows,
    processedRowsPerSecond: rows / 2,
    ...(checkpointMs === null ? {} : { checkpoint: { id: 1, durationMs: checkpointMs, jobDurationMs: checkpointMs + 5 } }),
    backpressure: { level: 'ok', backPressuredRatioMax: backPressured, busyRatioMax: busy },
  })

  it('takes checkpoint durations from every record that reports one, and the largest back-pressure and busy shares', () => {
    const s = summarizeEngineProgress([flink(0, 300, 0, 0.1), flink(500, null, 0.25, 0.9), flink(700, 100, 0.5, 0.6), flink(0, 200, 0, 0.2)])
    expect(s['rating']).toMatchObject({
      batches_with_input: 2,
      progress_records: 4,
      input_rows: 1200,
      // No micro-batch phases in Flink: not zeros, nothing.
      trigger_execution_ms: { p50: null, p95: null, max: null },
      checkpoint_ms: { p50: 200, p95: 300, max: 300 },
      backpressured_ratio_max: 0.5,
      busy_ratio_max: 0.9,
    })
  })
})
