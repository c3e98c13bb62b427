import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { TelcobenchError } from '../errors.ts'
import type { JavaInfo } from './java.ts'
import { readClasspath } from './maven.ts'
import { flinkClasspathFile, flinkJobJar, jvmTmpDir } from './paths.ts'
import { spawnManaged, type ManagedProcess } from './processes.ts'
import type { SparkJobConfig } from './spark-job.ts'

/** What only the Flink job reads from the job config (its `flink` object, docs/contracts.md "Job config"). */
export interface FlinkJobSettings {
  /** Task slots and operator parallelism of the embedded cluster: one per core of the build machines. */
  parallelism: number
  /** How often Flink checkpoints; under exactly-once it is also how often output becomes visible (transactions commit on checkpoints). */
  checkpointIntervalMs: number
  /** How often the job publishes a progress record per query. */
  progressIntervalMs: number
}

/**
 * 1 s checkpoints: exactly-once output reaches read_committed readers only when a checkpoint completes, so the
 * interval bounds its latency (about half of it on average); shorter intervals cost CPU on 2 cores.
 */
export const defaultFlinkSettings: FlinkJobSettings = { parallelism: 2, checkpointIntervalMs: 1000, progressIntervalMs: 2000 }

export interface FlinkJobOptions {
  java: JavaInfo
  config: SparkJobConfig
  workDir: string
  logDir: string
  heap?: string
  readyTimeoutMs?: number
}

/** The Flink streaming job (an embedded cluster in one JVM) as a child JVM: start, crash, restart from its latest checkpoint, stop. */
export class FlinkStreamingJob {
  readonly options: FlinkJobOptions
  process: ManagedProcess | null = null
  readonly configFile: string
  startupMs = 0
  restarts = 0

  constructor(options: FlinkJobOptions) {
    this.options = options
    this.configFile = join(options.workDir, 'flink-job.json')
    writeFileSync(this.configFile, JSON.stringify(options.config, null, 2))
  }

  private args(): string[] {
    const o = this.options
    const heap = o.heap ?? '2g'
    const tmpDir = jvmTmpDir(o.workDir)
    mkdirSync(tmpDir, { recursive: true })
    return [
      `-Xms${heap}`,
      `-Xmx${heap}`,
      // Flink's blob store, web and RocksDB folders follow java.io.tmpdir: inside the run folder.
      `-Djava.io.tmpdir=${tmpDir}`,
      '-XX:+UseG1GC',
      '-cp',
      `${flinkJobJar}:${readClasspath(flinkClasspathFile)}`,
      'telcobench.flink.FlinkStreamingApp',
      '--config',
      this.configFile,
    ]
  }

  /** Starts the JVM; resolves once it prints TELCOBENCH_READY (every task of the job is running). */
  async start(): Promise<void> {
    const o = this.options
    const began = Date.now()
    let ready = false
    const proc = spawnManaged({
      name: 'flink-streaming',
      command: o.java.bin,
      args: this.args(),
      logFile: join(o.logDir, 'flink-streaming.log'),
      onLine: (line) => {
        if (line.includes('TELCOBENCH_READY')) ready = true
      },
    })
    this.process = proc
    const timeoutMs = o.readyTimeoutMs ?? 120_000
    while (Date.now() < began + timeoutMs) {
      if (ready) {
        this.startupMs = Date.now() - began
        return
      }
      if (!proc.isRunning()) {
        throw new TelcobenchError('TB_INFRA_UNAVAILABLE', `the Flink streaming job exited during start-up (exit ${String(await proc.exited)})`, { fix: `read ${proc.logFile}` })
      }
      await new Promise((r) => setTimeout(r, 200))
    }
    await proc.stop(5_000)
    throw new TelcobenchError('TB_INFRA_UNAVAILABLE', `the Flink streaming job was not running within ${Math.round(timeoutMs / 1000)} s`, { fix: `read ${proc.logFile}` })
  }

  /** Crash fault: SIGKILL the JVM (job manager, task manager and every task die together). */
  async kill(): Promise<void> {
    await this.process?.kill()
  }

  /** Restart with the same config: the job resumes from the newest complete checkpoint in the run's checkpoint folder. */
  async restart(): Promise<void> {
    this.restarts++
    await this.start()
  }

  async stop(graceMs = 20_000): Promise<void> {
    await this.process?.stop(graceMs)
  }
}
