import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { basename, join } from 'node:path'
import { TelcobenchError } from '../errors.ts'
import { sparkCodeCacheFlags, sparkGcAndUserFlags, sparkJvmFlags, type JavaInfo } from './java.ts'
import { readClasspath } from './maven.ts'
import { sparkClasspathFile, sparkJobJar } from './paths.ts'
import { freePort } from './ports.ts'
import { processCommandLine } from './process-identity.ts'
import { adoptProcess, spawnManaged, waitFor, type AdoptedProcess, type ManagedProcess } from './processes.ts'

/** The shape of a standalone cluster (scenario `spark`). */
export interface SparkStandaloneSettings {
  workers: number
  executorCores: number
}

export interface SparkStandaloneOptions extends SparkStandaloneSettings {
  java: JavaInfo
  /** The cluster's own folder (`<run>/spark-cluster`): the Spark home it is launched from and the workers' folders. */
  dir: string
  logDir: string
  /** java.io.tmpdir of every daemon and executor (the run's tmp folder, removed with it). */
  tmpDir: string
  readyTimeoutMs?: number
}

/** Heap of each executor, and so the memory each worker offers (one executor per worker). */
export const sparkExecutorMemory = '1g'
/** Heap of the master and of each worker: they only schedule and launch, 256 MB is what they use. */
const daemonHeap = '256m'
/** Spark's builds and the jars here are for Scala 2.13; the launcher must be told, having no build folder to read it from. */
const scalaVersion = '2.13'
/** A worker relaunches an executor within seconds; this long without one means the cluster is not recovering. */
export const executorReplacementTimeoutMs = 90_000
/**
 * The master and its workers start on 2 cores shared with Kafka and other engineers' runs (about 6 s on a quiet
 * machine); two minutes is the bound for a start that will not come.
 */
export const sparkClusterReadyTimeoutMs = 120_000

/**
 * Logging of the master, the workers and the executors: the conf folder is first on all their classpaths. Console on
 * stdout, so the harness's log files (and the executors' `stdout` files in their work folders) receive it.
 */
const log4jProperties = `rootLogger.level = info
rootLogger.appenderRef.stdout.ref = console
appender.console.type = Console
appender.console.name = console
appender.console.target = SYSTEM_OUT
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{HH:mm:ss.SSS} %p %c{1}: %m%n
logger.jetty.name = org.sparkproject.jetty
logger.jetty.level = warn
`

/** An executor JVM that a worker launched, as the harness sees it from /proc. */
export interface ExecutorProcess {
  /** Spark's executor id within its application (`0`, `1`, …). */
  executorId: string
  appId: string
  /** The worker (1…N) that launched it. */
  worker: number
  process: AdoptedProcess
}

/** The master's view of the cluster (its web UI's `/json/` page). */
interface MasterState {
  status: string
  aliveworkers: number
}

/** `--executor-id 3 … --app-id app-2026…` from an executor's command line; null when it is not an executor. */
export function parseExecutorCommandLine(cmdline: string): { executorId: string; appId: string } | null {
  if (!cmdline.includes('org.apache.spark.executor.CoarseGrainedExecutorBackend')) return null
  const executorId = /--executor-id (\S+)/.exec(cmdline)?.[1]
  const appId = /--app-id (\S+)/.exec(cmdline)?.[1]
  return executorId === undefined || appId === undefined ? null : { executorId, appId }
}

/** The parent pid of a process from /proc/<pid>/stat; null when it is gone. */
function parentPid(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
    return Number.isInteger(ppid) ? ppid : null
  } catch {
    return null
  }
}

/**
 * The Spark home the daemons and executors are launched from: `jars/` holds one link per jar of the Spark job's
 * Maven classpath (the worker builds every executor's classpath from `$SPARK_HOME/jars/*`; without the folder it
 * refuses to launch one) and `conf/` the logging configuration. There is no Spark distribution on the machine.
 */
export function prepareSparkHome(home: string, classpath: string): void {
  const jars = join(home, 'jars')
  mkdirSync(jars, { recursive: true })
  mkdirSync(join(home, 'conf'), { recursive: true })
  writeFileSync(join(home, 'conf', 'log4j2.properties'), log4jProperties)
  const entries = classpath.split(':').filter((e) => e !== '')
  const byName = new Map<string, string>()
  for (const entry of entries) {
    const name = basename(entry)
    const seen = byName.get(name)
    if (seen !== undefined && seen !== entry) {
      throw new TelcobenchError('TB_INTERNAL', `two jars of the Spark classpath share the name ${name} (${seen}, ${entry}); the standalone cluster's jars folder cannot hold both`, { fix: 'report this as a bug: pipelines/spark/pom.xml resolves two artifacts with one file name' })
    }
    if (seen === undefined) symlinkSync(entry, join(jars, name))
    byName.set(name, entry)
  }
}

/**
 * A Spark standalone cluster on loopback: one master and N workers as child JVMs started from the Maven jars
 * (docs/spark-standalone.md). Workers launch the executors; the harness finds them in /proc as children of the
 * worker JVMs and adopts them, so they are stopped on every exit path like the JVMs it started itself.
 */
export class SparkStandaloneCluster {
  readonly o: SparkStandaloneOptions
  readonly home: string
  private master: ManagedProcess | null = null
  private readonly workers = new Map<number, ManagedProcess>()
  private readonly executors = new Map<number, ExecutorProcess>()
  private masterPort = 0
  private masterUiPort = 0
  private readonly workerUiPorts = new Map<number, number>()
  private scanTimer: NodeJS.Timeout | null = null
  startupMs = 0

  private constructor(o: SparkStandaloneOptions) {
    this.o = o
    this.home = join(o.dir, 'home')
  }

  /** Starts the master, then every worker; resolves once the master counts all of them alive. */
  static async start(o: SparkStandaloneOptions): Promise<SparkStandaloneCluster> {
    const cluster = new SparkStandaloneCluster(o)
    const began = Date.now()
    try {
      prepareSparkHome(cluster.home, readClasspath(sparkClasspathFile))
      mkdirSync(o.tmpDir, { recursive: true })
      cluster.masterPort = await freePort()
      cluster.masterUiPort = await freePort()
      for (let n = 1; n <= o.workers; n++) cluster.workerUiPorts.set(n, await freePort())
      cluster.startMaster()
      for (let n = 1; n <= o.workers; n++) cluster.startWorker(n)
      await cluster.waitForWorkers(o.workers, o.readyTimeoutMs ?? sparkClusterReadyTimeoutMs)
    } catch (error) {
      await cluster.stop(5_000)
      throw error
    }
    cluster.startupMs = Date.now() - began
    // Executors come and go (kills, relaunches); each new one is adopted within a second of its start.
    cluster.scanTimer = setInterval(() => {
      cluster.scanExecutors()
    }, 1000)
    cluster.scanTimer.unref()
    return cluster
  }

  get masterUrl(): string {
    return `spark://127.0.0.1:${this.masterPort}`
  }

  get workerIds(): number[] {
    return Array.from({ length: this.o.workers }, (_, i) => i + 1)
  }

  /**
   * The settings a client-mode driver needs to run on this cluster, as `-D` system properties (SparkConf reads them;
   * the job's own defaults are set only when missing, docs/spark-standalone.md). The executors get the driver's
   * collector flags, then `executorJvmOptions` (scenario `spark.jvmOptions`).
   */
  driverSettings(executorJvmOptions: readonly string[] = []): Record<string, string> {
    return {
      'spark.master': this.masterUrl,
      // Pipelines.session binds the driver to loopback only for local masters.
      'spark.driver.host': '127.0.0.1',
      'spark.driver.bindAddress': '127.0.0.1',
      // Executors fetch the jobs jar from the driver; Spark and Kafka client jars come from the home's jars folder.
      'spark.jars': sparkJobJar,
      'spark.executor.memory': sparkExecutorMemory,
      'spark.executor.cores': String(this.o.executorCores),
      // One executor per worker: the application takes every core the workers offer.
      'spark.cores.max': String(this.o.executorCores * this.o.workers),
      'spark.executorEnv.SPARK_SCALA_VERSION': scalaVersion,
      // Temp and block-manager files in the run folder; C1 only and its code cache, as for the driver (docs/runtime.md).
      'spark.executor.extraJavaOptions': [`-Djava.io.tmpdir=${this.o.tmpDir}`, '-XX:TieredStopAtLevel=1', ...sparkCodeCacheFlags, ...sparkGcAndUserFlags(executorJvmOptions)].join(' '),
    }
  }

  private daemonEnv(): NodeJS.ProcessEnv {
    // SPARK_LOCAL_IP keeps every listener (RPC, web UIs, block managers) on loopback.
    return { ...process.env, SPARK_HOME: this.home, SPARK_CONF_DIR: join(this.home, 'conf'), SPARK_LOCAL_IP: '127.0.0.1', SPARK_SCALA_VERSION: scalaVersion }
  }

  private daemonArgs(mainClass: string, args: string[]): string[] {
    return [`-Xms${daemonHeap}`, `-Xmx${daemonHeap}`, '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', `-Djava.io.tmpdir=${this.o.tmpDir}`, ...sparkJvmFlags, '-cp', `${join(this.home, 'conf')}/:${join(this.home, 'jars')}/*`, ...(mainClass.endsWith('Master') ? ['-Dspark.master.rest.enabled=false'] : []), mainClass, ...args]
  }

  private startMaster(): void {
    this.master = spawnManaged({
      name: 'spark-master',
      command: this.o.java.bin,
      args: this.daemonArgs('org.apache.spark.deploy.master.Master', ['--host', '127.0.0.1', '--port', String(this.masterPort), '--webui-port', String(this.masterUiPort)]),
      logFile: join(this.o.logDir, 'spark-master.log'),
      cwd: this.o.dir,
      env: this.daemonEnv(),
    })
  }

  private workDir(n: number): string {
    return join(this.o.dir, `worker-${n}`)
  }

  private startWorker(n: number): void {
    mkdirSync(this.workDir(n), { recursive: true })
    const proc = spawnManaged({
      name: `spark-worker-${n}`,
      command: this.o.java.bin,
      args: this.daemonArgs('org.apache.spark.deploy.worker.Worker', ['--host', '127.0.0.1', '--cores', String(this.o.executorCores), '--memory', sparkExecutorMemory, '--webui-port', String(this.workerUiPorts.get(n) ?? 0), '--work-dir', this.workDir(n), this.masterUrl]),
      logFile: join(this.o.logDir, `spark-worker-${n}.log`),
      cwd: this.workDir(n),
      env: this.daemonEnv(),
    })
    this.workers.set(n, proc)
  }

  /** The master's state, or null while it does not answer. */
  private async masterState(): Promise<MasterState | null> {
    try {
      const response = await fetch(`http://127.0.0.1:${this.masterUiPort}/json/`, { signal: AbortSignal.timeout(2_000) })
      if (!response.ok) return null
      return (await response.json()) as MasterState
    } catch {
      return null
    }
  }

  /** Waits until the master is ALIVE and counts `n` alive workers; throws when a daemon exits or time runs out. */
  private async waitForWorkers(n: number, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs
    while (Date.now() < deadline) {
      const dead = [this.master, ...this.workers.values()].find((p) => p !== null && !p.isRunning())
      if (dead !== undefined && dead !== null) {
        throw new TelcobenchError('TB_INFRA_UNAVAILABLE', `the Spark standalone ${dead.name} exited during start-up (exit ${String(await dead.exited)})`, { fix: `read ${dead.logFile}` })
      }
      const state = await this.masterState()
      if (state?.status === 'ALIVE' && state.aliveworkers >= n) return
      await new Promise((r) => setTimeout(r, 250))
    }
    throw new TelcobenchError('TB_INFRA_UNAVAILABLE', `the Spark standalone master did not count ${n} alive worker(s) within ${Math.round(timeoutMs / 1000)} s`, { fix: `read ${join(this.o.logDir, 'spark-master.log')} and the spark-worker-*.log files` })
  }

  /** Finds the executors the workers run now, adopting each new one; forgets the ones that ended. */
  scanExecutors(): ExecutorProcess[] {
    for (const [pid, e] of this.executors) if (!e.process.isRunning()) this.executors.delete(pid)
    const workerOf = new Map<number, number>()
    for (const [n, w] of this.workers) if (w.isRunning()) workerOf.set(w.pid, n)
    if (workerOf.size === 0) return [...this.executors.values()]
    let entries: string[]
    try {
      entries = readdirSync('/proc')
    } catch {
      return [...this.executors.values()]
    }
    for (const entry of entries) {
      if (!/^\d+$/.test(entry)) continue
      const pid = Number(entry)
      if (this.executors.has(pid)) continue
      const worker = workerOf.get(parentPid(pid) ?? -1)
      if (worker === undefined) continue
      const ids = parseExecutorCommandLine(processCommandLine(pid) ?? '')
      if (ids === null) continue
      const adopted = adoptProcess(pid, `spark-executor-${ids.executorId}`)
      if (adopted !== null) this.executors.set(pid, { ...ids, worker, process: adopted })
    }
    return [...this.executors.values()]
  }

  /** The executors running on worker `n` now; `rescan` false uses the last scan (at most a second old) instead of reading /proc. */
  executorsOn(n: number, rescan = true): ExecutorProcess[] {
    return (rescan ? this.scanExecutors() : [...this.executors.values()]).filter((e) => e.worker === n && e.process.isRunning())
  }

  /** The worker JVM `n` (1…N), or null when it is not running. */
  workerPid(n: number): number | null {
    const w = this.workers.get(n)
    return w?.isRunning() === true ? w.pid : null
  }

  get masterPid(): number | null {
    return this.master?.isRunning() === true ? this.master.pid : null
  }

  /** SIGKILL of the executor on worker `n`; resolves with it once it is gone, or null when the worker runs none. */
  async killExecutor(n: number): Promise<ExecutorProcess | null> {
    const target = this.executorsOn(n)[0]
    if (target === undefined) return null
    await target.process.kill()
    return target
  }

  /**
   * Waits until worker `n` runs an executor that is not one of `gone` (pids); resolves with it, or null after
   * `timeoutMs`.
   */
  async waitForExecutor(n: number, gone: ReadonlySet<number>, timeoutMs = executorReplacementTimeoutMs): Promise<ExecutorProcess | null> {
    let found: ExecutorProcess | null = null
    await waitFor(
      () => {
        found = this.executorsOn(n).find((e) => !gone.has(e.process.pid)) ?? null
        return found !== null
      },
      timeoutMs,
      250,
    )
    return found
  }

  /** SIGKILL of worker `n` and of its executors at once, as when its machine is lost; resolves once all are gone. */
  async killWorker(n: number): Promise<ExecutorProcess[]> {
    const executors = this.executorsOn(n)
    await Promise.all([this.workers.get(n)?.kill(), ...executors.map((e) => e.process.kill())])
    return executors
  }

  /** Starts worker `n` again (same folder and UI port); resolves once the master counts every worker alive. */
  async restartWorker(n: number): Promise<void> {
    if (this.workers.get(n)?.isRunning() === true) return
    this.startWorker(n)
    await this.waitForWorkers(this.o.workers, this.o.readyTimeoutMs ?? sparkClusterReadyTimeoutMs)
  }

  /**
   * Stops the workers (each stops its executors), then the master, then any executor still alive (one whose worker
   * was killed); keeps every executor's output as `<logs>/spark-executor-<app>-<id>.log` and removes the cluster's
   * folder (the Spark home's links, the jar copies in the work folders).
   */
  async stop(graceMs = 20_000): Promise<void> {
    if (this.scanTimer !== null) clearInterval(this.scanTimer)
    this.scanExecutors()
    await Promise.all([...this.workers.values()].map((w) => w.stop(graceMs)))
    await this.master?.stop(graceMs)
    await Promise.all([...this.executors.values()].map((e) => e.process.kill()))
    this.keepExecutorLogs()
    rmSync(this.o.dir, { recursive: true, force: true })
  }

  /** Executor output lives in `<worker folder>/<app id>/<executor id>/{stdout,stderr}`: one log file per executor. */
  private keepExecutorLogs(): void {
    for (const n of this.workerIds) {
      const work = this.workDir(n)
      if (!existsSync(work)) continue
      for (const app of readdirSync(work)) {
        const appDir = join(work, app)
        let executors: string[]
        try {
          executors = readdirSync(appDir)
        } catch {
          continue
        }
        for (const id of executors) {
          const target = join(this.o.logDir, `spark-executor-${app}-${id}.log`)
          for (const stream of ['stdout', 'stderr']) {
            const source = join(appDir, id, stream)
            if (!existsSync(source)) continue
            if (!existsSync(target)) copyFileSync(source, target)
            else writeFileSync(target, readFileSync(source), { flag: 'a' })
          }
        }
      }
    }
  }
}
