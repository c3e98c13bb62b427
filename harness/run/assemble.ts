import { basename, join } from 'node:path'
import { faultWindows, mergeOutsideFaults } from '../measure/fault-windows.ts'
import { summarize, type LatencyRecorder } from '../measure/histograms.ts'
import type { ProcessSample } from '../measure/proc.ts'
import { manifestSchemaVersion, type MachineLoad, type Manifest, type Producer, type Results } from '../results/index.ts'
import { readBatchOutput } from '../score/batch-file.ts'
import { batchResultLatency, scoreRun, type BatchRun } from '../score/score-run.ts'
import type { Histogram } from 'hdr-histogram-js'
import { deliveryOf } from './delivery.ts'
import { environmentManifest } from './manifest.ts'
import { measurementCost } from './measuring-cost.ts'
import type { RunFolder } from './run-folder.ts'
import type { LoadedScenario } from './scenario-source.ts'
import type { RunSession, SentLoad, StoreReadBack } from './session.ts'
import { securityResults } from './security-results.ts'
import type { TimelineReport } from './timeline-report.ts'
import type { UnreadInput } from './unread-input.ts'

/** What the run measured, ready to be scored: the session's outputs plus the timeline and the batch baseline. */
export interface Measured {
  session: RunSession
  scenario: LoadedScenario
  load: SentLoad
  timeline: TimelineReport
  samples: Record<string, ProcessSample[]>
  /** The machine's load in the second before the run and over its load phase (manifest `machine_load`). */
  machineLoad: MachineLoad
  batch: { wallMs: number; doneNs: bigint; outFile: string } | null
  /** The input topic read back after the stream (RunSession.unreadInput); null when nothing was missing. */
  unreadInput: UnreadInput | null
  /** The serving store read back after the drain (RunSession.readStore); null without a store. */
  serving: StoreReadBack | null
  startedAt: Date
  aborted: boolean
  producer: Producer
}

function batchRun(batch: NonNullable<Measured['batch']>): BatchRun {
  return { resultsFile: basename(batch.outFile), wallMs: batch.wallMs, doneNs: batch.doneNs, ...readBatchOutput(batch.outFile) }
}

/** Scores the run against its truth and its batch baseline (a pure function of what was measured). */
export function scoreMeasuredRun(m: Measured, streams: readonly LatencyRecorder[]): Results {
  const { session, load, timeline } = m
  const plan = session.plan
  const collector = session.collector
  const summaries = (pick: (r: LatencyRecorder) => Parameters<typeof summarize>[0]): Record<string, ReturnType<typeof summarize>> => Object.fromEntries(streams.map((r) => [r.name, summarize(pick(r))]))
  return scoreRun({
    runId: session.folder.runId,
    producer: m.producer,
    plan,
    startedAt: m.startedAt,
    finishedAt: new Date(),
    generatedUsageIds: load.generatedUsageIds,
    usageSendOffsetsNs: load.usageSendOffsetsNs,
    clock: { runStartNs: session.runStartNs, simStartMs: m.scenario.resolved.startTimeMs, timeCompression: plan.timeCompression },
    unparsableIdByRaw: load.unparsableIdByRaw,
    output: collector,
    truth: session.truth,
    pacer: load.pacer,
    loadCost: { generatorWorkers: plan.generatorWorkers, harnessCpuS: load.harnessCpuS },
    latency: {
      summaries: summaries((r) => r.whole),
      warmupSummaries: summaries((r) => r.warmup),
      histograms: {
        rated: collector.latency.rated.whole,
        bills: collector.latency.bills.whole,
        alerts: collector.latency.alerts.whole,
        schedule_delay: load.pacer.scheduleDelay.whole,
        schedule_delay_outside_faults: mergeOutsideFaults(load.pacer.scheduleDelay.intervals, plan.warmupS, faultWindows(timeline.faults)),
      },
      intervals: { rated: collector.latency.rated.intervals, bills: collector.latency.bills.intervals, alerts: collector.latency.alerts.intervals, schedule_delay: load.pacer.scheduleDelay.intervals },
    },
    delivery: deliveryOf(plan),
    latencyBreakdown: collector.breakdown.summary(),
    faults: timeline.faults,
    unplannedExits: session.unplannedExits,
    unreadInput: m.unreadInput,
    unsentUsageIds: load.unsentUsageIds,
    timeline: {
      steady_state: timeline.steadyState,
      timeline: { file: 'timeline.json', window_s: 1, seconds: timeline.points.length },
      measurement_cost: measurementCost(collector.cost, m.samples['harness'] ?? []),
      availability: timeline.availability,
    },
    security: securityResults(session.runtime.security, session.intruders),
    batch: m.batch === null ? null : batchRun(m.batch),
    samples: m.samples,
    machineLoad: m.machineLoad,
    thresholdAbort: load.abortedBy,
    toMinor: m.scenario.toMinor,
    aborted: m.aborted,
    serving: m.serving,
  })
}

/** manifest.json: the environment and every setting of the run. */
export function runManifest(m: Measured, scenarioPath: string, folder: RunFolder, invocation: Manifest['invocation']): Manifest {
  const rt = m.session.runtime
  return {
    schema_version: manifestSchemaVersion,
    telcobench: m.producer,
    run_id: folder.runId,
    scenario: scenarioPath,
    scenario_sha256: folder.scenarioSha256,
    runtime: rt.describe(),
    delivery_guarantee: m.session.plan.guarantee,
    plan: { ...m.session.plan },
    kafka_client: m.session.client.kind,
    engine: { kind: rt.engine.kind, job_config: m.session.jobConfig },
    ...environmentManifest(rt.java.version),
    machine_load: m.machineLoad,
    invocation,
  }
}

/** `batch_result`: every usage record's batch time-to-result, the batch side of the report's percentile spectrum; none without a batch. */
export function batchResultHistograms(m: Measured): Record<string, Histogram> {
  if (m.batch === null) return {}
  return { batch_result: batchResultLatency(m.load.usageSendOffsetsNs, m.session.runStartNs, m.batch.doneNs) }
}

export const batchOutFile = (folder: RunFolder): string => join(folder.dir, 'batch-results.json')
