import { existsSync, readFileSync } from 'node:fs'
import { basename, join } from 'node:path'
import { TelcobenchError } from '../errors.ts'
import type { KafkaConnection } from '../kafka/index.ts'
import type { EngineKind } from '../../generators/index.ts'
import { cassandraHeap, LocalCassandraNode } from './cassandra-node.ts'
import { startKafkaContainer } from './containers.ts'
import { SparkSubmitStreamingJob, type SparkSubmitSettings } from './external.ts'
import { FlinkStreamingJob } from './flink-job.ts'
import { detectJava, type JavaInfo } from './java.ts'
import { defaultBrokerJvmProfile, LocalKafkaBroker, type BrokerJvmProfile } from './kafka-broker.ts'
import { LocalKafkaCluster, type ClusterSettings } from './kafka-cluster.ts'
import { readClasspath } from './maven.ts'
import { jvmTmpDir, kafkaClasspathFile } from './paths.ts'
import { createRunCredentials, createScramUsers, isSecured, javaClientProperties, roleConnection, type ClientRole, type RunCredentials, type SecuritySettings } from './security.ts'
import { ensureJvmArtifacts } from './maven.ts'
import { upStateFile } from './paths.ts'
import { canConnect, freePort } from './ports.ts'
import { defaultLocalSparkThreads, runSparkBatch, SparkStreamingJob, type SparkJobConfig } from './spark-job.ts'
import { SparkStandaloneCluster, sparkExecutorMemory, type SparkStandaloneSettings } from './spark-standalone.ts'
import { TcpProxy, type Impairment, type ProxyStats } from './tcp-proxy.ts'

export type RuntimeKind = 'local' | 'containers' | 'external'

/**
 * The job config every engine receives (docs/contracts.md "Job config"): topics, guarantee, trigger, queries, the
 * rating spec. It is the contract, not Spark's: a second engine reads the same keys.
 */
export type EngineJobConfig = SparkJobConfig

/**
 * The stream processor under test, as the harness drives it: a streaming job and its batch baseline. The batch
 * baseline is Spark's for every engine: it is the reference the streaming output is compared with.
 */
export interface StreamingEngine {
  readonly kind: EngineKind
  /** Where the jobs run, for the manifest. */
  readonly deployment: string
  startStreamingJob(config: EngineJobConfig): Promise<StreamingJob>
  runBatch(config: EngineJobConfig, outFile: string): Promise<{ wallMs: number }>
}

/** A streaming job the harness can crash and restart from its checkpoint. */
export interface StreamingJob {
  start(): Promise<void>
  kill(): Promise<void>
  restart(): Promise<void>
  stop(graceMs?: number): Promise<void>
  readonly startupMs: number
  readonly restarts: number
  readonly process: { pid: number } | null
}

/** Broker controls for faults; only runtimes that own the broker process have them. */
export interface BrokerControl {
  kill(): Promise<void>
  restart(): Promise<void>
  pause(): void
  resume(): void
  readonly pid: number | null
}

/** Controls of a replicated cluster the run owns, node by node (`node.id` 1…N). */
export interface ClusterControl {
  readonly nodeIds: number[]
  pidOf(id: number): number | null
  /** Crash: SIGKILL. */
  kill(id: number): Promise<void>
  /** Controlled shutdown (SIGTERM). */
  stop(id: number): Promise<void>
  /** Start a stopped or killed node again on its data; resolves once it serves clients. */
  restart(id: number): Promise<void>
  /** The node id of the active controller (asked of the metadata quorum). */
  activeController(): Promise<number>
}

/**
 * Controls of the Spark standalone cluster the run owns (scenario `spark.mode: standalone`), worker by worker
 * (1…N, each running one executor of the streaming job).
 */
export interface SparkClusterControl {
  readonly workerIds: number[]
  /** SIGKILL of the executor on worker `n`; resolves with its Spark executor id and pid, or null when it runs none. */
  killExecutor(n: number): Promise<{ executorId: string; pid: number } | null>
  /** Resolves once worker `n` runs an executor whose pid is not in `gone` (the worker relaunched one); false after the timeout. */
  waitForExecutor(n: number, gone: ReadonlySet<number>): Promise<boolean>
  /** SIGKILL of worker `n` and its executors at once (a lost machine); resolves with the executors' pids. */
  killWorker(n: number): Promise<number[]>
  /** Starts worker `n` again; resolves once the master counts every worker alive. */
  restartWorker(n: number): Promise<void>
  /** Process name → pid of the master, each worker and the executors running now, for the resource sampler. */
  pids(): Record<string, number | null>
}

/** The secured embedded broker's access: a connection per client role, the engine's Java properties, the audit log. */
export interface RuntimeSecurity {
  readonly settings: SecuritySettings
  connectionFor(role: ClientRole): KafkaConnection
  /** Kafka client properties of the Spark job (truststore, its SCRAM user). */
  readonly engineKafkaOptions: Record<string, string>
  /** The three intruders of the intruder check: no credentials, a wrong password, a user without ACLs. */
  intruders(): Record<'no-credentials' | 'wrong-password' | 'no-acl', KafkaConnection>
  /** The SCRAM user name of a role (ACL principals). */
  usernameOf(role: ClientRole): string
  /** The authorizer's audit log; null without ACLs. */
  readonly authorizerLog: string | null
}

/** Network faults between every Kafka client (harness and Spark) and the broker: a TCP proxy in the path. */
export interface NetworkControl {
  impair(impairment: Impairment): void
  heal(): void
  readonly stats: ProxyStats
}

/** The serving store's process controls for faults; only a node the runtime started has them. */
export interface StoreControl {
  kill(): Promise<void>
  restart(): Promise<void>
  readonly pid: number | null
}

/** Where the serving store answers CQL, and its controls when the runtime owns it (docs/serving.md). */
export interface StoreRuntime {
  kind: 'cassandra'
  /** host:port of a CQL listener. */
  contactPoint: string
  /** Null for a cluster the run does not own (--cassandra). */
  control: StoreControl | null
  describe(): Record<string, unknown>
}

/** One interface, three implementations (docs/design.md "Runtimes"). */
export interface Runtime {
  readonly kind: RuntimeKind
  readonly kafka: KafkaConnection
  /** Null when the broker is not ours to kill (external, or reused from `telcobench up`). */
  readonly broker: BrokerControl | null
  /** Null unless the run asked for a network proxy and owns the broker (local runtime). */
  readonly network: NetworkControl | null
  /** Null unless the run owns a cluster of more than one broker (local runtime, scenario `cluster.brokers` > 1). */
  readonly cluster: ClusterControl | null
  /** Null unless the run's own broker is secured (scenario `security`); `kafka` is then the admin's connection. */
  readonly security: RuntimeSecurity | null
  /** Null unless the streaming job runs on a Spark standalone cluster the run started (scenario `spark.mode: standalone`). */
  readonly sparkCluster: SparkClusterControl | null
  readonly java: JavaInfo
  readonly engine: StreamingEngine
  /** Null unless the scenario turned a serving store on. */
  readonly store: StoreRuntime | null
  /** What the manifest records about this runtime. */
  describe(): Record<string, unknown>
  close(): Promise<void>
}

export interface RuntimeOptions {
  kind: RuntimeKind
  /** Run folder: <run>/kafka, <run>/logs, … */
  runDir: string
  logDir: string
  brokerProfile?: BrokerJvmProfile
  partitions?: number
  /** The stream processor under test. @default 'spark' */
  engine?: EngineKind
  /** local: TLS, SASL/SCRAM and ACLs on the run's own single broker (never reused from `telcobench up`). */
  brokerSecurity?: SecuritySettings
  /** local: the brokers to start; more than one makes a replicated cluster (never reused from `telcobench up`). */
  cluster?: ClusterSettings
  /** Embedded Spark `local[N]` task threads (default defaultLocalSparkThreads). */
  sparkThreads?: number
  /** JVM options of the Spark streaming job's driver and executors (scenario `spark.jvmOptions`). */
  sparkJvmOptions?: readonly string[]
  /** local: run the streaming job on a Spark standalone cluster of this shape instead of in `local[N]` (docs/spark-standalone.md). */
  sparkStandalone?: SparkStandaloneSettings
  brokerReadyTimeoutMs?: number
  /** external: bootstrap servers and client security. */
  bootstrap?: string[]
  security?: Pick<KafkaConnection, 'tls' | 'sasl'>
  /** external: how to submit Spark jobs; absent = run Spark locally against the external Kafka. */
  sparkSubmit?: SparkSubmitSettings
  /**
   * local: put a TCP proxy between the clients and the broker's client listener (the broker advertises the
   * proxy's port) so network faults can be injected. Only asked for when the plan has network faults.
   */
  networkProxy?: boolean
  /**
   * A serving store (scenario `serving.store`): the local runtime starts a Cassandra node in <run>/cassandra
   * unless `contactPoint` names an existing cluster (`--cassandra`, required by the external runtime).
   */
  store?: { kind: 'cassandra'; contactPoint?: string }
  log?: (line: string) => void
}

/** State written by `telcobench up` so later runs reuse the broker. */
export interface UpState {
  kind: 'local'
  pid: number
  bootstrap: string
  dir: string
  startedAt: string
}

/** Reads the `up` state when the broker it names is still alive and answering. */
export async function liveUpState(): Promise<UpState | null> {
  if (!existsSync(upStateFile)) return null
  const state = JSON.parse(readFileSync(upStateFile, 'utf8')) as UpState
  try {
    process.kill(state.pid, 0)
  } catch {
    return null
  }
  const [host, port] = state.bootstrap.split(':')
  return (await canConnect(host ?? '127.0.0.1', Number(port))) ? state : null
}

function brokerControl(broker: LocalKafkaBroker): BrokerControl {
  return {
    kill: () => broker.kill(),
    restart: () => broker.restart(),
    pause: () => {
      broker.pause()
    },
    resume: () => {
      broker.resume()
    },
    get pid() {
      return broker.process?.pid ?? null
    },
  }
}

/**
 * The Spark engine: local child JVMs, or spark-submit to a cluster master when the external runtime names one. With a
 * standalone cluster the streaming driver is a local child JVM in client mode against its master; the batch baseline
 * stays in `local[N]` (it is the reference, not the system under test).
 */
function sparkEngine(java: JavaInfo, o: RuntimeOptions, standaloneCluster: () => SparkStandaloneCluster | null): StreamingEngine {
  const submit = o.kind === 'external' ? o.sparkSubmit : undefined
  const local = { java, workDir: o.runDir, logDir: o.logDir, threads: o.sparkThreads }
  const s = o.sparkStandalone
  return {
    kind: 'spark',
    deployment: submit !== undefined ? `spark-submit --master ${submit.master}` : s !== undefined ? `standalone cluster (${s.workers} workers × ${s.executorCores} core), driver in client mode` : 'local child JVM',
    startStreamingJob: async (config) => {
      const standalone = standaloneCluster()
      if (s !== undefined && standalone === null) throw new TelcobenchError('TB_INTERNAL', 'the Spark streaming job was started before its standalone cluster')
      const jvmOptions = o.sparkJvmOptions ?? []
      const job =
        submit === undefined
          ? new SparkStreamingJob({ ...local, config, jvmOptions, ...(standalone !== null ? { standalone: standalone.driverSettings(jvmOptions) } : {}) })
          : new SparkSubmitStreamingJob(submit, config, o.runDir, o.logDir, jvmOptions)
      await job.start()
      return job
    },
    runBatch: (config, outFile) => runSparkBatch({ ...local, config }, outFile),
  }
}

/**
 * The Flink engine: the job with its embedded cluster as a local child JVM, on every runtime (against the runtime's
 * Kafka). The batch baseline is Spark's, the reference for both engines.
 */
function flinkEngine(java: JavaInfo, o: RuntimeOptions): StreamingEngine {
  const local = { java, workDir: o.runDir, logDir: o.logDir, threads: o.sparkThreads }
  return {
    kind: 'flink',
    deployment: 'local child JVM (embedded Flink cluster)',
    startStreamingJob: async (config) => {
      const job = new FlinkStreamingJob({ java, config, workDir: o.runDir, logDir: o.logDir })
      await job.start()
      return job
    },
    runBatch: (config, outFile) => runSparkBatch({ ...local, config }, outFile),
  }
}

/** Starts (local) or names (--cassandra) the serving store; null when the scenario has none. */
async function startStore(java: JavaInfo, o: RuntimeOptions, log: (line: string) => void): Promise<{ store: StoreRuntime; close: () => Promise<void> } | null> {
  if (o.store === undefined) return null
  const given = o.store.contactPoint
  if (given !== undefined) {
    return { store: { kind: 'cassandra', contactPoint: given, control: null, describe: () => ({ kind: 'cassandra', contactPoint: given, owned: false }) }, close: async () => {} }
  }
  if (o.kind !== 'local') {
    throw new TelcobenchError('TB_USAGE', `the ${o.kind} runtime does not start a Cassandra node`, { fix: 'pass --cassandra host:port of an existing cluster, or run on the local runtime' })
  }
  log('Starting Apache Cassandra (the serving store) …')
  const node = new LocalCassandraNode({ java, dir: join(o.runDir, 'cassandra'), logDir: o.logDir })
  await node.start()
  log(`Cassandra ready in ${(node.startupMs / 1000).toFixed(1)} s (CQL ${node.contactPoint})`)
  const control: StoreControl = {
    kill: () => node.kill(),
    restart: () => node.restart(),
    get pid() {
      return node.process?.isRunning() === true ? node.process.pid : null
    },
  }
  return {
    store: { kind: 'cassandra', contactPoint: node.contactPoint, control, describe: () => ({ kind: 'cassandra', contactPoint: node.contactPoint, owned: true, startupMs: node.startupMs, heap: cassandraHeap }) },
    close: () => node.stop(),
  }
}

/** Creates and starts the runtime the user chose. */
export async function createRuntime(o: RuntimeOptions): Promise<Runtime> {
  const log = o.log ?? console.error
  if (o.engine === 'flink' && o.kind === 'external' && o.sparkSubmit !== undefined) {
    throw new TelcobenchError('TB_USAGE', '--spark-master submits the Spark job, but this run tests Flink', { fix: 'drop --spark-master (the Flink job runs as a local child JVM against the external Kafka), or run with --engine spark' })
  }
  if (o.sparkStandalone !== undefined && (o.kind !== 'local' || o.engine === 'flink')) {
    throw new TelcobenchError('TB_USAGE', o.engine === 'flink' ? 'spark.mode standalone runs the Spark job on a Spark cluster, but this run tests Flink' : `the ${o.kind} runtime does not start a Spark standalone cluster`, { fix: o.engine === 'flink' ? 'drop spark.mode standalone, or run with --engine spark' : 'run on the local runtime, or submit to your own cluster with --spark-master' })
  }
  const java = await detectJava()
  await ensureJvmArtifacts(log)
  let standalone: SparkStandaloneCluster | null = null
  const engine = o.engine === 'flink' ? flinkEngine(java, o) : sparkEngine(java, o, () => standalone)
  // The Spark cluster and Kafka do not need each other to start: they start side by side (seconds saved on 2 cores).
  const [spark, kafka] = await Promise.allSettled([
    o.sparkStandalone !== undefined ? startSparkCluster(java, o, o.sparkStandalone, log) : Promise.resolve(null),
    (async () => {
      const started = await startStore(java, o, log)
      try {
        return await createKafkaSide(java, engine, o, log, started)
      } catch (error) {
        await started?.close()
        throw error
      }
    })(),
  ])
  if (spark.status === 'rejected') {
    if (kafka.status === 'fulfilled') await kafka.value.close()
    throw spark.reason
  }
  if (kafka.status === 'rejected') {
    await spark.value?.stop(5_000)
    throw kafka.reason
  }
  standalone = spark.value
  return standalone === null ? kafka.value : withSparkCluster(kafka.value, standalone)
}

async function startSparkCluster(java: JavaInfo, o: RuntimeOptions, settings: SparkStandaloneSettings, log: (line: string) => void): Promise<SparkStandaloneCluster> {
  log(`Starting a Spark standalone cluster (a master, ${settings.workers} worker(s) × ${settings.executorCores} core) …`)
  const cluster = await SparkStandaloneCluster.start({ java, ...settings, dir: join(o.runDir, 'spark-cluster'), logDir: o.logDir, tmpDir: jvmTmpDir(o.runDir) })
  log(`Spark master ${cluster.masterUrl} ready with ${settings.workers} worker(s) in ${(cluster.startupMs / 1000).toFixed(1)} s`)
  return cluster
}

function sparkClusterControl(cluster: SparkStandaloneCluster): SparkClusterControl {
  return {
    workerIds: cluster.workerIds,
    killExecutor: async (n) => {
      const killed = await cluster.killExecutor(n)
      return killed === null ? null : { executorId: killed.executorId, pid: killed.process.pid }
    },
    waitForExecutor: async (n, gone) => (await cluster.waitForExecutor(n, gone)) !== null,
    killWorker: async (n) => (await cluster.killWorker(n)).map((e) => e.process.pid),
    restartWorker: (n) => cluster.restartWorker(n),
    pids: () => ({
      'spark-master': cluster.masterPid,
      ...Object.fromEntries(cluster.workerIds.map((n) => [`spark-worker-${n}`, cluster.workerPid(n)])),
      ...Object.fromEntries(cluster.workerIds.map((n) => [`spark-executor-w${n}`, cluster.executorsOn(n, false)[0]?.process.pid ?? null])),
    }),
  }
}

/** The runtime with the standalone cluster it started: its controls, its place in the manifest, stopped last. */
function withSparkCluster(runtime: Runtime, cluster: SparkStandaloneCluster): Runtime {
  return {
    kind: runtime.kind,
    kafka: runtime.kafka,
    broker: runtime.broker,
    network: runtime.network,
    cluster: runtime.cluster,
    security: runtime.security,
    sparkCluster: sparkClusterControl(cluster),
    java: runtime.java,
    engine: runtime.engine,
    store: runtime.store,
    describe: () => ({ ...runtime.describe(), sparkCluster: { master: cluster.masterUrl, workers: cluster.o.workers, executorCores: cluster.o.executorCores, executorMemory: sparkExecutorMemory, startupMs: cluster.startupMs } }),
    // The Spark cluster reads from Kafka, so it stops first.
    close: async () => {
      try {
        await cluster.stop()
      } finally {
        await runtime.close()
      }
    },
  }
}

async function createKafkaSide(java: JavaInfo, engine: StreamingEngine, o: RuntimeOptions, log: (line: string) => void, started: { store: StoreRuntime; close: () => Promise<void> } | null): Promise<Runtime> {
  const store = started?.store ?? null
  const closeStore = started?.close ?? (async () => {})
  const withStore = (describe: Record<string, unknown>): Record<string, unknown> => (store === null ? describe : { ...describe, store: store.describe() })
  const borrowed = (kind: RuntimeKind, kafka: KafkaConnection, describe: () => Record<string, unknown>, close: () => Promise<void> = async () => {}): Runtime => ({
    kind,
    kafka,
    broker: null,
    network: null,
    cluster: null,
    security: null,
    sparkCluster: null,
    java,
    engine,
    store,
    describe: () => withStore(describe()),
    close: async () => {
      try {
        await close()
      } finally {
        await closeStore()
      }
    },
  })

  if (o.kind === 'external') {
    if (o.bootstrap === undefined || o.bootstrap.length === 0) {
      throw new TelcobenchError('TB_USAGE', 'the external runtime needs the Kafka bootstrap servers', { fix: 'pass --bootstrap host:9092[,host2:9092]' })
    }
    const kafka: KafkaConnection = { bootstrap: o.bootstrap, clientId: 'telcobench', ...o.security }
    return borrowed('external', kafka, () => ({ kind: 'external', bootstrap: o.bootstrap, tls: o.security?.tls !== undefined, sasl: o.security?.sasl?.mechanism ?? null, spark: engine.deployment }))
  }

  if (o.kind === 'containers') {
    const container = await startKafkaContainer({ logDir: o.logDir, partitions: o.partitions ?? 4, runId: basename(o.runDir), log })
    const kafka: KafkaConnection = { bootstrap: [container.bootstrap], clientId: 'telcobench' }
    return borrowed('containers', kafka, () => ({ kind: 'containers', image: container.image, containerId: container.containerId, bootstrap: kafka.bootstrap, brokerStartupMs: container.startupMs, spark: engine.deployment }), () => container.stop())
  }

  if (o.cluster !== undefined && o.cluster.brokers > 1) return startLocalCluster(o, o.cluster, java, engine, store, closeStore)

  const secured = isSecured(o.brokerSecurity) ? o.brokerSecurity : null
  const reused = secured === null ? await liveUpState() : null
  if (reused !== null) {
    log(`Reusing the local runtime started by \`telcobench up\` (broker ${reused.bootstrap}, pid ${reused.pid})`)
    return borrowed('local', { bootstrap: [reused.bootstrap], clientId: 'telcobench' }, () => ({ kind: 'local', reusedFromUp: true, bootstrap: reused.bootstrap, brokerPid: reused.pid }))
  }

  // The proxy is created first so the broker can advertise its port; it targets the broker's real listener.
  const clientPort = o.networkProxy === true ? await freePort() : undefined
  const proxy = clientPort !== undefined ? await TcpProxy.start({ targetHost: '127.0.0.1', targetPort: clientPort }) : null
  const credentials = secured !== null ? await createRunCredentials(java, join(o.runDir, 'kafka', 'security')) : null
  const brokerProfile = o.brokerProfile ?? defaultBrokerJvmProfile
  const broker = new LocalKafkaBroker({
    java,
    ...(secured !== null && credentials !== null ? { security: { settings: secured, credentials } } : {}),
    dir: join(o.runDir, 'kafka'),
    logDir: o.logDir,
    profile: brokerProfile,
    partitions: o.partitions ?? 4,
    ...(o.brokerReadyTimeoutMs !== undefined ? { readyTimeoutMs: o.brokerReadyTimeoutMs } : {}),
    ...(proxy !== null && clientPort !== undefined ? { clientPort, advertisedClientPort: proxy.port } : {}),
  })
  try {
    await broker.start()
    if (secured !== null && credentials !== null) {
      log(`Secured broker: ${describeSecurity(secured)}; creating the SCRAM users …`)
      await createScramUsers(java, readClasspath(kafkaClasspathFile), broker.bootstrap, secured, credentials)
    }
  } catch (error) {
    await broker.stop(5_000)
    await proxy?.close()
    throw error
  }
  const bootstrap = proxy !== null ? `127.0.0.1:${proxy.port}` : broker.bootstrap
  const base: KafkaConnection = { bootstrap: [bootstrap], clientId: 'telcobench' }
  const security = secured !== null && credentials !== null ? runtimeSecurity(base, secured, credentials, secured.acls ? broker.authorizerLog : null) : null
  return {
    kind: 'local',
    kafka: security?.connectionFor('admin') ?? base,
    broker: brokerControl(broker),
    network: proxy,
    cluster: null,
    security,
    sparkCluster: null,
    java,
    engine,
    store,
    describe: () => withStore({ kind: 'local', bootstrap, brokerListener: broker.bootstrap, security: secured === null ? null : { ...secured, users: credentials === null ? {} : Object.fromEntries(Object.entries(credentials.users).map(([role, u]) => [role, u.username])) }, networkProxy: proxy !== null ? { port: proxy.port, target: broker.bootstrap, stats: proxy.stats } : null, brokerStartupMs: broker.startupMs, brokerJvmProfile: brokerProfile, sparkThreads: o.sparkThreads ?? defaultLocalSparkThreads }),
    close: async () => {
      try {
        await broker.stop()
      } finally {
        await proxy?.close()
        await closeStore()
      }
    },
  }
}

/** `TLS + SASL/SCRAM-SHA-512 + ACLs`. */
export function describeSecurity(s: SecuritySettings): string {
  return [s.tls ? 'TLS' : null, s.sasl !== null ? 'SASL/SCRAM-SHA-512' : null, s.acls ? 'ACLs' : null].filter((x) => x !== null).join(' + ')
}

function runtimeSecurity(base: KafkaConnection, settings: SecuritySettings, credentials: RunCredentials, authorizerLog: string | null): RuntimeSecurity {
  const tlsOnly: KafkaConnection = { ...base, clientId: 'telcobench-intruder', ...(settings.tls ? { tls: { ca: credentials.caPem } } : {}) }
  return {
    settings,
    connectionFor: (role) => roleConnection(base, settings, credentials, role),
    engineKafkaOptions: javaClientProperties(settings, credentials, 'engine'),
    intruders: () => {
      const outsider = roleConnection(base, settings, credentials, 'outsider')
      const generator = credentials.users.generator
      return {
        'no-credentials': tlsOnly,
        'wrong-password': { ...outsider, ...(settings.sasl !== null ? { sasl: { mechanism: 'scram-sha-512' as const, username: generator.username, password: `${generator.password}-wrong` } } : {}) },
        'no-acl': outsider,
      }
    },
    usernameOf: (role) => credentials.users[role].username,
    authorizerLog,
  }
}

function clusterControl(cluster: LocalKafkaCluster): ClusterControl {
  return {
    nodeIds: cluster.nodes.map((_, i) => i + 1),
    pidOf: (id) => cluster.node(id).process?.pid ?? null,
    kill: (id) => cluster.node(id).kill(),
    stop: (id) => cluster.node(id).stop(),
    restart: (id) => cluster.node(id).restart(),
    activeController: () => cluster.activeController(),
  }
}

/** The local runtime with a replicated cluster: N broker JVMs, clients bootstrap from all of them. */
async function startLocalCluster(o: RuntimeOptions, settings: ClusterSettings, java: JavaInfo, engine: StreamingEngine, store: StoreRuntime | null, closeStore: () => Promise<void>): Promise<Runtime> {
  const log = o.log ?? console.error
  log(`Starting a ${settings.brokers}-node Kafka cluster (replication ${settings.replicationFactor}, min.insync.replicas ${settings.minInsyncReplicas}) …`)
  const brokerProfile = o.brokerProfile ?? defaultBrokerJvmProfile
  const cluster = await LocalKafkaCluster.start({
    java,
    dir: join(o.runDir, 'kafka'),
    logDir: o.logDir,
    profile: brokerProfile,
    partitions: o.partitions ?? 4,
    ...settings,
    ...(o.brokerReadyTimeoutMs !== undefined ? { readyTimeoutMs: o.brokerReadyTimeoutMs } : {}),
  })
  const bootstrap = cluster.bootstrap
  return {
    kind: 'local',
    kafka: { bootstrap, clientId: 'telcobench' },
    broker: null,
    network: null,
    cluster: clusterControl(cluster),
    security: null,
    sparkCluster: null,
    java,
    engine,
    store,
    describe: () => ({ ...(store === null ? {} : { store: store.describe() }), kind: 'local', bootstrap, cluster: { ...settings, controllers: 'every node (combined broker+controller, one voter each)', nodeStartupMs: cluster.nodes.map((n) => n.startupMs) }, brokerJvmProfile: brokerProfile }),
    close: async () => {
      try {
        await cluster.stop()
      } finally {
        await closeStore()
      }
    },
  }
}

/**
 * Whether a runtime of this kind will own its broker (and so can kill, pause and proxy it): only the local runtime
 * when no broker from `telcobench up` is there to reuse (a cluster is never reused). Known before anything starts.
 */
export async function ownsBroker(kind: RuntimeKind, brokers = 1): Promise<boolean> {
  return kind === 'local' && (brokers > 1 || (await liveUpState()) === null)
}
