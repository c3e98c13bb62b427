import type { KafkaConnection } from '../kafka/index.ts'
import type { BrokerJvmProfile } from '../runtime/kafka-broker.ts'
import { defaultResultsRoot } from '../runtime/paths.ts'
import { stopAll } from '../runtime/processes.ts'
import { claimRunFolder } from '../runtime/run-lock.ts'
import type { SparkSubmitSettings } from '../runtime/external.ts'
import { createRuntime, type Runtime, type RuntimeKind } from '../runtime/runtime.ts'
import { defaultLocalSparkThreads } from '../runtime/spark-job.ts'
import type { LiveSnapshot, Results } from '../results/index.ts'
import type { LiveFeedCost } from './live-feed.ts'
import { cpus } from 'node:os'
import { machineLoadDuring, measureMachineBefore } from '../measure/machine-load.ts'
import { sampleProcess } from '../measure/proc.ts'
import { resourceSeries } from '../measure/resource-series.ts'
import { batchOutFile, batchResultHistograms, runManifest, scoreMeasuredRun, type Measured } from './assemble.ts'
import { needsNetworkProxy } from './faults.ts'
import { producer } from './manifest.ts'
import type { EngineKind } from '../../generators/index.ts'
import type { Guarantee, RunPlan } from './plan.ts'
import { machineLine, printPlan } from './plan-lines.ts'
import { preflight } from './preflight.ts'
import { createRunFolder, removeRunScratch, writeRunFolder } from './run-folder.ts'
import { loadScenario } from './scenario-source.ts'
import { readModelFolder } from '../ml/model-folder.ts'
import { RunSession } from './session.ts'
import { analyzeTimeline, timelineDocument } from './timeline-report.ts'

export interface RunOptions {
  scenarioPath: string
  runtime: RuntimeKind
  guarantee?: Guarantee
  /** The stream processor (overrides the scenario's `pipeline.engine`). */
  engine?: EngineKind
  /** `--set key=value` overrides of the scenario. */
  overrides?: string[]
  /** The command line that started the run, for manifest.json (empty when the run is started from code). */
  commandLine?: string[]
  bootstrap?: string[]
  security?: Pick<KafkaConnection, 'tls' | 'sasl'>
  sparkSubmit?: SparkSubmitSettings
  /** host:port of an existing Cassandra cluster for the serving store (`--cassandra`); the local runtime starts its own otherwise. */
  cassandra?: string
  /** Run the batch baseline after the stream (default: the scenario's setting). */
  batch?: boolean
  resultsDir?: string
  brokerProfile?: BrokerJvmProfile
  /** Embedded Spark `local[N]` task threads (local runtime; default 4). */
  sparkThreads?: number
  kafkaClient?: 'platformatic' | 'kafkajs'
  /**
   * How long the output may stay silent after the load before the drain gives up. 60 s because a Spark driver
   * killed near the end of the load needs ~15 s to restart and ~15 s more to load its state (chaos run, 2 cores).
   * A pipeline that died without a planned fault ends the drain at once.
   * @default 60
   */
  quietS?: number
  keepKafkaData?: boolean
  /** Worker threads producing the load; overrides the scenario's `load.generatorWorkers`. */
  generatorWorkers?: number
  /** Keep the engine's checkpoint folders (removed at the end otherwise: they are only needed to restart). */
  keepCheckpoints?: boolean
  /** A model folder written by `telcobench train` (`--model`): its learned detectors score beside the rules. */
  modelDir?: string
  signal?: AbortSignal
  log?: (line: string) => void
  /** Receives a LiveSnapshot every second of the run (the live dashboard, `run --dashboard`). */
  live?: (snapshot: LiveSnapshot) => void
}

export interface RunOutcome {
  runDir: string
  results: Results
  /** What publishing the live snapshots cost, or null when `live` was not given. */
  liveFeedCost: LiveFeedCost | null
}

/** Runs a scenario end to end on a runtime and writes results/<run-id>/. */
export async function runScenario(o: RunOptions): Promise<RunOutcome> {
  const log = o.log ?? ((line: string) => { console.error(line) })
  const abort = o.signal ?? new AbortController().signal
  const models = o.modelDir !== undefined ? readModelFolder(o.modelDir) : undefined
  const scenario = loadScenario(o.scenarioPath, { overrides: o.overrides ?? [], ...(models !== undefined ? { models } : {}), ...(o.guarantee !== undefined ? { guarantee: o.guarantee } : {}), ...(o.engine !== undefined ? { engine: o.engine } : {}), ...(o.batch !== undefined ? { batch: o.batch } : {}), ...(o.generatorWorkers !== undefined ? { generatorWorkers: o.generatorWorkers } : {}) })
  const plan = scenario.plan
  await preflight(o.runtime, o.bootstrap, plan, o.cassandra)
  const folder = createRunFolder(o.resultsDir ?? defaultResultsRoot(), plan.name, scenario.resolved)
  printPlan(plan, folder.dir, o, log)
  // Also cleans up the runs of harnesses that died (even by SIGKILL) before they could.
  const runLock = await claimRunFolder(folder.dir, log)
  const cores = cpus().length
  // The second before anything of the run starts: what else the machine was doing (docs/method.md §1.7).
  const before = await measureMachineBefore(cores, () => sampleProcess(process.pid))
  log(machineLine(before, cores))
  const startedAt = new Date()
  let runtime: Runtime | null = null
  let session: RunSession | null = null
  try {
    runtime = await createRuntime({ kind: o.runtime, runDir: folder.dir, logDir: folder.logDir, partitions: plan.partitions, engine: plan.engine, cluster: plan.cluster, ...(plan.spark.mode === 'standalone' ? { sparkStandalone: { workers: plan.spark.workers, executorCores: plan.spark.executorCores } } : {}), brokerSecurity: plan.security, networkProxy: needsNetworkProxy(plan.faults), log, ...runtimeSettings(o, plan), ...(plan.store === 'cassandra' ? { store: { kind: 'cassandra' as const, ...(o.cassandra !== undefined ? { contactPoint: o.cassandra } : {}) } } : {}) })
    session = new RunSession(runtime, plan, folder, o.kafkaClient, o.sparkSubmit !== undefined, log)
    if (o.live !== undefined) session.startLiveFeed(o.live)
    await session.startPipeline(scenario)
    const load = await session.produce(scenario, abort)
    await session.drain(load, o.quietS ?? 60, abort)
    const serving = await session.readStore(servedSettleS)
    const { lastSecond, samples: sampled } = await session.stopStreaming()
    const samples = sampled.processes
    const machineLoad = { cores, before, during: machineLoadDuring(sampled.ticks, session.runStartNs, load.endNs, cores) }
    const deaths = session.unplannedExits
    const unreadInput = abort.aborted ? null : await session.unreadInput(load)
    const c = session.collector
    const timeline = analyzeTimeline({ counters: c.timeline, ratedIntervals: c.latency.rated.intervals, arrivalsS: c.outputArrivalsS, lastSecond, warmupS: plan.warmupS, loadS: plan.durationS, offeredEps: plan.durationS > 0 ? load.generatedUsageIds.length / plan.durationS : 0, faults: load.faults, deathsAtS: deaths.map((d) => d.at_s) })
    const skipBatch = batchSkipReason(deaths.length > 0, load.abortedBy !== null)
    if (plan.batchBaseline && skipBatch !== null) log(`Skipping the batch baseline: ${skipBatch}.`)
    const batch = plan.batchBaseline && !abort.aborted && skipBatch === null ? { ...(await session.runBatch(batchOutFile(folder))), outFile: batchOutFile(folder) } : null
    const measured: Measured = { session, scenario, load, timeline, samples, machineLoad, batch, unreadInput, serving, startedAt, aborted: abort.aborted, producer: producer() }
    const streams = session.latencyStreams(load.pacer)
    const results = scoreMeasuredRun(measured, streams)
    const invocation = { command_line: o.commandLine ?? [], set: o.overrides ?? [] }
    writeRunFolder(folder, {
      results,
      manifest: runManifest(measured, o.scenarioPath, folder, invocation),
      timeline: timelineDocument(timeline, plan.warmupS, resourceSeries(samples, session.runStartNs)),
      latency: streams,
      wholeHistograms: batchResultHistograms(measured),
      progress: c.progress,
      alerts: c.alerts,
      dlq: c.dlq,
    })
    await session.close()
    return { runDir: folder.dir, results, liveFeedCost: session.liveFeedCost }
  } finally {
    await session?.close()
    await runtime?.close().catch(() => undefined)
    await stopAll()
    removeRunScratch(folder, { keepKafkaData: o.keepKafkaData === true, keepCheckpoints: o.keepCheckpoints === true })
    runLock.release()
  }
}

/**
 * After the drain, how long the sampled records still missing from the store are waited for: every rated record
 * has reached Kafka by then, and the store is written before Kafka (docs/serving.md), so only a record that never
 * reaches the store (rejected, late, lost) waits this long.
 */
const servedSettleS = 10

/** Why the batch baseline does not run after this stream, or null when it does. */
function batchSkipReason(unplannedDeath: boolean, abortedByThreshold: boolean): string | null {
  // After an unplanned death the run has failed; the baseline would only compare against a stream that stopped.
  if (unplannedDeath) return 'the run failed with an unplanned death'
  // A run stopped by an abortOnFail threshold ends as soon as it has drained, as k6 ends an aborted test.
  if (abortedByThreshold) return 'an abortOnFail threshold stopped the run'
  return null
}

/**
 * Spark's real-time mode keeps one long-running task per partition of its source busy for the whole run: the
 * embedded job gets those task slots on top of the ones the micro-batch queries (billing, network, fraud) share.
 */
function sparkThreadsFor(o: RunOptions, plan: RunPlan): number | undefined {
  if (o.sparkThreads !== undefined) return o.sparkThreads
  return plan.trigger.kind === 'real-time' ? plan.partitions + defaultLocalSparkThreads : undefined
}

function runtimeSettings(o: RunOptions, plan: RunPlan): Partial<Parameters<typeof createRuntime>[0]> {
  const sparkThreads = sparkThreadsFor(o, plan)
  return {
    ...(o.brokerProfile !== undefined ? { brokerProfile: o.brokerProfile } : {}),
    ...(sparkThreads !== undefined ? { sparkThreads } : {}),
    ...(plan.spark.jvmOptions.length > 0 ? { sparkJvmOptions: plan.spark.jvmOptions } : {}),
    ...(o.bootstrap !== undefined ? { bootstrap: o.bootstrap } : {}),
    ...(o.security !== undefined ? { security: o.security } : {}),
    ...(o.sparkSubmit !== undefined ? { sparkSubmit: o.sparkSubmit } : {}),
  }
}
