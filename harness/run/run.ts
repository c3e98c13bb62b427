import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { TelcobenchError } from '../errors.ts'
import { createKafkaClient, defaultKafkaClientKind, type KafkaClient, type KafkaConnection } from '../kafka/index.ts'
import { encodeHistogram, summarize, type LatencyRecorder } from '../measure/histograms.ts'
import { faultWindows, mergeOutsideFaults } from '../measure/fault-windows.ts'
import { sampleProcess, type ProcessSample } from '../measure/proc.ts'
import { secondOf } from '../measure/timeline.ts'
import { readBatchOutput } from '../score/batch-file.ts'
import { scoreRun, type BatchRun } from '../score/score-run.ts'
import type { SparkSubmitSettings } from '../runtime/external.ts'
import type { BrokerJvmProfile } from '../runtime/kafka-broker.ts'
import { jvmTmpDir, resultsRoot } from '../runtime/paths.ts'
import { defaultLocalSparkCores } from '../runtime/spark-job.ts'
import { stopAll } from '../runtime/processes.ts'
import { claimRunFolder } from '../runtime/run-lock.ts'
import { createRuntime, type Runtime, type RuntimeKind, type StreamingJob } from '../runtime/runtime.ts'
import { OutputCollector } from './collector.ts'
import { drain } from './drain.ts'
import { needsNetworkProxy, runFaultTimeline, unsupportedFaults } from './faults.ts'
import { environmentManifest } from './manifest.ts'
import { measurementCost } from './measuring-cost.ts'
import { OpenLoopPacer } from './pacer.ts'
import type { Guarantee, RunPlan } from './plan.ts'
import { writeRunFiles, type Results } from './results.ts'
import { newRunId, topicPrefix } from './run-id.ts'
import { loadScenario, type LoadedScenario } from './scenario-source.ts'
import { analyzeTimeline, timelineFile, writeTimeline } from './timeline-report.ts'
import { TruthRecorder } from './truth-recorder.ts'

export interface RunOptions {
  scenarioPath: string
  runtime: RuntimeKind
  guarantee?: Guarantee
  /** `--set key=value` overrides of the scenario. */
  overrides?: string[]
  bootstrap?: string[]
  security?: Pick<KafkaConnection, 'tls' | 'sasl'>
  sparkSubmit?: SparkSubmitSettings
  /** Run the batch baseline after the stream (default: the scenario's setting). */
  batch?: boolean
  resultsDir?: string
  brokerProfile?: BrokerJvmProfile
  kafkaClient?: 'platformatic' | 'kafkajs'
  /**
   * How long the output may stay silent after the load before the drain gives up. 60 s because a Spark driver
   * killed near the end of the load needs ~15 s to restart and ~15 s more to load its state (chaos run, 2 cores).
   * @default 60
   */
  quietS?: number
  keepKafkaData?: boolean
  signal?: AbortSignal
  log?: (line: string) => void
}

export interface RunOutcome {
  runDir: string
  results: Results
}

/** Topic suffixes of docs/contracts.md. */
export const topicSuffixes = ['cdr', 'pm', 'alarms', 'rated', 'bills', 'alerts', 'dlq', 'progress'] as const

/** The job config handed to Spark (docs/contracts.md "Job config"). */
export function sparkJobConfig(plan: RunPlan, runId: string, bootstrap: string, checkpointDir: string, security: Record<string, string>, shufflePartitions: number): Record<string, unknown> & { checkpointDir: string; bootstrap: string; topicPrefix: string } {
  return {
    runId,
    topicPrefix: topicPrefix(runId),
    bootstrap,
    kafkaOptions: security,
    checkpointDir,
    guarantee: plan.guarantee,
    trigger: plan.trigger,
    queries: plan.queries,
    maxOffsetsPerTrigger: 200_000,
    shufflePartitions,
    dedupWatermarkMs: plan.dedupWatermarkMs,
    lateThresholdMs: plan.lateThresholdMs,
    ratingSpec: plan.ratingSpec,
    detectors: plan.detectors,
  }
}

/**
 * Spark's shuffle (and state store) partitions. Embedded Spark has 2 cores: more partitions than cores only add
 * per-batch task and state-commit overhead (measured on the quickstart: batch p50 3.2 s with 4, 2.0 s with 2),
 * so it takes min(topic partitions, cores). A cluster submitted to with spark-submit gets one per topic partition.
 */
function shufflePartitionsFor(plan: RunPlan, o: RunOptions): number {
  return o.sparkSubmit === undefined ? Math.min(plan.partitions, defaultLocalSparkCores) : plan.partitions
}

/** Kafka client properties for the Spark job from the external runtime's security settings. */
function sparkKafkaSecurity(kafka: KafkaConnection): Record<string, string> {
  const props: Record<string, string> = {}
  if (kafka.sasl !== undefined) {
    props['security.protocol'] = kafka.tls !== undefined ? 'SASL_SSL' : 'SASL_PLAINTEXT'
    props['sasl.mechanism'] = kafka.sasl.mechanism.toUpperCase()
    const module = kafka.sasl.mechanism === 'plain' ? 'org.apache.kafka.common.security.plain.PlainLoginModule' : 'org.apache.kafka.common.security.scram.ScramLoginModule'
    props['sasl.jaas.config'] = `${module} required username="${kafka.sasl.username}" password="${kafka.sasl.password}";`
  } else if (kafka.tls !== undefined) {
    props['security.protocol'] = 'SSL'
  }
  return props
}

function printPlan(plan: RunPlan, runDir: string, o: RunOptions, log: (line: string) => void): void {
  log(`telcobench run ${o.scenarioPath}`)
  log(`  scenario    ${plan.name} (seed ${plan.seed}) · ${plan.durationS} s of load · ${Math.round(plan.offeredEps)} ev/s offered · ×${plan.timeCompression} time compression`)
  log(`  pipeline    spark ${plan.trigger.kind} · queries ${plan.queries.join(', ')} · ${plan.guarantee} · ${plan.partitions} partitions · batch baseline ${plan.batchBaseline ? 'on' : 'off'}`)
  log(`  runtime     ${o.runtime}${o.bootstrap !== undefined ? ` (${o.bootstrap.join(',')})` : ''}`)
  log(`  faults      ${plan.faults.length === 0 ? 'none' : plan.faults.map((f) => `${f.atS}s ${f.kind}`).join(' · ')}`)
  const thresholds = Object.entries(plan.thresholds).flatMap(([m, exprs]) => exprs.map((e) => `${m} ${e}`))
  log(`  thresholds  ${thresholds.length === 0 ? 'none' : thresholds.join(' · ')}`)
  log(`  output      ${runDir}`)
}

/** Runs a scenario end to end on a runtime and writes results/<run>/. */
export async function runScenario(o: RunOptions): Promise<RunOutcome> {
  const log = o.log ?? ((line: string) => { console.error(line) })
  const scenario: LoadedScenario = loadScenario(o.scenarioPath, { overrides: o.overrides ?? [], ...(o.guarantee !== undefined ? { guarantee: o.guarantee } : {}), ...(o.batch !== undefined ? { batch: o.batch } : {}) })
  const plan = scenario.plan
  const runId = newRunId(plan.name)
  const runDir = join(o.resultsDir ?? resultsRoot, runId)
  const logDir = join(runDir, 'logs')
  mkdirSync(logDir, { recursive: true })
  const runLock = await claimRunFolder(runDir, log)
  writeFileSync(join(runDir, 'scenario.resolved.json'), `${JSON.stringify(scenario.resolved, null, 2)}\n`)
  printPlan(plan, runDir, o, log)

  const startedAt = new Date()
  const abort = o.signal ?? new AbortController().signal
  let runtime: Runtime | null = null
  let client: KafkaClient | null = null
  let job: StreamingJob | null = null
  let collector: OutputCollector | null = null
  const truth = new TruthRecorder(join(runDir, 'truth'))
  try {
    runtime = await createRuntime({
      kind: o.runtime,
      runDir,
      logDir,
      partitions: plan.partitions,
      ...(o.brokerProfile !== undefined ? { brokerProfile: o.brokerProfile } : {}),
      ...(o.bootstrap !== undefined ? { bootstrap: o.bootstrap } : {}),
      ...(o.security !== undefined ? { security: o.security } : {}),
      ...(o.sparkSubmit !== undefined ? { sparkSubmit: o.sparkSubmit } : {}),
      networkProxy: needsNetworkProxy(plan.faults),
      log,
    })
    const problems = unsupportedFaults(plan.faults, runtime.broker !== null, runtime.network !== null)
    if (problems.length > 0) throw new TelcobenchError('TB_SCENARIO_INVALID', `this runtime cannot carry out the scenario's faults: ${problems.join('; ')}`, { fix: 'run on the local runtime (stop `telcobench up` first) or remove those faults' })
    const rt = runtime
    const kafkaClient = createKafkaClient(o.kafkaClient ?? defaultKafkaClientKind, rt.kafka)
    client = kafkaClient
    const prefix = topicPrefix(runId)
    const topicName = (suffix: string): string => `${prefix}${suffix}`
    const admin = await kafkaClient.admin()
    await admin.createTopics(topicSuffixes.map(topicName), plan.partitions)
    await admin.close()
    log(`Kafka ready (${rt.kafka.bootstrap.join(',')}); topics ${prefix}{${topicSuffixes.join(',')}}`)

    const jobConfig = sparkJobConfig(plan, runId, rt.kafka.bootstrap.join(','), join(runDir, 'checkpoints'), sparkKafkaSecurity(rt.kafka), shufflePartitionsFor(plan, o))
    log('Starting the Spark streaming job …')
    job = await rt.startStreamingJob(jobConfig)
    log(`Spark streaming job ready in ${(job.startupMs / 1000).toFixed(1)} s`)

    const runStartNs = process.hrtime.bigint() + 500_000_000n
    const warmupNs = BigInt(Math.round(plan.warmupS * 1e9))
    collector = new OutputCollector(kafkaClient, { rated: topicName('rated'), bills: topicName('bills'), alerts: topicName('alerts'), dlq: topicName('dlq'), progress: topicName('progress') }, plan.guarantee === 'exactly-once', runStartNs, warmupNs)
    await collector.start()

    const cdrTopic = topicName('cdr')
    const generatedUsageIds: string[] = []
    const usageSendOffsetsNs: number[] = []
    const unparsableIdByRaw = new Map<string, string>()
    const pacer = new OpenLoopPacer({
      events: scenario.events(truth),
      encode: scenario.encode,
      topicName,
      runStartNs,
      warmupNs,
      signal: abort,
      newProducer: () => kafkaClient.producer({ idempotent: true, acks: 'all', lingerMs: 5 }),
      onSent: (event, value) => {
        if (event.topic !== 'cdr' || event.id === null) return
        collector?.timeline.offered.add(Math.max(0, Math.floor(event.sendOffsetNs / 1e9)))
        generatedUsageIds.push(event.id)
        usageSendOffsetsNs.push(event.sendOffsetNs)
        // A record the pipeline cannot parse reaches the DLQ without its id: remember its bytes to match it.
        if (truth.injections.has(event.id)) unparsableIdByRaw.set(value, event.id)
      },
      onAcked: (topic, count, ackNs) => {
        if (topic === cdrTopic) collector?.timeline.acked.add(secondOf(ackNs, runStartNs), count)
      },
    })
    const resources = startResourceSampler(rt, () => job)
    const faultRun = runFaultTimeline(plan.faults, runStartNs, { broker: rt.broker, network: rt.network, job: () => job, restartGenerator: () => { pacer.requestProducerRestart() }, log }, abort)
    const progressTicker = setInterval(() => {
      const c = collector
      if (c === null) return
      const elapsed = Number(process.hrtime.bigint() - runStartNs) / 1e9
      const s = c.latency.rated.summary()
      log(`  ${elapsed.toFixed(0).padStart(4)} s  sent ${pacer.report.sent}  rated ${c.distinctRated}  dlq ${c.dlq.length}  alerts ${c.alerts.length}  backlog ${c.timeline.acked.total - c.timeline.accounted.total}  rated p50 ${s.p50} ms p99 ${s.p99} ms`)
    }, 10_000)
    log(`Producing for ${plan.durationS} s …`)
    const pacerReport = await pacer.run()
    const faults = await faultRun
    const expectedOutputs = new Set(generatedUsageIds).size
    log(`Load done (${pacerReport.sent} records sent); draining until every event is accounted for …`)
    const outputs = collector
    const quietS = o.quietS ?? 60
    const drained = await drain({ accounted: () => outputs.distinctRated + outputs.dlq.length, lastOutputNs: () => outputs.lastOutputNs }, expectedOutputs, quietS, abort)
    if (drained === 'quiet') log(`No output for ${String(quietS)} s after the load; what is missing counts as lost.`)
    clearInterval(progressTicker)
    await job.stop()
    await collector.stop()
    const lastSecond = secondOf(process.hrtime.bigint(), runStartNs)
    const samples = resources.stop()
    await truth.close()
    const timeline = analyzeTimeline({ counters: collector.timeline, ratedIntervals: collector.latency.rated.intervals, arrivalsS: collector.outputArrivalsS, lastSecond, warmupS: plan.warmupS, loadS: plan.durationS, offeredEps: plan.durationS > 0 ? generatedUsageIds.length / plan.durationS : 0, faults })
    writeTimeline(runDir, timeline, plan.warmupS)

    let batch: BatchRun | null = null
    if (plan.batchBaseline && !abort.aborted) {
      log('Running the Spark batch baseline on the same topics …')
      const out = join(runDir, 'batch-results.json')
      const { wallMs } = await rt.runBatch({ ...jobConfig, checkpointDir: join(runDir, 'batch-checkpoints') }, out)
      batch = { resultsFile: 'batch-results.json', wallMs, doneNs: process.hrtime.bigint(), ...readBatchOutput(out) }
    }

    const latencyRecorders: LatencyRecorder[] = [collector.latency.rated, collector.latency.bills, collector.latency.alerts, collector.latency.dlq, pacerReport.scheduleDelay, pacerReport.produceService, pacerReport.produceResponse]
    const results = scoreRun({
      runId,
      plan,
      startedAt,
      finishedAt: new Date(),
      generatedUsageIds,
      usageSendOffsetsNs,
      clock: { runStartNs, simStartMs: scenario.resolved.startTimeMs, timeCompression: plan.timeCompression },
      unparsableIdByRaw,
      output: collector,
      truth,
      pacer: pacerReport,
      latency: {
        summaries: Object.fromEntries(latencyRecorders.map((r) => [r.name, summarize(r.whole)])),
        warmupSummaries: Object.fromEntries(latencyRecorders.map((r) => [r.name, summarize(r.warmup)])),
        histograms: { rated: collector.latency.rated.whole, bills: collector.latency.bills.whole, alerts: collector.latency.alerts.whole, schedule_delay: pacerReport.scheduleDelay.whole, schedule_delay_outside_faults: mergeOutsideFaults(pacerReport.scheduleDelay.intervals, plan.warmupS, faultWindows(timeline.faults)) },
      },
      faults: timeline.faults,
      timeline: {
        steady_state: timeline.steadyState,
        timeline: { file: timelineFile, window_s: 1, seconds: timeline.points.length },
        measurement_cost: measurementCost(collector.cost, samples['harness'] ?? []),
      },
      batch,
      samples,
      toMinor: scenario.toMinor,
      aborted: abort.aborted,
    })
    const manifest = { run_id: runId, scenario: o.scenarioPath, runtime: rt.describe(), delivery_guarantee: plan.guarantee, plan, kafka_client: kafkaClient.kind, spark_job: jobConfig, ...environmentManifest(rt.java.version) }
    const histograms: Record<string, string> = {}
    for (const r of latencyRecorders) {
      histograms[r.name] = encodeHistogram(r.whole)
      histograms[`${r.name}.warmup`] = encodeHistogram(r.warmup)
    }
    writeRunFiles(runDir, results, manifest, histograms)
    writeFileSync(join(runDir, 'spark-progress.jsonl'), collector.progress.map((p) => `${JSON.stringify(p)}\n`).join(''))
    for (const r of latencyRecorders) {
      const perSecond = [...r.intervals.entries()].sort(([a], [b]) => a - b).map(([t, h]) => `${JSON.stringify({ t_s: t, hdr: encodeHistogram(h) })}\n`)
      writeFileSync(join(runDir, 'histograms', `${r.name}.intervals.jsonl`), perSecond.join(''))
    }
    writeFileSync(join(runDir, 'alerts.jsonl'), collector.alerts.map((a) => `${JSON.stringify(a)}\n`).join(''))
    writeFileSync(join(runDir, 'dlq.jsonl'), collector.dlq.map((d) => `${JSON.stringify(d)}\n`).join(''))
    return { runDir, results }
  } finally {
    await collector?.stop().catch(() => undefined)
    await job?.stop().catch(() => undefined)
    if (client !== null && runtime !== null && runtime.broker === null) await deleteRunTopics(client, runId).catch(() => undefined)
    await runtime?.close().catch(() => undefined)
    await stopAll()
    if (o.keepKafkaData !== true) rmSync(join(runDir, 'kafka', 'data'), { recursive: true, force: true })
    for (const dir of [jvmTmpDir(runDir), jvmTmpDir(join(runDir, 'kafka'))]) rmSync(dir, { recursive: true, force: true })
    runLock.release()
  }
}

async function deleteRunTopics(client: KafkaClient, runId: string): Promise<void> {
  const admin = await client.admin()
  // The exactly-once writer keeps its batch markers in a topic of its own (docs/exactly-once.md).
  const ours = new Set([...topicSuffixes, 'eos-commits'].map((s) => `${topicPrefix(runId)}${s}`))
  const existing = (await admin.listTopics()).filter((t) => ours.has(t))
  if (existing.length > 0) await admin.deleteTopics(existing)
  await admin.close()
}

interface ResourceSampler {
  stop(): Record<string, ProcessSample[]>
}

function startResourceSampler(rt: Runtime, job: () => StreamingJob | null): ResourceSampler {
  const series: Record<string, ProcessSample[]> = { harness: [], broker: [], spark: [] }
  const tick = (): void => {
    const pids: [string, number | null][] = [['harness', process.pid], ['broker', rt.broker?.pid ?? null], ['spark', job()?.process?.pid ?? null]]
    for (const [name, pid] of pids) {
      if (pid === null) continue
      const sample = sampleProcess(pid)
      if (sample !== null) series[name]?.push(sample)
    }
  }
  tick()
  const timer = setInterval(tick, 1000)
  return {
    stop: () => {
      clearInterval(timer)
      tick()
      return series
    },
  }
}
