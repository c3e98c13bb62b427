import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { LatencySummary } from '../measure/histograms.ts'
import type { Accounting } from '../score/accounting.ts'
import type { BatchResults, DetectionSummary } from '../score/batch.ts'
import type { BillingScore } from '../score/billing.ts'
import type { KindDetection } from '../score/detection.ts'
import type { SteadyState } from '../measure/steady-state.ts'
import type { FaultRecord } from './faults.ts'
import type { IntegrityCounts } from '../score/fault-integrity.ts'
import type { EngineQuerySummary } from '../score/engine-progress.ts'
import type { MeasurementCostResult } from './measuring-cost.ts'

export const resultsSchemaVersion = 1

export interface ThresholdResult {
  metric: string
  expr: string
  observed: number | null
  passed: boolean
}

/** results.json (docs/design.md "Results"; every key documented in docs/results.md). */
export interface Results {
  schema_version: number
  run_id: string
  scenario: string
  started_at: string
  duration_s: number
  state: 'passed' | 'failed' | 'invalid' | 'aborted'
  verdict: { passed: boolean; reasons: string[]; thresholds: ThresholdResult[] }
  accounting: Accounting
  /** Per stream, events whose intended send time is after the warm-up. */
  latency: Record<string, LatencySummary>
  /** The same streams for events sent during the warm-up (left out of `latency` and the thresholds). */
  latency_warmup: { warmup_s: number; streams: Record<string, LatencySummary> }
  throughput: { offered_eps: number; achieved_eps: number; estimated_eps: number; output_eps: number; schedule_delay_p99_ms: number; schedule_delay_outside_faults_p99_ms: number; send_errors: number; send_retries: number; producer_sessions: number }
  billing: BillingScore | null
  /** Per fraud and anomaly kind (docs/results.md "Detection"). */
  detection: Record<string, KindDetection>
  detection_summary: DetectionSummary
  /** Each fault with the lost records and duplicate copies attributed to it (docs/results.md "Faults and recovery"). */
  faults: (FaultRecord & { integrity: IntegrityCounts })[]
  /** Lost records and duplicate copies before the first fault (all of them when the run has no faults). */
  integrity_before_faults: IntegrityCounts
  /** Lag trend from the warm-up's end to the first fault (docs/results.md "Steady state"); null when not measured. */
  steady_state: SteadyState | null
  /** The per-second series of the run, written to `file` in the run folder; null when not measured. */
  timeline: { file: string; window_s: number; seconds: number } | null
  /** What the measuring consumer cost, apart from the whole harness process; null when not measured. */
  measurement_cost: MeasurementCostResult | null
  batch: BatchResults | null
  /** Spark's own figures per query, from its progress records (docs/results.md "Engine"). */
  engine: Record<string, EngineQuerySummary>
  outputs: { rated_records: number; distinct_rated: number; bills: number; alerts: number; dlq: number; progress_events: number; unparsable: Record<string, number> }
  resources: Record<string, unknown>
}

/** Writes results.json, manifest.json and the raw histograms of a run. */
export function writeRunFiles(runDir: string, results: Results, manifest: Record<string, unknown>, histograms: Record<string, string>): void {
  mkdirSync(join(runDir, 'histograms'), { recursive: true })
  writeFileSync(join(runDir, 'results.json'), `${JSON.stringify(results, null, 2)}\n`)
  writeFileSync(join(runDir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`)
  for (const [name, encoded] of Object.entries(histograms)) {
    writeFileSync(join(runDir, 'histograms', `${name}.hdr`), `${encoded}\n`)
  }
}
