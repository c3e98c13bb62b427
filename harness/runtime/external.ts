import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { TelcobenchError } from '../errors.ts'
import { sparkJobJar } from './paths.ts'
import { spawnManaged, type ManagedProcess } from './processes.ts'
import type { SparkJobConfig } from './spark-job.ts'

/** How to reach a Spark cluster with spark-submit (external runtime). */
export interface SparkSubmitSettings {
  /** The spark-submit executable. @default "spark-submit" */
  command: string
  /** `spark://host:7077`, `yarn`, `k8s://https://…` or `local[4]`. */
  master: string
  /** Extra spark-submit arguments, e.g. ["--deploy-mode","client","--conf","spark.executor.cores=2"]. */
  extraArgs: string[]
  /** Spark version of the cluster, for the Kafka connector package. @default "4.1.1" */
  sparkVersion: string
}

/** spark-submit command line for a telcobench job on a cluster (documented in README "Real cluster"). */
export function sparkSubmitArgs(s: SparkSubmitSettings, mainClass: string, jobArgs: string[], jvmOptions: readonly string[] = []): string[] {
  const options = jvmOptions.join(' ')
  return [
    '--class',
    mainClass,
    '--master',
    s.master,
    '--packages',
    `org.apache.spark:spark-sql-kafka-0-10_2.13:${s.sparkVersion}`,
    ...(jvmOptions.length > 0 ? ['--driver-java-options', options, '--conf', `spark.executor.extraJavaOptions=${options}`] : []),
    ...s.extraArgs,
    sparkJobJar,
    ...jobArgs,
  ]
}

/** The streaming app submitted to an existing Spark cluster; the local spark-submit process is the handle. */
export class SparkSubmitStreamingJob {
  process: ManagedProcess | null = null
  startupMs = 0
  restarts = 0
  readonly configFile: string
  private readonly settings: SparkSubmitSettings
  private readonly logDir: string
  private readonly jvmOptions: readonly string[]

  /** `jvmOptions` (scenario `spark.jvmOptions`) go to the driver and the executors. */
  constructor(settings: SparkSubmitSettings, config: SparkJobConfig, workDir: string, logDir: string, jvmOptions: readonly string[] = []) {
    this.settings = settings
    this.logDir = logDir
    this.jvmOptions = jvmOptions
    this.configFile = join(workDir, 'spark-job.json')
    writeFileSync(this.configFile, JSON.stringify(config, null, 2))
  }

  async start(): Promise<void> {
    const began = Date.now()
    let ready = false
    const proc = spawnManaged({
      name: 'spark-submit',
      command: this.settings.command,
      args: sparkSubmitArgs(this.settings, 'telcobench.spark.StreamingApp', ['--config', this.configFile], this.jvmOptions),
      logFile: join(this.logDir, 'spark-submit.log'),
      onLine: (line) => {
        if (line.includes('TELCOBENCH_READY')) ready = true
      },
    })
    this.process = proc
    while (Date.now() - began < 300_000) {
      if (ready) {
        this.startupMs = Date.now() - began
        return
      }
      if (!proc.isRunning()) {
        throw new TelcobenchError('TB_INFRA_UNAVAILABLE', `spark-submit exited before the job started (exit ${String(await proc.exited)})`, {
          fix: `read ${proc.logFile}; check --spark-master and that ${this.settings.command} is on PATH`,
        })
      }
      await new Promise((r) => setTimeout(r, 500))
    }
    await proc.stop()
    throw new TelcobenchError('TB_INFRA_UNAVAILABLE', 'the Spark job on the cluster did not start within 300 s', { fix: `read ${proc.logFile}` })
  }

  async kill(): Promise<void> {
    await this.process?.kill()
  }

  async restart(): Promise<void> {
    this.restarts++
    await this.start()
  }

  async stop(graceMs = 30_000): Promise<void> {
    await this.process?.stop(graceMs)
  }
}
