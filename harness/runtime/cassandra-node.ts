import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { TelcobenchError } from '../errors.ts'
import { gcLogFlag, type JavaInfo } from './java.ts'
import { readClasspath } from './maven.ts'
import { cassandraClasspathFile, jvmTmpDir } from './paths.ts'
import { canConnect, freePort } from './ports.ts'
import { spawnManaged, type ManagedProcess } from './processes.ts'

/**
 * Heap of the local Cassandra node. 512 MiB is the knee measured on the 2-core / 24 GiB machine: ~1.05 GB RSS
 * and under 2 % of a core idle, where 1 GiB costs ~1.6 GB RSS for no gain at telcobench's write rates and
 * 256 MiB turned GC-bound under a write burst (docs/serving.md "The local node").
 */
export const cassandraHeap = '512m'

/**
 * JVM flags Cassandra 5.0 needs on Java 17: its own G1 settings and the module opens/exports of its
 * conf/jvm17-server.options. Without the opens it exits at once (it reaches into sun.nio.ch for direct buffers).
 */
export const cassandraJvmFlags: readonly string[] = [
  '-Xss256k',
  '-XX:+UseG1GC',
  '-XX:+ParallelRefProcEnabled',
  '-XX:MaxTenuringThreshold=1',
  '-XX:G1HeapRegionSize=16m',
  '-XX:+ExitOnOutOfMemoryError',
  '-XX:+PerfDisableSharedMem',
  // C1 only, as for the embedded Spark and Kafka JVMs: with C2 the node used 0.55 of the 2 cores during the
  // quickstart's load, and 0.23–0.27 without it (docs/serving.md "Cassandra's CPU").
  '-XX:TieredStopAtLevel=1',
  '-Djdk.attach.allowAttachSelf=true',
  ...['java.base/jdk.internal.misc', 'java.management.rmi/com.sun.jmx.remote.internal.rmi', 'java.rmi/sun.rmi.registry', 'java.rmi/sun.rmi.server', 'java.sql/java.sql', 'java.base/java.lang.ref', 'jdk.unsupported/sun.misc', 'jdk.compiler/com.sun.tools.javac.file', 'jdk.attach/sun.tools.attach'].flatMap((m) => ['--add-exports', `${m}=ALL-UNNAMED`]),
  ...['java.base/java.lang.module', 'java.base/jdk.internal.loader', 'java.base/jdk.internal.ref', 'java.base/jdk.internal.reflect', 'java.base/jdk.internal.math', 'java.base/jdk.internal.module', 'java.base/jdk.internal.util.jar', 'jdk.management/com.sun.management.internal', 'java.base/sun.nio.ch', 'java.base/java.io', 'java.base/java.lang.reflect', 'jdk.compiler/com.sun.tools.javac', 'java.base/java.lang', 'java.base/java.util'].flatMap((m) => ['--add-opens', `${m}=ALL-UNNAMED`]),
  '-Dio.netty.tryReflectionSetAccessible=true',
  '-Dio.netty.allocator.useCacheForAllThreads=true',
  '-Dio.netty.allocator.maxOrder=11',
  '-Dcassandra-foreground=yes',
  // A throw-away single node: no 5 s gossip settling, no 10 s superuser set-up delay, no 2 s shutdown announce.
  '-Dcassandra.skip_wait_for_gossip_to_settle=0',
  '-Dcassandra.ring_delay_ms=100',
  '-Dcassandra.load_ring_state=false',
  '-Dcassandra.superuser_setup_delay_ms=0',
  '-Dcassandra.shutdown_announce_in_ms=0',
]

/** The node's cassandra.yaml: one node owning the whole ring, loopback only, every folder under `dataDir`. */
export function cassandraYaml(o: { dataDir: string; nativePort: number; storagePort: number }): string {
  return [
    'cluster_name: telcobench',
    'num_tokens: 1',
    'initial_token: 0',
    'auto_bootstrap: false',
    'partitioner: org.apache.cassandra.dht.Murmur3Partitioner',
    'endpoint_snitch: SimpleSnitch',
    'seed_provider:',
    '  - class_name: org.apache.cassandra.locator.SimpleSeedProvider',
    '    parameters:',
    `      - seeds: "127.0.0.1:${o.storagePort}"`,
    'listen_address: 127.0.0.1',
    'rpc_address: 127.0.0.1',
    `storage_port: ${o.storagePort}`,
    `native_transport_port: ${o.nativePort}`,
    'start_native_transport: true',
    `data_file_directories: [${join(o.dataDir, 'data')}]`,
    `commitlog_directory: ${join(o.dataDir, 'commitlog')}`,
    `saved_caches_directory: ${join(o.dataDir, 'saved_caches')}`,
    `hints_directory: ${join(o.dataDir, 'hints')}`,
    `cdc_raw_directory: ${join(o.dataDir, 'cdc_raw')}`,
    // Periodic sync: a killed process loses nothing (the commit log is written before a write is acknowledged and
    // the page cache outlives the process); only a machine crash could lose the last 10 s (docs/serving.md).
    'commitlog_sync: periodic',
    'commitlog_sync_period: 10000ms',
    'authenticator: AllowAllAuthenticator',
    'authorizer: AllowAllAuthorizer',
    'role_manager: CassandraRoleManager',
    'disk_access_mode: mmap_index_only',
    'concurrent_compactors: 1',
    'hinted_handoff_enabled: false',
    'dynamic_snitch: false',
    '',
  ].join('\n')
}

/** Logback for the node: everything to <logDir>/cassandra-system.log, warnings also to stdout (cassandra.log). */
function logbackXml(logDir: string): string {
  return `<configuration>
  <appender name="FILE" class="ch.qos.logback.core.FileAppender">
    <file>${join(logDir, 'cassandra-system.log')}</file>
    <encoder><pattern>%-5level [%thread] %date{ISO8601} %F:%L - %msg%n</pattern></encoder>
  </appender>
  <appender name="STDOUT" class="ch.qos.logback.core.ConsoleAppender">
    <filter class="ch.qos.logback.classic.filter.ThresholdFilter"><level>WARN</level></filter>
    <encoder><pattern>%-5level %date{ISO8601} %msg%n</pattern></encoder>
  </appender>
  <root level="INFO"><appender-ref ref="FILE"/><appender-ref ref="STDOUT"/></root>
</configuration>
`
}

/**
 * Cassandra reads its config from a URL: `file://` + a relative path names a host, not a file (a run under
 * `--results results/x` failed to start with "Cannot locate file://results/..."), so the URL is built from the
 * absolute path.
 */
export function cassandraConfigProperty(configFile: string): string {
  return `-Dcassandra.config=${pathToFileURL(resolve(configFile)).href}`
}

export interface CassandraNodeOptions {
  java: JavaInfo
  /** Folder for config, data and commit log (<run>/cassandra). */
  dir: string
  logDir: string
  /**
   * Start-up took 4–8 s on the quiet 2-core machine, up to 18 s under other engineers' load and 83 s at a
   * load average of 16 (docs/serving.md "The local node").
   * @default 180000
   */
  readyTimeoutMs?: number
}

/** A real Apache Cassandra 5 node as a child JVM on loopback: start, kill, restart on its data, stop. */
export class LocalCassandraNode {
  readonly options: CassandraNodeOptions
  nativePort = 0
  storagePort = 0
  process: ManagedProcess | null = null
  /** Milliseconds from spawn to the first CQL answer, of the last start. */
  startupMs = 0
  private classpath = ''
  private starts = 0
  private readonly configFile: string
  private readonly logbackFile: string

  constructor(options: CassandraNodeOptions) {
    this.options = options
    this.configFile = join(options.dir, 'cassandra.yaml')
    this.logbackFile = join(options.dir, 'logback.xml')
  }

  /** host:port of the CQL listener. */
  get contactPoint(): string {
    return `127.0.0.1:${this.nativePort}`
  }

  async start(): Promise<void> {
    const o = this.options
    mkdirSync(join(o.dir, 'data'), { recursive: true })
    mkdirSync(jvmTmpDir(o.dir), { recursive: true })
    mkdirSync(o.logDir, { recursive: true })
    this.classpath = readClasspath(cassandraClasspathFile)
    this.nativePort = await freePort()
    this.storagePort = await freePort()
    writeFileSync(this.configFile, cassandraYaml({ dataDir: join(o.dir, 'data'), nativePort: this.nativePort, storagePort: this.storagePort }))
    writeFileSync(this.logbackFile, logbackXml(o.logDir))
    await this.launch()
  }

  private async launch(): Promise<void> {
    const o = this.options
    const began = Date.now()
    this.starts++
    // Ready = "Startup complete" in this start's part of the system log (logged after the CQL listener opened)
    // and the CQL port accepting. A driver-based probe was tried first: a client whose first connect failed kept
    // reconnection timers that held the harness's event loop open after the run.
    const systemLog = join(o.logDir, 'cassandra-system.log')
    const logOffset = existsSync(systemLog) ? statSync(systemLog).size : 0
    const started = (): boolean => existsSync(systemLog) && readFileSync(systemLog).subarray(logOffset).includes('Startup complete')
    const proc = spawnManaged({
      name: 'cassandra',
      command: o.java.bin,
      args: [
        `-Xms${cassandraHeap}`,
        `-Xmx${cassandraHeap}`,
        ...cassandraJvmFlags,
        `-Djava.io.tmpdir=${jvmTmpDir(o.dir)}`,
        gcLogFlag(join(o.logDir, `cassandra-gc-${this.starts}.log`)),
        cassandraConfigProperty(this.configFile),
        `-Dcassandra.storagedir=${join(o.dir, 'data')}`,
        `-Dcassandra.logdir=${o.logDir}`,
        `-Dlogback.configurationFile=${this.logbackFile}`,
        '-cp',
        this.classpath,
        'org.apache.cassandra.service.CassandraDaemon',
      ],
      logFile: join(o.logDir, 'cassandra.log'),
    })
    this.process = proc
    const timeoutMs = o.readyTimeoutMs ?? 180_000
    while (Date.now() - began < timeoutMs) {
      if (!proc.isRunning()) {
        throw new TelcobenchError('TB_INFRA_UNAVAILABLE', `Cassandra exited during start-up (exit ${String(await proc.exited)})`, {
          fix: `read ${proc.logFile} and ${join(o.logDir, 'cassandra-system.log')}; run \`npm run jvm:resolve\` if a class is missing`,
        })
      }
      if (started() && (await canConnect('127.0.0.1', this.nativePort))) {
        this.startupMs = Date.now() - began
        return
      }
      await new Promise((r) => setTimeout(r, 250))
    }
    await proc.stop(5_000)
    throw new TelcobenchError('TB_INFRA_UNAVAILABLE', `Cassandra did not accept CQL within ${String(timeoutMs / 1000)} s`, {
      fix: `read ${join(o.logDir, 'cassandra-system.log')}; on a machine this busy, stop other work and run again`,
    })
  }

  /** SIGTERM: Cassandra drains and flushes its memtables (4–5 s here), SIGKILL after the grace period. */
  async stop(graceMs = 20_000): Promise<void> {
    await this.process?.stop(graceMs)
  }

  /** Crash fault: SIGKILL. */
  async kill(): Promise<void> {
    await this.process?.kill()
  }

  /** Crash recovery: the same ports and data; the commit log is replayed on start. */
  async restart(): Promise<void> {
    await this.launch()
  }
}
