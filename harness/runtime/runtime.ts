import { existsSync, readFileSync } from 'node:fs'
import { basename, join } from 'node:path'
import { TelcobenchError } from '../errors.ts'
import type { KafkaConnection } from '../kafka/index.ts'
import { cassandraHeap, LocalCassandraNode } from './cassandra-node.ts'
import { startKafkaContainer } from './containers.ts'
import { SparkSubmitStreamingJob, type SparkSubmitSettings } from './external.ts'
import { detectJava, type JavaInfo } from './java.ts'
import { LocalKafkaBroker, type BrokerJvmProfile } from './kafka-broker.ts'
import { ensureJvmArtifacts } from './maven.ts'
import { upStateFile } from './paths.ts'
import { canConnect, freePort } from './ports.ts'
import { runSparkBatch, SparkStreamingJob, type SparkJobConfig } from './spark-job.ts'
import { TcpProxy, type Impairment, type ProxyStats } from './tcp-proxy.ts'

export type RuntimeKind = 'local' | 'containers' | 'external'

/**
 * The job config every engine receives (docs/contracts.md "Job config"): topics, guarantee, trigger, queries, the
 * rating spec. It is the contract, not Spark's: a second engine reads the same keys.
 */
export type EngineJobConfig = SparkJobConfig

/** The stream processor under test, as the harness drives it: a streaming job and its batch baseline. */
export interface StreamingEngine {
  readonly kind: 'spark'
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
  /** Embedded Spark `local[N]` task threads (default defaultLocalSparkThreads). */
  sparkThreads?: number
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

/** The Spark engine: local child JVMs, or spark-submit to a cluster master when the external runtime names one. */
function sparkEngine(java: JavaInfo, o: RuntimeOptions): StreamingEngine {
  const submit = o.kind === 'external' ? o.sparkSubmit : undefined
  const local = { java, workDir: o.runDir, logDir: o.logDir, threads: o.sparkThreads }
  return {
    kind: 'spark',
    deployment: submit === undefined ? 'local child JVM' : `spark-submit --master ${submit.master}`,
    startStreamingJob: async (config) => {
      const job = submit === undefined ? new SparkStreamingJob({ ...local, config }) : new SparkSubmitStreamingJob(submit, config, o.runDir, o.logDir)
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
  const java = await detectJava()
  await ensureJvmArtifacts(log)
  const engine = sparkEngine(java, o)
  const started = await startStore(java, o, log)
  try {
    return await createKafkaSide(java, engine, o, log, started)
  } catch (error) {
    await started?.close()
    throw error
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

  const reused = await liveUpState()
  if (reused !== null) {
    log(`Reusing the local runtime started by \`telcobench up\` (broker ${reused.bootstrap}, pid ${reused.pid})`)
    return borrowed('local', { bootstrap: [reused.bootstrap], clientId: 'telcobench' }, () => ({ kind: 'local', reusedFromUp: true, bootstrap: reused.bootstrap, brokerPid: reused.pid }))
  }

  // The proxy is created first so the broker can advertise its port; it targets the broker's real listener.
  const clientPort = o.networkProxy === true ? await freePort() : undefined
  const proxy = clientPort !== undefined ? await TcpProxy.start({ targetHost: '127.0.0.1', targetPort: clientPort }) : null
  const broker = new LocalKafkaBroker({
    java,
    dir: join(o.runDir, 'kafka'),
    logDir: o.logDir,
    profile: o.brokerProfile ?? 'benchmark',
    partitions: o.partitions ?? 4,
    ...(o.brokerReadyTimeoutMs !== undefined ? { readyTimeoutMs: o.brokerReadyTimeoutMs } : {}),
    ...(proxy !== null && clientPort !== undefined ? { clientPort, advertisedClientPort: proxy.port } : {}),
  })
  try {
    await broker.start()
  } catch (error) {
    await proxy?.close()
    throw error
  }
  const bootstrap = proxy !== null ? `127.0.0.1:${proxy.port}` : broker.bootstrap
  return {
    kind: 'local',
    kafka: { bootstrap: [bootstrap], clientId: 'telcobench' },
    broker: brokerControl(broker),
    network: proxy,
    java,
    engine,
    store,
    describe: () => withStore({ kind: 'local', bootstrap, brokerListener: broker.bootstrap, networkProxy: proxy !== null ? { port: proxy.port, target: broker.bootstrap, stats: proxy.stats } : null, brokerStartupMs: broker.startupMs, brokerJvmProfile: o.brokerProfile ?? 'benchmark' }),
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

/**
 * Whether a runtime of this kind will own its broker (and so can kill, pause and proxy it): only the local runtime
 * when no broker from `telcobench up` is there to reuse. Known before anything starts.
 */
export async function ownsBroker(kind: RuntimeKind): Promise<boolean> {
  return kind === 'local' && (await liveUpState()) === null
}
