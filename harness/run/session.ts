import { consumingInThreads, createKafkaClient, defaultKafkaClientKind, type KafkaClient, type ProducerOptions } from '../kafka/index.ts'
import type { LatencyRecorder } from '../measure/histograms.ts'
import { secondOf } from '../measure/timeline.ts'
import type { Runtime, StreamingJob } from '../runtime/runtime.ts'
import type { UnplannedExit } from '../results/index.ts'
import { parseMetricKey, parseThreshold, type ThresholdMetricName } from '../../generators/index.ts'
import { AbortWatch, describeAbort, type AbortDecision, type AbortThreshold } from '../score/abort-watch.ts'
import { OutputCollector } from './collector.ts'
import { DeathWatch, labelOf, roleOf } from './deaths.ts'
import { drain } from './drain.ts'
import { loadBesideFaults, runFaultTimeline, type FaultRecord } from './faults.ts'
import { engineJobConfig, storeMaxOutageMs, topicSuffixes } from './job-config.ts'
import { keyspaceOf, localDatacenter, ServingStore, type StoreBill } from '../serving/store.ts'
import { ServedSampler, servedSampleEvery, type ServedSamplingReport } from '../serving/served-sampler.ts'
import { InProcessLoad, type LoadBook, type LoadSource } from './load-source.ts'
import { GeneratorWorkerPool, WorkerLoad } from './load-workers.ts'
import { ensureControlTopic, monotonicAt, replySuffix, replyTopicConfigs } from './remote-protocol.ts'
import { RemoteShards } from './remote-shards.ts'
import { packageVersion } from '../install/index.ts'
import type { PacerReport } from './pacer.ts'
import { count, duration, eta, loadDoneLine, progressMs } from './progress.ts'
import type { RunPlan } from './plan.ts'
import { startResourceSampler, type ResourceSampler, type ResourceSamples } from './resources.ts'
import type { RunFolder } from './run-folder.ts'
import { topicPrefix } from './run-id.ts'
import type { LoadedScenario } from './scenario-source.ts'
import { inputTopics, outputTopics, runAcls } from './access.ts'
import { runIntruderCheck, type IntruderReport } from './intruder.ts'
import { ReplicationWatch } from './replication-watch.ts'
import { TruthRecorder } from './truth-recorder.ts'
import { LiveFeed, type LiveFeedCost } from './live-feed.ts'
import type { FaultRecord as LiveFaultRecord, LiveSnapshot } from '../results/index.ts'
import { trendStreams, type TrendStream } from './verdict.ts'
import { billsCaughtUp, consumedInputOffsets, readUnreadInput, usageIdOf, type UnreadInput } from './unread-input.ts'

/** What the load sent: every usage id with its intended send time (in send order per generator worker; several workers' parts interleave), and the pacer's figures. */
export interface SentLoad {
  generatedUsageIds: string[]
  usageSendOffsetsNs: number[]
  /** Bytes of records the pipeline cannot parse → their id (their DLQ record carries no id). */
  unparsableIdByRaw: Map<string, string>
  /** Usage ids whose send failed for good: they never reached `cdr`. */
  unsentUsageIds: Set<string>
  pacer: PacerReport
  faults: FaultRecord[]
  /** Monotonic ns at which the load ended (the pacer returned): the end of the load phase. */
  endNs: bigint
  /** The abortOnFail threshold that stopped the load early, or null. */
  abortedBy: AbortDecision | null
  /** CPU seconds the whole harness process (every thread) used while the load ran. */
  harnessCpuS: number
}

/** The serving store as the run leaves it: its bills and rated ids at the end, or why they could not be read. */
export interface StoreReadBack {
  contactPoint: string
  keyspace: string
  content: { bills: StoreBill[]; ratedIds: Set<string> } | { error: string }
  sampling: ServedSamplingReport
}

/** How far ahead of now a run with generator agents starts its load: time for every agent to read the announcement, load the scenario and answer. */
const agentLeadMs = 5000
/** Seconds past the load's scheduled end after which a load still sending is stopped: a send is retried for up to
 * 120 s (the pacer's default), and this leaves a minute more. */
const loadOverrunS = 180

/**
 * One run's moving parts on a started runtime: the Kafka client, the streaming job, the output collector and the
 * truth. Each method is one chapter of the run; close() stops whatever is still running, whatever happened.
 */
export class RunSession {
  readonly jobConfig: ReturnType<typeof engineJobConfig>
  readonly truth: TruthRecorder
  /** The harness's admin client (the broker's super user when secured). */
  readonly client: KafkaClient
  /** The load generator's producer client, and the measuring consumer's. */
  private readonly producerClient: KafkaClient
  private readonly measurerClient: KafkaClient
  private readonly clientKind: 'platformatic' | 'kafkajs'
  /** The intruder check's outcome (a secured run with ACLs), null otherwise. */
  intruders: IntruderReport | null = null
  /** Monotonic ns at which the load's schedule starts. */
  runStartNs = 0n
  private job: StreamingJob | null = null
  private resources: ResourceSampler | null = null
  private collectorOrNull: OutputCollector | null = null
  private deaths: DeathWatch | null = null
  /** The generator worker threads, started with the pipeline so they have loaded before the load's clock starts; null for one thread. */
  private workers: GeneratorWorkerPool | null = null
  /** The generator agents on other hosts (scenario load.remoteGenerators), once announced; null without. */
  private remote: RemoteShards | null = null
  private replicationOrNull: ReplicationWatch | null = null
  private servingStore: ServingStore | null = null
  private liveFeed: LiveFeed | null = null
  private liveFaults: readonly LiveFaultRecord[] = []
  private livePacerSent: () => number = () => 0
  private livePhase: LiveSnapshot['phase'] = 'starting'
  private closed = false

  private sampler: ServedSampler | null = null
  /** Stops the load when the broker dies: nothing more can be sent. */
  private readonly brokerDead = new AbortController()

  readonly runtime: Runtime
  readonly plan: RunPlan
  readonly folder: RunFolder
  private readonly log: (line: string) => void

  constructor(runtime: Runtime, plan: RunPlan, folder: RunFolder, kafkaClient: 'platformatic' | 'kafkajs' | undefined, onCluster: boolean, log: (line: string) => void) {
    this.runtime = runtime
    this.plan = plan
    this.folder = folder
    this.log = log
    this.clientKind = kafkaClient ?? defaultKafkaClientKind
    // On a secured broker each client connects as its own user, with only the rights its ACLs give (docs/security.md).
    const security = runtime.security
    this.client = createKafkaClient(this.clientKind, runtime.kafka)
    this.producerClient = security === null ? this.client : createKafkaClient(this.clientKind, security.connectionFor('generator'))
    const measurerConnection = security === null ? runtime.kafka : security.connectionFor('measurer')
    // The output is read in a thread of its own: the collector's bookkeeping on this thread cannot delay the moment
    // a record counts as read (docs/method.md "Where the time goes").
    this.measurerClient = consumingInThreads(security === null ? this.client : createKafkaClient(this.clientKind, measurerConnection), measurerConnection)
    this.truth = new TruthRecorder(folder.truthDir)
    const store = runtime.store === null ? null : { kind: 'cassandra' as const, contactPoints: [runtime.store.contactPoint], keyspace: keyspaceOf(folder.runId), localDatacenter, maxOutageMs: storeMaxOutageMs }
    const jobConfig = engineJobConfig(plan, folder.runId, runtime.kafka, folder.checkpointDir, onCluster, store)
    this.jobConfig = security === null ? jobConfig : { ...jobConfig, kafkaOptions: security.engineKafkaOptions }
  }

  get collector(): OutputCollector {
    if (this.collectorOrNull === null) throw new Error('the output collector is read before the pipeline started')
    return this.collectorOrNull
  }

  /**
   * Publishes a LiveSnapshot every second from now until the session closes (the live dashboard). The last
   * snapshot, with phase `done`, is published by close().
   */
  startLiveFeed(publish: (snapshot: LiveSnapshot) => void): void {
    const rating = this.plan.ratingSpec as { currency?: unknown }
    const runStartNs = (): bigint => this.runStartNs
    const phase = (): LiveSnapshot['phase'] => this.livePhase
    const collector = (): OutputCollector | null => this.collectorOrNull
    this.liveFeed = new LiveFeed(
      {
        runId: this.folder.runId,
        scenario: this.plan.name,
        loadS: this.plan.durationS,
        warmupS: this.plan.warmupS,
        currency: typeof rating.currency === 'string' ? rating.currency : '',
        get runStartNs() {
          return runStartNs()
        },
        get phase() {
          return phase()
        },
        get collectorOrNull() {
          return collector()
        },
        sent: () => this.livePacerSent(),
        latencyStreams: () => (this.collectorOrNull === null ? [] : [this.collectorOrNull.latency.rated, this.collectorOrNull.latency.bills, this.collectorOrNull.latency.alerts, ...(this.sampler === null ? [] : [this.sampler.latency])]),
        faults: () => this.liveFaults,
        storeBills: async (subscribers) => (this.servingStore === null ? null : await this.servingStore.billsOf(subscribers)),
      },
      publish,
    )
    this.liveFeed.start()
  }

  /** What the live feed cost, or null when none ran. */
  get liveFeedCost(): LiveFeedCost | null {
    return this.liveFeed?.cost ?? null
  }

  private topicName(suffix: string): string {
    return `${topicPrefix(this.folder.runId)}${suffix}`
  }

  /** Creates the run's topics, starts the streaming job and the output collector. */
  async startPipeline(scenario: LoadedScenario): Promise<void> {
    const admin = await this.client.admin()
    const { replicationFactor, minInsyncReplicas } = this.plan.cluster
    // Input records carry the broker's append time, the first engine-side mark of the latency breakdown (docs/method.md "Where the time goes").
    await admin.createTopics(inputTopics.map((s) => this.topicName(s)), this.plan.partitions, replicationFactor, minInsyncReplicas, { 'message.timestamp.type': 'LogAppendTime' })
    await admin.createTopics(outputTopics.map((s) => this.topicName(s)), this.plan.partitions, replicationFactor, minInsyncReplicas)
    if (this.plan.remoteGenerators > 0) {
      await admin.createTopics([this.topicName(replySuffix)], 1, replicationFactor, minInsyncReplicas, replyTopicConfigs)
      await ensureControlTopic(this.client, replicationFactor)
    }
    const security = this.runtime.security
    if (security?.settings.acls === true) {
      const principals = { generator: security.usernameOf('generator'), engine: security.usernameOf('engine'), measurer: security.usernameOf('measurer') }
      await admin.createAcls(runAcls(topicPrefix(this.folder.runId), this.folder.runId, principals))
      this.log('ACLs granted; intruder check (no credentials, a wrong password, a user without ACLs: read cdr, write bills) …')
      this.intruders = await runIntruderCheck({ kind: this.clientKind, intruders: security.intruders(), admin, cdrTopic: this.topicName('cdr'), billsTopic: this.topicName('bills'), marker: `intruder-${this.folder.runId}` })
      const refused = this.intruders.attempts.filter((a) => a.refused).length
      this.log(`Intruder check: ${refused} of ${this.intruders.attempts.length} attempts refused, ${this.intruders.landed} records landed`)
    }
    await admin.close()
    this.log(`Kafka ready (${this.runtime.kafka.bootstrap.join(',')}); topics ${topicPrefix(this.folder.runId)}{${topicSuffixes.join(',')}}`)
    // Generator agents take shards after the run's own, which then come from worker threads too (one at least).
    if (this.plan.generatorWorkers > 1 || this.plan.remoteGenerators > 0) this.workers = new GeneratorWorkerPool(this.plan.generatorWorkers)
    if (this.runtime.store !== null) {
      this.servingStore = await ServingStore.create(this.runtime.store.contactPoint, keyspaceOf(this.folder.runId))
      this.log(`Serving store ready: keyspace ${this.servingStore.keyspace} on Cassandra ${this.servingStore.contactPoint}`)
    }
    this.log(`Starting the ${this.runtime.engine.kind} streaming job …`)
    this.job = await this.runtime.engine.startStreamingJob(this.jobConfig)
    this.log(`${this.runtime.engine.kind === 'flink' ? 'Flink' : 'Spark'} streaming job ready in ${(this.job.startupMs / 1000).toFixed(1)} s`)
    await this.workers?.ready
    if (this.plan.remoteGenerators > 0) this.runStartNs = await this.announceToAgents(scenario)
    else this.runStartNs = process.hrtime.bigint() + 500_000_000n
    this.deaths = new DeathWatch(() => Number(process.hrtime.bigint() - this.runStartNs) / 1e9, this.log)
    this.deaths.onUnplannedExit((exit) => {
      // In a cluster one dead node leaves the others serving; only the single broker's death stops the load.
      if (roleOf(exit.process) === 'broker' && this.runtime.cluster === null) this.brokerDead.abort()
    })
    const topics = { rated: this.topicName('rated'), bills: this.topicName('bills'), alerts: this.topicName('alerts'), dlq: this.topicName('dlq'), progress: this.topicName('progress') }
    this.collectorOrNull = new OutputCollector(this.measurerClient, topics, this.plan.guarantee === 'exactly-once', this.runStartNs, this.warmupNs())
    await this.collectorOrNull.start()
    if (this.servingStore !== null) {
      this.sampler = new ServedSampler(this.servingStore, this.runStartNs, this.warmupNs(), servedSampleEvery(this.plan.offeredEps))
      this.sampler.start()
    }
  }

  /**
   * Announces the run to its generator agents with a start a few seconds ahead, and waits until every one joined.
   * Returns the run's monotonic ns at that start.
   */
  private async announceToAgents(scenario: LoadedScenario): Promise<bigint> {
    const agents = this.plan.remoteGenerators
    const bootstrap = this.runtime.kafka.bootstrap.join(',')
    this.log(`Waiting for ${agents} generator agent(s): on each generator host, \`telcobench produce --join ${bootstrap} --agent i/${agents}\` (i = 1…${agents}) must be running`)
    const startAtMs = Date.now() + agentLeadMs
    const runStartNs = monotonicAt(startAtMs)
    const source = scenario.source
    this.remote = await RemoteShards.announce(this.client, {
      type: 'announce',
      runId: this.folder.runId,
      version: packageVersion(),
      scenarioFile: source.file,
      scenarioText: source.text,
      overrides: source.overrides,
      topicPrefix: topicPrefix(this.folder.runId),
      startAtMs,
      runStartNs: String(runStartNs),
      warmupNs: String(this.warmupNs()),
      totalShards: this.plan.generatorWorkers + agents,
      localShards: this.plan.generatorWorkers,
      producer: producerOptionsOf(scenario),
    })
    await this.remote.joined(startAtMs - 500)
    this.log(`Generator agents joined: ${Array.from({ length: agents }, (_, i) => `${i + 1}/${agents} on ${this.remote?.hostOf(i) ?? '?'}`).join(', ')}; the load starts at ${new Date(startAtMs).toISOString()}`)
    return runStartNs
  }

  private warmupNs(): bigint {
    return BigInt(Math.round(this.plan.warmupS * 1e9))
  }

  /** Sends the scenario's events on their open-loop schedule while the fault timeline runs; prints progress every 10 s. */
  async produce(scenario: LoadedScenario, abort: AbortSignal): Promise<SentLoad> {
    const collector = this.collector
    const cdrTopic = this.topicName('cdr')
    // Ctrl-C in a terminal reaches the JVMs too (same process group): what dies after an interrupt is not news.
    const stopWatching = (): void => {
      this.deaths?.close()
    }
    if (abort.aborted) stopWatching()
    else abort.addEventListener('abort', stopWatching, { once: true })
    const load: Omit<SentLoad, 'pacer' | 'faults' | 'endNs' | 'abortedBy' | 'harnessCpuS'> = { generatedUsageIds: [], usageSendOffsetsNs: [], unparsableIdByRaw: new Map(), unsentUsageIds: new Set() }
    const sentByTopic = new Map<string, number>()
    // An abortOnFail threshold that fails stops the load and the fault timeline; the run then drains as usual.
    const thresholdAbort = new AbortController()
    let abortedBy: AbortDecision | null = null
    const book: LoadBook = {
      handed: (topic, n) => {
        sentByTopic.set(topic, (sentByTopic.get(topic) ?? 0) + n)
      },
      usageHanded: (id, sendOffsetNs, unparsable, key, eventTimeMs) => {
        collector.timeline.offered.add(Math.max(0, Math.floor(sendOffsetNs / 1e9)))
        if (this.sampler !== null && key !== null && unparsable === null) this.sampler.offer(id, key, eventTimeMs, this.runStartNs + BigInt(Math.round(sendOffsetNs)))
        load.generatedUsageIds.push(id)
        load.usageSendOffsetsNs.push(sendOffsetNs)
        if (unparsable !== null) load.unparsableIdByRaw.set(unparsable, id)
      },
      acked: (topic, n, ackNs) => {
        if (topic === cdrTopic) collector.timeline.acked.add(secondOf(ackNs, this.runStartNs), n)
      },
      usageUnsent: (ids) => {
        for (const id of ids) load.unsentUsageIds.add(id)
      },
      attemptFailed: (topic, n, atNs) => {
        if (topic === cdrTopic) collector.timeline.produceFailed.add(secondOf(atNs, this.runStartNs), n)
      },
    }
    // A load still going long after its schedule ended is stuck, not slow: stop it there, and the run drains and
    // accounts for what was sent, as after an abortOnFail stop.
    const overrun = new AbortController()
    const overrunTimer = setTimeout(() => {
      overrun.abort()
    }, (this.plan.durationS + loadOverrunS) * 1000)
    const source = this.loadSource(scenario, AbortSignal.any([abort, this.brokerDead.signal, thresholdAbort.signal, overrun.signal]), book)
    this.resources = startResourceSampler(() => ({ harness: process.pid, ...this.brokerPids(), [this.runtime.engine.kind]: this.job?.process?.pid ?? null, ...(this.runtime.store?.control != null ? { cassandra: this.runtime.store.control.pid } : {}), ...(this.runtime.sparkCluster?.pids() ?? {}) }))
    this.livePacerSent = () => source.report.sent
    this.livePhase = 'load'
    const replication = this.startReplicationWatch()
    const loadFailed = new AbortController()
    const faultRun = runFaultTimeline(
      this.plan.faults,
      this.runStartNs,
      { broker: this.runtime.broker, network: this.runtime.network, store: this.runtime.store?.control ?? null, cluster: this.runtime.cluster, spark: this.runtime.sparkCluster, leaderOf: (topic, partition) => replication.leaderOf(this.topicName(topic), partition), underReplicated: () => replication.underReplicated(), job: () => this.job, restartGenerator: () => { source.requestProducerRestart() }, log: this.log, onRecords: (records) => { this.liveFaults = records } },
      AbortSignal.any([abort, thresholdAbort.signal, loadFailed.signal]),
    )
    const watch = this.abortWatch({ rated: collector.latency.rated.intervals, bills: collector.latency.bills.intervals, alerts: collector.latency.alerts.intervals, schedule_delay: source.report.scheduleDelay.intervals })
    const watchTimer = setInterval(() => {
      if (watch === null || abortedBy !== null) return
      abortedBy = watch.check(Number(process.hrtime.bigint() - this.runStartNs) / 1e9)
      if (abortedBy === null) return
      this.log(`Stopping the load at ${abortedBy.atS.toFixed(1)} s: ${describeAbort(abortedBy)}`)
      thresholdAbort.abort()
    }, 1000)
    let accountedBefore = 0
    const ticker = setInterval(() => {
      const elapsed = Number(process.hrtime.bigint() - this.runStartNs) / 1e9
      const accounted = collector.timeline.accounted.total
      const accountedEps = (accounted - accountedBefore) / 10
      accountedBefore = accounted
      const s = collector.latency.rated.summary()
      const latency = s === null ? 'warming up' : `rated p50 ${progressMs(s.p50)} ms p99 ${progressMs(s.p99)} ms`
      const backlog = collector.timeline.offered.total - accounted
      const offeredEps = elapsed > 0 ? collector.timeline.offered.total / elapsed : 0
      const left = eta({ loadLeftS: Math.max(0, this.plan.durationS - elapsed), backlog, offeredEps, accountedEps, batchAtLeastS: this.batchAtLeastS() })
      this.log(`  ${duration(elapsed).padStart(9)} of ${duration(this.plan.durationS)} · sent ${count(source.report.sent)} · rated ${count(collector.distinctRated)} · dlq ${count(collector.dlq.length)} · alerts ${count(collector.alerts.length)} · backlog ${count(collector.timeline.acked.total - accounted)} · ${latency} · ${left}`)
    }, 10_000)
    try {
      const workers = this.plan.generatorWorkers
      this.log(`Producing for ${this.plan.durationS} s${workers > 1 ? ` from ${workers} generator worker threads` : ''} …`)
      const cpuBefore = process.cpuUsage()
      const pacerReport = await loadBesideFaults(source.run(), { done: faultRun, stop: loadFailed })
      const endNs = process.hrtime.bigint()
      const cpu = process.cpuUsage(cpuBefore)
      const faults = await faultRun
      clearInterval(watchTimer)
      const doneLine = loadDoneLine(sentByTopic, new Set(load.generatedUsageIds).size)
      const sent = doneLine.replace(/^Load done: /, '')
      if (this.brokerDead.signal.aborted) this.log(`Load stopped at ${(Number(process.hrtime.bigint() - this.runStartNs) / 1e9).toFixed(0)} s: the broker is dead (${sent})`)
      else if (overrun.signal.aborted) this.log(`Load stopped ${loadOverrunS} s after its schedule ended, still sending: sends that are retried longer than that are stuck (${sent}); draining until every usage record sent is accounted for …`)
      else if (thresholdAbort.signal.aborted) this.log(`Load stopped by its abortOnFail threshold (${sent}); draining until every usage record sent is accounted for …`)
      else this.log(`${doneLine}; draining until every usage record is accounted for …`)
      return { ...load, pacer: pacerReport, faults, endNs, abortedBy, harnessCpuS: (cpu.user + cpu.system) / 1e6 }
    } finally {
      clearTimeout(overrunTimer)
      clearInterval(ticker)
      clearInterval(watchTimer)
      this.replicationOrNull = replication
    }
  }

  /** The run's load: the stream in this thread, or shards of it in `plan.generatorWorkers` worker threads. */
  private loadSource(scenario: LoadedScenario, signal: AbortSignal, book: LoadBook): LoadSource {
    const producer = producerOptionsOf(scenario)
    const shared = { topicPrefix: topicPrefix(this.folder.runId), runStartNs: this.runStartNs, warmupNs: this.warmupNs(), signal, hotPartitionShare: scenario.resolved.load.hotPartitionShare }
    if (this.workers === null) return new InProcessLoad(scenario.events, scenario.encode, this.truth, { ...shared, newProducer: () => this.producerClient.producer(producer) }, book)
    return new WorkerLoad(this.workers, { ...shared, scenario: scenario.resolved, kafkaClient: this.client.kind, kafka: this.runtime.security?.connectionFor('generator') ?? this.runtime.kafka, producer }, this.truth, book, this.remote)
  }

  /** Process name → pid of the broker or of every cluster node, for the resource sampler. */
  private brokerPids(): Record<string, number | null> {
    const cluster = this.runtime.cluster
    if (cluster === null) return { broker: this.runtime.broker?.pid ?? null }
    return Object.fromEntries(cluster.nodeIds.map((id) => [`broker-${id}`, cluster.pidOf(id)]))
  }

  /** Samples the run topics' replication once a second when they are replicated, into the timeline's under-replicated series. */
  private startReplicationWatch(): ReplicationWatch {
    const topics = topicSuffixes.map((s) => this.topicName(s))
    const watch = new ReplicationWatch(this.client, topics, (underReplicated, atNs) => {
      this.collector.timeline.underReplicated.set(secondOf(atNs, this.runStartNs), underReplicated)
    })
    if (this.plan.cluster.replicationFactor > 1) watch.start()
    return watch
  }

  /** The plan's abortOnFail thresholds over the per-second histograms filled as the load runs; null when it has none. */
  private abortWatch(intervals: Record<TrendStream, AbortThreshold['intervals']>): AbortWatch | null {
    const thresholds: AbortThreshold[] = []
    for (const [key, list] of Object.entries(this.plan.thresholds)) {
      const stream = trendStreams[parseMetricKey(key).metric as ThresholdMetricName]
      for (const t of list) {
        const expr = parseThreshold(t.expr)
        // validate allows abortOnFail on latency metrics with a valid expression only.
        if (!t.abortOnFail || stream === undefined || 'error' in expr) continue
        thresholds.push({ metric: key, expr, windowS: t.windowS, delayS: t.delayAbortEvalS, intervals: intervals[stream] })
      }
    }
    return thresholds.length === 0 ? null : new AbortWatch(thresholds, this.plan.warmupS)
  }

  /**
   * Waits until every usage record is rated or rejected, the output has been silent for `quietS`, or the
   * pipeline is dead (nothing more can arrive).
   */
  async drain(load: SentLoad, quietS: number, abort: AbortSignal): Promise<void> {
    const c = this.collector
    this.livePhase = 'drain'
    const expected = new Set(load.generatedUsageIds).size
    const deaths = this.deaths
    const startNs = process.hrtime.bigint()
    let accountedBefore = c.accounted
    const ticker = setInterval(() => {
      const accountedEps = (c.accounted - accountedBefore) / 10
      accountedBefore = c.accounted
      const missing = expected - c.accounted
      const lastNs = c.lastOutputNs > startNs ? c.lastOutputNs : startNs
      const silentS = Number(process.hrtime.bigint() - lastNs) / 1e9
      const state = accountedEps > 0 ? `output ${count(accountedEps)} ev/s` : `no output for ${duration(silentS)} (gives up after ${duration(quietS)})`
      this.log(`  draining · ${count(missing)} of ${count(expected)} usage records not yet accounted · ${state} · ${eta({ loadLeftS: 0, backlog: missing, offeredEps: 0, accountedEps, batchAtLeastS: this.batchAtLeastS() })}`)
    }, 10_000)
    const cdr = this.topicName('cdr')
    // The end of cdr is asked for only by a run with a separate billing query, once every record is accounted for:
    // the broker answers then, and other runs have nothing to wait for.
    let cdrEnds: ReadonlyMap<number, bigint> | null = null
    let cdrEndsAsked = false
    let billsWaitLogged = false
    const billsDone = (): boolean => {
      if (billsCaughtUp(c.progress, cdr, cdrEnds)) return true
      if (!cdrEndsAsked) {
        cdrEndsAsked = true
        void this.endOffsets(cdr).then((ends) => {
          cdrEnds = ends
        })
      } else if (cdrEnds !== null && !billsWaitLogged) {
        billsWaitLogged = true
        this.log('Every usage record is accounted for; waiting for the last billing batch to read the input to its end …')
      }
      return false
    }
    const drained = await drain({ accounted: () => c.accounted, lastOutputNs: () => c.lastOutputNs, dead: () => deaths?.deadNow() !== null, billsCaughtUp: billsDone }, expected, quietS, abort).finally(() => {
      clearInterval(ticker)
    })
    if (drained === 'quiet') this.log(`No output for ${String(quietS)} s after the load; what is missing is checked against the input topic.`)
    const dead = deaths?.deadNow() ?? null
    if (drained === 'dead' && dead !== null) this.log(`Not draining: the ${labelOf(dead.process)} is dead, no more output can come.`)
  }

  /** The watched JVMs that died while nobody asked them to, in the order they died. */
  get unplannedExits(): UnplannedExit[] {
    return [...(this.deaths?.exits ?? [])]
  }

  /**
   * After the stream stopped: the ids of the generated records still unread in `cdr` past the pipeline's
   * position, or null when every record is accounted for (nothing to look up). A broker that died is started
   * again on its data for this read.
   */
  async unreadInput(load: SentLoad): Promise<UnreadInput | null> {
    const c = this.collector
    if (c.accounted >= new Set(load.generatedUsageIds).size) return null
    const broker = this.runtime.broker
    if (broker !== null && this.deaths?.isDead('kafka-broker') === true) {
      this.log('Starting the dead Kafka broker again on its data, to read what the pipeline left unread …')
      try {
        await broker.restart()
      } catch (error) {
        return { error: `the dead broker did not start again: ${error instanceof Error ? error.message : String(error)}` }
      }
    }
    const unread = await readUnreadInput({
      client: this.client,
      topic: this.topicName('cdr'),
      consumed: consumedInputOffsets(c.progress, this.topicName('cdr')),
      idOf: (value) => usageIdOf(value, load.unparsableIdByRaw),
    })
    if ('error' in unread) this.log(`Could not read the input topic back (${unread.error}): records sent without output count as lost.`)
    else this.log(`${unread.records} records were still unread in the input topic.`)
    return unread
  }

  /**
   * After the drain: waits (up to `settleS`) for the sampled records still on their way to the store, stops the
   * sampler and reads the store's bills and rated ids back; null without a store.
   */
  async readStore(settleS: number): Promise<StoreReadBack | null> {
    const store = this.servingStore
    const sampler = this.sampler
    if (store === null || sampler === null) return null
    await sampler.settle(settleS * 1000)
    const sampling = sampler.stop()
    try {
      const [bills, ratedIds] = await Promise.all([store.bills(), store.ratedIds()])
      this.log(`Serving store read back: ${count(bills.length)} bills, ${count(ratedIds.size)} rated rows; served latency from ${count(sampling.read_back)} of ${count(sampling.sampled)} sampled records`)
      return { contactPoint: store.contactPoint, keyspace: store.keyspace, content: { bills, ratedIds }, sampling }
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error)
      this.log(`Could not read the serving store back (${message})`)
      return { contactPoint: store.contactPoint, keyspace: store.keyspace, content: { error: message }, sampling }
    }
  }

  /** Stops the streaming job, the collector and the resource sampler and closes the truth files. */
  async stopStreaming(): Promise<{ lastSecond: number; samples: ResourceSamples }> {
    await this.replicationOrNull?.stop()
    await this.job?.stop()
    this.deaths?.close()
    await this.collector.stop()
    const lastSecond = secondOf(process.hrtime.bigint(), this.runStartNs)
    const samples = this.resources?.stop() ?? { processes: {}, ticks: [] }
    await this.truth.close()
    return { lastSecond, samples }
  }

  /** The latency streams the run records, in the order results.json lists them. */
  latencyStreams(pacer: PacerReport): LatencyRecorder[] {
    const l = this.collector.latency
    const served = this.sampler === null ? [] : [this.sampler.latency]
    return [l.rated, l.bills, l.alerts, ...served, l.dlq, pacer.scheduleDelay, pacer.produceService, pacer.produceResponse]
  }

  /** The batch baseline's lower bound for the ETA: it starts a Spark driver too, as long as the streaming job's took. */
  private batchAtLeastS(): number | null {
    return this.plan.batchBaseline ? (this.job?.startupMs ?? 0) / 1000 : null
  }

  /** Runs the batch baseline on the same topics; its output file is read by the scorer. */
  async runBatch(outFile: string): Promise<{ wallMs: number; doneNs: bigint }> {
    const atLeastS = this.batchAtLeastS() ?? 0
    this.log(`Running the Spark batch baseline on the same topics (ETA ≥ ${duration(atLeastS)}: the streaming job's start-up took that long) …`)
    const startedMs = performance.now()
    const ticker = setInterval(() => {
      this.log(`  batch running for ${duration((performance.now() - startedMs) / 1000)}`)
    }, 10_000)
    try {
      const { wallMs } = await this.runtime.engine.runBatch({ ...this.jobConfig, checkpointDir: this.folder.batchCheckpointDir }, outFile)
      return { wallMs, doneNs: process.hrtime.bigint() }
    } finally {
      clearInterval(ticker)
    }
  }

  /** Stops what still runs; deletes the run's topics on a broker the run does not own. */
  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    await this.workers?.terminate()
    await this.remote?.close().catch(() => undefined)
    await this.replicationOrNull?.stop().catch(() => undefined)
    if (this.liveFeed !== null) {
      this.liveFeed.stop()
      this.livePhase = 'done'
      this.liveFeed.tick()
    }
    this.deaths?.close()
    this.resources?.stop()
    await this.collectorOrNull?.stop().catch(() => undefined)
    await this.job?.stop().catch(() => undefined)
    this.sampler?.stop()
    if (this.runtime.broker === null) await this.deleteTopics().catch(() => undefined)
    // A cluster the run does not own keeps nothing of it, as a borrowed broker keeps no topics.
    if (this.runtime.store !== null && this.runtime.store.control === null) await this.servingStore?.drop().catch(() => undefined)
    await this.servingStore?.close()
  }

  /** A topic's end offsets per partition; none (nothing to wait for) when the broker does not answer. */
  private async endOffsets(topic: string): Promise<ReadonlyMap<number, bigint>> {
    try {
      const admin = await this.client.admin()
      try {
        return await admin.endOffsets(topic)
      } finally {
        await admin.close().catch(() => undefined)
      }
    } catch (error) {
      this.log(`Could not read the end of ${topic} (${error instanceof Error ? error.message : String(error)}): not waiting for the last billing batch.`)
      return new Map()
    }
  }

  private async deleteTopics(): Promise<void> {
    const admin = await this.client.admin()
    // The exactly-once writer keeps its batch markers in a topic of its own (docs/exactly-once.md).
    const ours = new Set([...topicSuffixes, 'eos-commits', replySuffix].map((s) => this.topicName(s)))
    const existing = (await admin.listTopics()).filter((t) => ours.has(t))
    if (existing.length > 0) await admin.deleteTopics(existing)
    await admin.close()
  }
}

/** The generator producers' settings (scenario load.producer): idempotent only with acks from all in-sync replicas. */
function producerOptionsOf(scenario: LoadedScenario): ProducerOptions {
  const { acks, lingerMs, compression } = scenario.resolved.load.producer
  return { idempotent: acks === 'all', acks, lingerMs, compression }
}
