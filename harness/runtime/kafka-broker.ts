import { execFile } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { TelcobenchError } from '../errors.ts'
import { gcLogFlag, type JavaInfo } from './java.ts'
import { readClasspath } from './maven.ts'
import { jvmTmpDir, kafkaClasspathFile } from './paths.ts'
import { assertPortFree, canConnect, freePort } from './ports.ts'
import { spawnManaged, type ManagedProcess } from './processes.ts'
import { formatScramArgs, securedBrokerProperties, type RunCredentials, type SecuritySettings } from './security.ts'

/**
 * How long a broker's first start may take to be ready (format excluded): a few seconds on a quiet 2-core machine,
 * 20–60 s under other engineers' load (docs/runtime.md "The broker").
 */
export const brokerReadyTimeoutMs = 60_000

/**
 * A restart after a crash fault gets this many times the start-up timeout. It recovers the logs a SIGKILL left
 * unflushed before it listens, and the fault lands while the load and the pipeline run: the 60 s of a first start
 * left no margin for that at the load averages of 30+ of issue 21's chaos runs. Scaling with the start-up timeout
 * keeps a caller's shorter or longer timeout (tests, `brokerReadyTimeoutMs`) in proportion.
 */
export const restartTimeoutFactor = 3

/** The readiness timeout of a restart (see restartTimeoutFactor). */
export function restartReadyTimeoutMs(startTimeoutMs: number): number {
  return startTimeoutMs * restartTimeoutFactor
}

/** Kafka's marker of a formatted log folder (written once by `StorageTool format`, read on every start). */
export const metaPropertiesFile = 'meta.properties'

/**
 * Why a start failed, from this start's part of the broker's log: the known causes a user can act on, or null.
 * `dataDir` is the broker's log folder, named in the message.
 */
export function brokerStartFailure(logTail: string, dataDir: string): { cause: string; fix: string } | null {
  if (logTail.includes('No readable meta.properties')) {
    return {
      cause: `its data folder ${dataDir} holds no ${metaPropertiesFile}: it is not a formatted Kafka log folder (any more)`,
      fix: `something removed or emptied ${dataDir} while the run went on; start the run again (a new run formats a new folder)`,
    }
  }
  if (/Address already in use|BindException/.test(logTail)) {
    return { cause: 'one of its ports is taken by another process', fix: 'stop what listens on the ports named in the log, or leave the ports unset so telcobench picks free ones' }
  }
  return null
}

const upstreamBrokerFlags = ['-Xms1g', '-Xmx1g', '-XX:+UseG1GC', '-XX:MaxGCPauseMillis=20', '-XX:InitiatingHeapOccupancyPercent=35', '-XX:+ExplicitGCInvokesConcurrent', '-XX:MaxInlineLevel=15', '-Djava.awt.headless=true'] as const

/**
 * JVM flag sets: `benchmark` is upstream's kafka-server-start defaults; `benchmark-c1` the same with the C1 compiler
 * only, because a broker started fresh for a run of a minute or two on 2 cores is still compiling with C2 while the
 * load runs (docs/runtime.md "The broker"); `functional` starts faster on 2 cores.
 */
export const brokerJvmProfiles = {
  benchmark: upstreamBrokerFlags,
  'benchmark-c1': [...upstreamBrokerFlags, '-XX:TieredStopAtLevel=1'],
  functional: ['-Xms256m', '-Xmx512m', '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', '-Djava.awt.headless=true'],
} as const
export type BrokerJvmProfile = keyof typeof brokerJvmProfiles

/**
 * The profile of a run's brokers unless `--broker-profile` says otherwise. C1 only: every run starts a fresh broker,
 * and in the first minute of fraud-wave's load its C2 compiler took about a quarter of a core from Spark on 2 cores,
 * longer than any load here lasts for C2 to pay it back (docs/runtime.md "The broker").
 */
export const defaultBrokerJvmProfile: BrokerJvmProfile = 'benchmark-c1'

export interface BrokerOptions {
  java: JavaInfo
  /** Folder for data, config and logs of this broker. */
  dir: string
  logDir: string
  profile: BrokerJvmProfile
  clientPort?: number
  controllerPort?: number
  partitions?: number
  /**
   * How long a first start may take to be ready; a restart gets restartTimeoutFactor times as long.
   * @default brokerReadyTimeoutMs
   */
  readyTimeoutMs?: number
  /** Keep running after this process exits (`telcobench up`). */
  detached?: boolean
  /**
   * Port the broker tells clients to use instead of its own listener (a network-fault proxy in front
   * of it). The broker's traffic to itself (transaction markers) then gets a direct listener of its own.
   */
  advertisedClientPort?: number
  /** One node of a replicated cluster (kafka-cluster.ts); absent for the single broker. */
  node?: ClusterNode
  /** TLS, SASL/SCRAM and ACLs (security.ts); the single broker only, never with a proxy. */
  security?: { settings: SecuritySettings; credentials: RunCredentials }
}

/** What a node of a replicated cluster knows about the cluster it is formatted into. */
export interface ClusterNode {
  id: number
  clusterId: string
  /** `1@127.0.0.1:port:directoryId,…`, identical on every voter (KIP-853 dynamic quorum). */
  initialControllers: string
  /** `127.0.0.1:port,…`: every controller listener. */
  quorumBootstrap: string
  replicationFactor: number
  minInsyncReplicas: number
}

/**
 * One combined broker+controller node of a replicated KRaft cluster (docs/runtime.md "A replicated cluster"). The
 * internal topics follow the run's replication so an RF=1 run shows what one lost node costs. The short broker
 * session lets the active controller fence a dead node after 3 s rather than 9 s: the produce stall of a kill.
 */
export function clusterNodeProperties(o: { dataDir: string; clientPort: number; controllerPort: number; partitions: number; node: ClusterNode }): string {
  const n = o.node
  const internalMinIsr = Math.min(n.minInsyncReplicas, n.replicationFactor)
  return [
    'process.roles=broker,controller',
    `node.id=${n.id}`,
    `controller.quorum.bootstrap.servers=${n.quorumBootstrap}`,
    `listeners=PLAINTEXT://127.0.0.1:${o.clientPort},CONTROLLER://127.0.0.1:${o.controllerPort}`,
    `advertised.listeners=PLAINTEXT://127.0.0.1:${o.clientPort},CONTROLLER://127.0.0.1:${o.controllerPort}`,
    'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    'inter.broker.listener.name=PLAINTEXT',
    'controller.listener.names=CONTROLLER',
    `log.dirs=${o.dataDir}`,
    `num.partitions=${o.partitions}`,
    `default.replication.factor=${n.replicationFactor}`,
    `min.insync.replicas=${n.minInsyncReplicas}`,
    `offsets.topic.replication.factor=${n.replicationFactor}`,
    'offsets.topic.num.partitions=4',
    `transaction.state.log.replication.factor=${n.replicationFactor}`,
    `transaction.state.log.min.isr=${internalMinIsr}`,
    'transaction.state.log.num.partitions=4',
    `share.coordinator.state.topic.replication.factor=${n.replicationFactor}`,
    `share.coordinator.state.topic.min.isr=${internalMinIsr}`,
    'unclean.leader.election.enable=false',
    'broker.session.timeout.ms=3000',
    'broker.heartbeat.interval.ms=500',
    'group.initial.rebalance.delay.ms=0',
    'auto.create.topics.enable=false',
    'num.network.threads=2',
    'num.io.threads=2',
    'log.retention.hours=-1',
    '',
  ].join('\n')
}

/** Writes the single-node combined KRaft configuration (docs/runtime.md "The broker"). */
export function brokerProperties(o: { dataDir: string; clientPort: number; controllerPort: number; partitions: number; proxied?: { advertisedClientPort: number; internalPort: number }; security?: BrokerOptions['security'] }): string {
  const controller = `CONTROLLER://127.0.0.1:${o.controllerPort}`
  const listeners =
    o.security !== undefined
      ? securedBrokerProperties({ clientPort: o.clientPort, controllerPort: o.controllerPort, ...o.security })
      : o.proxied === undefined
      ? [
          `listeners=PLAINTEXT://127.0.0.1:${o.clientPort},${controller}`,
          `advertised.listeners=PLAINTEXT://127.0.0.1:${o.clientPort},${controller}`,
          'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
          'inter.broker.listener.name=PLAINTEXT',
        ]
      : [
          `listeners=PLAINTEXT://127.0.0.1:${o.clientPort},INTERNAL://127.0.0.1:${o.proxied.internalPort},${controller}`,
          `advertised.listeners=PLAINTEXT://127.0.0.1:${o.proxied.advertisedClientPort},INTERNAL://127.0.0.1:${o.proxied.internalPort},${controller}`,
          'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,INTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT',
          'inter.broker.listener.name=INTERNAL',
        ]
  return [
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.bootstrap.servers=127.0.0.1:${o.controllerPort}`,
    ...listeners,
    'controller.listener.names=CONTROLLER',
    `log.dirs=${o.dataDir}`,
    `num.partitions=${o.partitions}`,
    'default.replication.factor=1',
    'min.insync.replicas=1',
    'offsets.topic.replication.factor=1',
    'offsets.topic.num.partitions=4',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'transaction.state.log.num.partitions=4',
    'share.coordinator.state.topic.replication.factor=1',
    'share.coordinator.state.topic.min.isr=1',
    'group.initial.rebalance.delay.ms=0',
    'auto.create.topics.enable=false',
    'num.network.threads=2',
    'num.io.threads=4',
    'log.retention.hours=-1',
    '',
  ].join('\n')
}

/** The authorizer's decisions go to a file of their own in the run's logs (docs/security.md "Audit"). */
function log4jProperties(authorizerLog: string | null): string {
  const audit =
    authorizerLog === null
      ? []
      : [
          'appender.authorizer.type = File',
          'appender.authorizer.name = AUTHORIZER',
          `appender.authorizer.fileName = ${authorizerLog}`,
          'appender.authorizer.layout.type = PatternLayout',
          'appender.authorizer.layout.pattern = [%d] %p %m (%c)%n',
          'logger.authorizer.name = kafka.authorizer.logger',
          'logger.authorizer.level = INFO',
          'logger.authorizer.additivity = false',
          'logger.authorizer.appenderRef.file.ref = AUTHORIZER',
        ]
  return [...log4jBase, ...audit, ''].join('\n')
}

const log4jBase = [
  'status = warn',
  'appender.console.type = Console',
  'appender.console.name = STDOUT',
  'appender.console.layout.type = PatternLayout',
  'appender.console.layout.pattern = [%d] %p %m (%c)%n',
  'rootLogger.level = INFO',
  'rootLogger.appenderRef.stdout.ref = STDOUT',
  'logger.kafka.name = kafka',
  'logger.kafka.level = INFO',
  'logger.state.name = state.change.logger',
  'logger.state.level = WARN',
]

export async function javaOutput(java: JavaInfo, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(java.bin, args, { timeout: 120_000, maxBuffer: 4 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error !== null) reject(new Error(`${error.message}\n${stderr}`))
      else resolve(stdout.trim())
    })
  })
}

/** A real Kafka 4 KRaft broker+controller as a child JVM on loopback. */
export class LocalKafkaBroker {
  readonly options: BrokerOptions
  clientPort = 0
  controllerPort = 0
  process: ManagedProcess | null = null
  /** Milliseconds from spawn to ready, for the manifest. */
  startupMs = 0
  private readonly propertiesFile: string
  private readonly log4jFile: string
  /** java.io.tmpdir of the broker JVM (native libraries it unpacks), inside its own folder. */
  private readonly tmpDir: string
  private classpath = ''
  private starts = 0
  /** Process name (watchdog, deaths, resources) and log file stem. */
  readonly name: string

  constructor(options: BrokerOptions) {
    this.options = options
    this.propertiesFile = join(options.dir, 'server.properties')
    this.log4jFile = join(options.dir, 'log4j2.properties')
    this.tmpDir = jvmTmpDir(options.dir)
    this.name = options.node === undefined ? 'kafka-broker' : `kafka-broker-${options.node.id}`
  }

  get bootstrap(): string {
    return `127.0.0.1:${this.clientPort}`
  }

  /** Formats storage (first time) and starts the broker; resolves once it accepts clients. */
  async start(): Promise<void> {
    const o = this.options
    mkdirSync(o.dir, { recursive: true })
    mkdirSync(o.logDir, { recursive: true })
    mkdirSync(this.tmpDir, { recursive: true })
    if (this.starts === 0) {
      if (o.clientPort !== undefined) await assertPortFree(o.clientPort, 'Kafka client listener')
      if (o.controllerPort !== undefined) await assertPortFree(o.controllerPort, 'Kafka controller listener')
      this.clientPort = o.clientPort ?? (await freePort())
      this.controllerPort = o.controllerPort ?? (await freePort())
      this.classpath = readClasspath(kafkaClasspathFile)
      const proxied = o.advertisedClientPort !== undefined ? { advertisedClientPort: o.advertisedClientPort, internalPort: await freePort() } : undefined
      const dataDir = join(o.dir, 'data')
      const partitions = o.partitions ?? 4
      if (o.security !== undefined && (o.node !== undefined || proxied !== undefined)) throw new TelcobenchError('TB_INTERNAL', 'a secured broker is a single broker without a network proxy')
      writeFileSync(this.propertiesFile, o.node !== undefined ? clusterNodeProperties({ dataDir, clientPort: this.clientPort, controllerPort: this.controllerPort, partitions, node: o.node }) : brokerProperties({ dataDir, clientPort: this.clientPort, controllerPort: this.controllerPort, partitions, ...(proxied !== undefined ? { proxied } : {}), ...(o.security !== undefined ? { security: o.security } : {}) }))
      writeFileSync(this.log4jFile, log4jProperties(o.security?.settings.acls === true ? this.authorizerLog : null))
      const cp = ['-cp', this.classpath]
      const clusterId =
        o.node?.clusterId ??
        (await javaOutput(o.java, [...cp, 'kafka.tools.StorageTool', 'random-uuid']).catch((error: unknown) => {
          throw new TelcobenchError('TB_INFRA_UNAVAILABLE', 'Kafka StorageTool could not run', { cause: error, fix: 'run `npm run jvm:resolve` to rebuild the Kafka classpath' })
        }))
      const quorum = o.node !== undefined ? ['--initial-controllers', o.node.initialControllers] : ['--standalone']
      await javaOutput(o.java, ['-Xmx256m', `-Dlog4j2.configurationFile=${this.log4jFile}`, ...cp, 'kafka.tools.StorageTool', 'format', ...quorum, ...(o.security !== undefined ? formatScramArgs(o.security.settings, o.security.credentials) : []), '-t', clusterId, '-c', this.propertiesFile, '--ignore-formatted']).catch((error: unknown) => {
        throw new TelcobenchError('TB_INFRA_UNAVAILABLE', `Kafka storage format failed in ${o.dir}`, { cause: error, fix: `see ${o.logDir}; delete ${o.dir} if it holds an old cluster` })
      })
    }
    await this.launch('start')
  }

  /** The broker's log folder (`log.dirs`), formatted once by the first start. */
  get dataDir(): string {
    return join(this.options.dir, 'data')
  }

  /** The file the broker's console output goes to. */
  get logFile(): string {
    return join(this.options.logDir, this.options.node === undefined ? 'kafka.log' : `${this.name}.log`)
  }

  private async launch(kind: 'start' | 'restart'): Promise<void> {
    const o = this.options
    this.starts++
    const began = Date.now()
    const logFile = this.logFile
    const logOffset = existsSync(logFile) ? statSync(logFile).size : 0
    const logSinceStart = (): string => (existsSync(logFile) ? readFileSync(logFile).subarray(logOffset).toString() : '')
    // Read from the log file rather than stdout: a detached broker (`telcobench up`) writes straight to it.
    const startedLine = (): boolean => logSinceStart().includes('Kafka Server started')
    this.process = spawnManaged({
      name: this.name,
      command: o.java.bin,
      args: [...brokerJvmProfiles[o.profile], `-Djava.io.tmpdir=${this.tmpDir}`, gcLogFlag(join(o.logDir, `${o.node === undefined ? 'kafka' : this.name}-gc-${this.starts}.log`)), `-Dlog4j2.configurationFile=${this.log4jFile}`, '-cp', this.classpath, 'kafka.Kafka', this.propertiesFile],
      logFile,
      ...(o.detached === true ? { detached: true } : {}),
    })
    const startTimeoutMs = o.readyTimeoutMs ?? brokerReadyTimeoutMs
    const timeoutMs = kind === 'start' ? startTimeoutMs : restartReadyTimeoutMs(startTimeoutMs)
    const deadline = began + timeoutMs
    const proc = this.process
    const what = kind === 'start' ? `the ${this.label}` : `the ${this.label}, started again on its data,`
    while (Date.now() < deadline) {
      if (!proc.isRunning()) {
        const exit = String(await proc.exited)
        const known = brokerStartFailure(logSinceStart(), this.dataDir)
        throw new TelcobenchError('TB_INFRA_UNAVAILABLE', `${what} exited during start-up (exit ${exit})${known === null ? '' : `: ${known.cause}`}; see ${proc.logFile}`, {
          fix: known?.fix ?? `read ${proc.logFile}; a port clash or an old data folder are the usual causes`,
        })
      }
      if (startedLine() && (await canConnect('127.0.0.1', this.clientPort))) {
        this.startupMs = Date.now() - began
        return
      }
      await new Promise((r) => setTimeout(r, 200))
    }
    await proc.stop(5_000)
    throw new TelcobenchError('TB_INFRA_UNAVAILABLE', `${what} was not ready within ${(timeoutMs / 1000).toString()} s; see ${proc.logFile}`, {
      fix:
        kind === 'start'
          ? `read ${proc.logFile} for the cause; on a machine this busy, stop other work and run again`
          : `read ${proc.logFile}: after a kill the broker recovers its logs before it listens, which is slower on a busy machine; stop other work and run again`,
    })
  }

  /** Controlled shutdown (SIGTERM), SIGKILL after the grace period. */
  async stop(graceMs = 20_000): Promise<void> {
    await this.process?.stop(graceMs)
  }

  /** Crash fault: SIGKILL. */
  async kill(): Promise<void> {
    await this.process?.kill()
  }

  /** The authorizer's audit log (a secured broker with ACLs). */
  get authorizerLog(): string {
    return join(this.options.logDir, 'kafka-authorizer.log')
  }

  /** `Kafka broker`, `Kafka broker 2`: for messages. */
  get label(): string {
    return this.options.node === undefined ? 'Kafka broker' : `Kafka broker ${this.options.node.id}`
  }

  /** Whether the JVM is alive. */
  get running(): boolean {
    return this.process?.isRunning() ?? false
  }

  /**
   * Crash recovery: start again on the same ports, configuration and data folder. A restart never formats: the
   * folder the first start formatted holds the cluster's metadata log and every topic, and a new format would make
   * a different, empty cluster. A folder that lost its meta.properties is refused before any JVM starts.
   */
  async restart(): Promise<void> {
    if (this.starts === 0) throw new TelcobenchError('TB_INTERNAL', `the ${this.label} was restarted before its first start`)
    const meta = join(this.dataDir, metaPropertiesFile)
    if (!existsSync(meta)) {
      throw new TelcobenchError('TB_INFRA_UNAVAILABLE', `the ${this.label} cannot start again: ${meta} is gone, so ${this.dataDir} is no longer the folder its first start formatted (its last log is ${this.logFile})`, {
        fix: `something removed ${this.dataDir} while the run went on (its end removes it, unless --keep-kafka-data); start the run again`,
      })
    }
    await this.launch('restart')
  }

  pause(): void {
    this.process?.signal('SIGSTOP')
  }

  resume(): void {
    this.process?.signal('SIGCONT')
  }
}
