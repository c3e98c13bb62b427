import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { TelcobenchError } from '../errors.ts'
import { gcLogFlag, sparkCodeCacheFlags, sparkGcAndUserFlags, sparkJvmFlags, type JavaInfo } from './java.ts'
import { readClasspath } from './maven.ts'
import { jvmTmpDir, sparkClasspathFile, sparkJobJar } from './paths.ts'
import { spawnManaged, type ManagedProcess } from './processes.ts'

/** The JSON handed to the Spark jobs (docs/contracts.md "Job config"). */
export type SparkJobConfig = Record<string, unknown> & { checkpointDir: string; bootstrap: string; topicPrefix: string }

/** Cores the embedded Spark jobs plan their shuffle partitions for. */
export const defaultLocalSparkCores = 2
/**
 * `local[N]` task threads of the embedded Spark jobs: twice the cores, because micro-batch tasks spend much of
 * their time waiting on Kafka fetches and checkpoint files. Quickstart rated p99 over three runs each, same quiet
 * machine: 3.7–7.0 s with `local[2]`, 2.6–2.7 s with `local[4]` (docs/spark-pipelines.md "Configuration").
 */
export const defaultLocalSparkThreads = 4

export interface SparkJobOptions {
  java: JavaInfo
  config: SparkJobConfig
  /** Folder for the config file and logs. */
  workDir: string
  logDir: string
  /** `local[N]` task threads. @default defaultLocalSparkThreads */
  threads?: number
  heap?: string
  /** JVM options of the streaming job (scenario `spark.jvmOptions`); the batch baseline is launched without them. */
  jvmOptions?: readonly string[]
  readyTimeoutMs?: number
  /**
   * Run on a Spark standalone cluster instead of in-process (`local[N]`): the `spark.*` settings that point the
   * client-mode driver at its master (SparkStandaloneCluster.driverSettings).
   */
  standalone?: Record<string, string>
}

/** Driver heap on a standalone cluster: the tasks run in the executors, the driver only plans and writes the batches' output. */
export const standaloneDriverHeap = '1g'

/**
 * Launch arguments for a Spark main class with the job jar and its Maven classpath; its GC log goes to `gcLogFile`.
 * `o.jvmOptions` follow telcobench's flags, so they win over them.
 */
function sparkArgs(o: Omit<SparkJobOptions, 'config'>, mainClass: string, extra: string[], gcLogFile: string): string[] {
  const classpath = `${sparkJobJar}:${readClasspath(sparkClasspathFile)}`
  const heap = o.heap ?? (o.standalone !== undefined ? standaloneDriverHeap : '2g')
  // Spark's block manager, artifact and native-library folders follow java.io.tmpdir (and spark.local.dir's
  // default): inside the run folder, a killed driver cannot leave them in /tmp.
  const tmpDir = jvmTmpDir(o.workDir)
  mkdirSync(tmpDir, { recursive: true })
  return [
    `-Xms${heap}`,
    `-Xmx${heap}`,
    `-Djava.io.tmpdir=${tmpDir}`,
    gcLogFlag(gcLogFile),
    // C1 only: on 2 cores the C2 compiler threads competed with the queries for most of a run (70 s of compile
    // time in a 48 s recording); C1 cut the Spark JVM's CPU by 15–30 % and the quickstart's rated p99
    // (docs/spark-pipelines.md "Warm-up and JIT").
    '-XX:TieredStopAtLevel=1',
    ...sparkCodeCacheFlags,
    ...sparkJvmFlags,
    ...sparkGcAndUserFlags(o.jvmOptions),
    ...(o.standalone !== undefined ? Object.entries(o.standalone).map(([k, v]) => `-D${k}=${v}`) : [`-Dspark.master=local[${o.threads ?? defaultLocalSparkThreads}]`]),
    '-cp',
    classpath,
    mainClass,
    ...extra,
  ]
}

/** The streaming application as a child JVM: start, crash, restart from its checkpoint, stop. */
export class SparkStreamingJob {
  readonly options: SparkJobOptions
  process: ManagedProcess | null = null
  readonly configFile: string
  startupMs = 0
  restarts = 0

  constructor(options: SparkJobOptions) {
    this.options = options
    this.configFile = join(options.workDir, 'spark-job.json')
    writeFileSync(this.configFile, JSON.stringify(options.config, null, 2))
  }

  /** Starts the JVM; resolves once it prints TELCOBENCH_READY (all queries started). */
  async start(): Promise<void> {
    const o = this.options
    const began = Date.now()
    let ready = false
    const proc = spawnManaged({
      name: 'spark-streaming',
      command: o.java.bin,
      args: sparkArgs(o, 'telcobench.spark.StreamingApp', ['--config', this.configFile], join(o.logDir, `spark-streaming-gc-${this.restarts}.log`)),
      logFile: join(o.logDir, 'spark-streaming.log'),
      onLine: (line) => {
        if (line.includes('TELCOBENCH_READY')) ready = true
      },
    })
    this.process = proc
    const deadline = began + (o.readyTimeoutMs ?? 120_000)
    while (Date.now() < deadline) {
      if (ready) {
        this.startupMs = Date.now() - began
        return
      }
      if (!proc.isRunning()) {
        throw new TelcobenchError('TB_INFRA_UNAVAILABLE', `the Spark streaming job exited during start-up (exit ${String(await proc.exited)})`, {
          fix: `read ${proc.logFile}`,
        })
      }
      await new Promise((r) => setTimeout(r, 200))
    }
    await proc.stop(5_000)
    throw new TelcobenchError('TB_INFRA_UNAVAILABLE', `the Spark streaming job did not start its queries within ${Math.round((o.readyTimeoutMs ?? 120_000) / 1000)} s`, {
      fix: `read ${proc.logFile}`,
    })
  }

  /** Crash fault: SIGKILL the driver (in local mode it is also the executor; on a standalone cluster its executors end with it). */
  async kill(): Promise<void> {
    await this.process?.kill()
  }

  /** Restart from the same checkpoint folder. */
  async restart(): Promise<void> {
    this.restarts++
    await this.start()
  }

  async stop(graceMs = 20_000): Promise<void> {
    await this.process?.stop(graceMs)
  }
}

/** Runs the batch baseline to completion; returns its wall time and the results file it wrote. */
export async function runSparkBatch(o: SparkJobOptions, outFile: string): Promise<{ wallMs: number; outFile: string }> {
  const configFile = join(o.workDir, 'spark-batch.json')
  writeFileSync(configFile, JSON.stringify(o.config, null, 2))
  const began = Date.now()
  const proc = spawnManaged({
    name: 'spark-batch',
    command: o.java.bin,
    args: sparkArgs(o, 'telcobench.spark.BatchApp', ['--config', configFile, '--out', outFile], join(o.logDir, 'spark-batch-gc.log')),
    logFile: join(o.logDir, 'spark-batch.log'),
  })
  const code = await proc.exited
  if (code !== 0) {
    throw new TelcobenchError('TB_INFRA_UNAVAILABLE', `the Spark batch baseline failed (exit ${String(code)})`, { fix: `read ${proc.logFile}` })
  }
  return { wallMs: Date.now() - began, outFile }
}

/**
 * Runs the model training job (TrainApp, docs/ml.md "Training") to completion on `local[N]`; returns its wall time.
 * Its log goes to `<logDir>/spark-train.log`; a failure names it.
 */
export async function runSparkTraining(o: Omit<SparkJobOptions, 'config'>, args: string[]): Promise<{ wallMs: number; logFile: string }> {
  const began = Date.now()
  const proc = spawnManaged({
    name: 'spark-train',
    command: o.java.bin,
    args: sparkArgs(o, 'telcobench.spark.TrainApp', args, join(o.logDir, 'spark-train-gc.log')),
    logFile: join(o.logDir, 'spark-train.log'),
  })
  const code = await proc.exited
  if (code !== 0) {
    throw new TelcobenchError('TB_INFRA_UNAVAILABLE', `the Spark training job failed (exit ${String(code)})`, { fix: `read ${proc.logFile}` })
  }
  return { wallMs: Date.now() - began, logFile: proc.logFile }
}
