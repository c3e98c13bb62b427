import { fileURLToPath } from 'node:url'
import type { FaultRecord, Results } from '../harness/results/index.ts'
import { loadReportRun, type ReportRun } from './run-data.ts'

/** A real quickstart run folder (results, manifest, timeline, histograms) kept for the report's tests. */
export const fixtureRunDir = fileURLToPath(new URL('../test/fixtures/run-quickstart/', import.meta.url))

export function fixtureRun(): ReportRun {
  return loadReportRun(fixtureRunDir)
}

/** The fixture with two faults added, so the fault chart and tables have something to draw. */
export function withFaults(run: ReportRun): ReportRun {
  const fault = (name: string, kind: FaultRecord['kind'], at: number, lifted: number | null, lost: number, copies: number, recovered: boolean): Results['faults'][number] => ({
    name,
    kind,
    target: kind === 'pipeline-crash' ? 'pipeline' : 'broker',
    nodes: [],
    availability: null,
    at_s: at,
    injected_at_s: at,
    lifted_at_s: lifted,
    restarted_at_s: lifted,
    recovered_after_s: recovered ? 6 : null,
    recovery: {
      until_s: at + 10,
      pre_fault: { from_s: at - 10, to_s: at, reference: 'before-fault', output_eps: 240, backlog_p95: 100, backlog_p99: 120 },
      window_s: 1,
      time_to_detect_s: 1.5,
      detected_by: 'output-gap',
      time_to_recover_s: recovered ? 6 : null,
      time_to_drain_s: recovered ? 8 : null,
      restart_time_s: kind === 'pipeline-crash' ? 3 : null,
      latency_spike: { pre_fault_p99_ms: 1200, peak_p99_ms: 9000, area_above_ms_s: 25000 },
    },
    error: null,
    integrity: { lost, duplicate_copies: copies },
  })
  const faults = [fault('crash-driver', 'pipeline-crash', 16, 20, 0, 37, true), fault('pause-broker', 'broker-pause', 24, null, 2, 0, false)]
  return {
    ...run,
    results: { ...run.results, faults },
    timeline: run.timeline === null ? null : { ...run.timeline, faults: faults.map((f) => ({ name: f.name, kind: f.kind, injected_at_s: f.injected_at_s, lifted_at_s: f.lifted_at_s })) },
  }
}
