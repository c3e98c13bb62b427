import { Worker } from 'node:worker_threads'
import type { ResolvedScenario, TruthSink } from '../../generators/index.ts'
import type { KafkaClientKind, KafkaConnection, ProducerOptions } from '../kafka/index.ts'
import { LatencyRecorder, mergeRecorderPart } from '../measure/histograms.ts'
import type { PacerFigures } from '../score/score-run.ts'
import type { FromWorker, ToWorker, WorkerInput } from './load-messages.ts'
import { replayBookPart, ShardTruthMerger, type LoadBook, type LoadSource } from './load-source.ts'
import type { PacerReport } from './pacer.ts'
import type { AgentPart, RemoteShards } from './remote-shards.ts'

/**
 * The worker thread's module: the TypeScript source under tsx or vitest (through a bootstrap that registers tsx in
 * the new thread, which does not inherit the parent's loader), the bundled file next to dist/cli, dist/api and
 * dist/chunks in the built CLI (scripts/build-cli.mjs builds it as dist/run/load-worker.js).
 */
export function workerEntry(moduleUrl: string = import.meta.url): URL {
  if (moduleUrl.endsWith('.ts')) return new URL('./load-worker-tsx.mjs', moduleUrl)
  return new URL('../run/load-worker.js', moduleUrl)
}

/**
 * N generator worker threads, started before the run fixes its clock: loading the modules takes a while (seconds
 * under tsx), and a worker still loading when its first records are due would show as schedule delay.
 */
export class GeneratorWorkerPool {
  readonly threads: Worker[]
  /** Resolves when every worker has loaded; rejects when one failed to. */
  readonly ready: Promise<void>

  constructor(size: number) {
    this.threads = Array.from({ length: size }, () => new Worker(workerEntry()))
    this.ready = Promise.all(
      this.threads.map(
        (t, i) =>
          new Promise<void>((resolve, reject) => {
            const failed = (why: string): void => {
              reject(new Error(`generator worker ${i + 1}/${size} did not start: ${why}`))
            }
            t.once('message', (m: FromWorker) => {
              if (m.type === 'ready') resolve()
              else failed(`unexpected first message ${m.type}`)
            })
            t.once('error', (e) => {
              failed(e.stack ?? e.message)
            })
            t.once('exit', (code) => {
              failed(`exited with code ${code}`)
            })
          }),
      ),
    ).then(() => undefined)
    // A pool nobody ran (the run failed before its load) must not leave an unhandled rejection behind.
    this.ready.catch(() => undefined)
  }

  get size(): number {
    return this.threads.length
  }

  tell(message: ToWorker): void {
    for (const t of this.threads) t.postMessage(message)
  }

  async terminate(): Promise<void> {
    await Promise.all(this.threads.map((t) => t.terminate()))
  }
}

/** What every generator worker of a run shares. */
export interface WorkerLoadOptions {
  scenario: ResolvedScenario
  runStartNs: bigint
  warmupNs: bigint
  topicPrefix: string
  kafkaClient: KafkaClientKind
  kafka: KafkaConnection
  producer: ProducerOptions
  /** Stops every worker's load (run interrupted, broker dead, abortOnFail). */
  signal: AbortSignal
}

/** An agent that posted nothing for this long (it posts every {@link flushMs}) is gone. */
const agentSilenceMs = 30_000

/**
 * The stream produced by the pool's N worker threads, worker i sending shard i/(N+M) (lanes with lane mod (N+M) = i)
 * on the run's one clock, and by M generator agents on other hosts, agent j sending shard N+j. The main thread
 * replays each one's parts into the session's book and truth and merges their histograms into its own recorders,
 * which are the live report (abortOnFail, progress) and the final one.
 */
export class WorkerLoad implements LoadSource {
  readonly report: PacerReport
  private readonly o: WorkerLoadOptions
  private readonly pool: GeneratorWorkerPool
  private readonly remote: RemoteShards | null
  private readonly shards: number
  private readonly truth: ShardTruthMerger
  private readonly book: LoadBook
  private readonly sent: number[]
  private readonly retries: number[]

  constructor(pool: GeneratorWorkerPool, o: WorkerLoadOptions, truth: TruthSink, book: LoadBook, remote: RemoteShards | null = null) {
    this.o = o
    this.pool = pool
    this.remote = remote
    this.shards = pool.size + (remote?.agents ?? 0)
    this.truth = new ShardTruthMerger(truth, this.shards)
    this.book = book
    this.sent = new Array<number>(this.shards).fill(0)
    this.retries = new Array<number>(this.shards).fill(0)
    this.report = {
      sent: 0,
      sendErrors: 0,
      sendRetries: 0,
      producerSessions: 0,
      scheduleDelay: new LatencyRecorder('schedule_delay', o.runStartNs, o.warmupNs),
      produceService: new LatencyRecorder('produce_service', o.runStartNs, o.warmupNs),
      produceResponse: new LatencyRecorder('produce_response', o.runStartNs, o.warmupNs),
      wallNs: 0,
    }
  }

  requestProducerRestart(): void {
    this.pool.tell({ type: 'restart' })
    void this.remote?.tell('restart').catch(() => undefined)
  }

  async run(): Promise<PacerReport> {
    const began = process.hrtime.bigint()
    await this.pool.ready
    const stop = (): void => {
      this.pool.tell({ type: 'abort' })
      void this.remote?.tell('abort').catch(() => undefined)
    }
    this.o.signal.addEventListener('abort', stop, { once: true })
    try {
      // A worker that failed stops the others: the run ends with its error, not after the whole schedule.
      const stopOnFailure = (error: unknown): never => {
        stop()
        throw error
      }
      const done = [
        ...this.pool.threads.map((t, i) => this.runWorker(t, i).catch(stopOnFailure)),
        ...Array.from({ length: this.remote?.agents ?? 0 }, (_, agent) => this.runAgent(agent).catch(stopOnFailure)),
      ]
      if (this.o.signal.aborted) stop()
      const figures = await Promise.allSettled(done)
      const failed = figures.find((f) => f.status === 'rejected')
      if (failed !== undefined) throw failed.reason
      figures.forEach((f, i) => {
        if (f.status === 'fulfilled') this.addFigures(i, f.value)
      })
      this.truth.close()
      this.report.wallNs = Number(process.hrtime.bigint() - began)
      return this.report
    } finally {
      this.o.signal.removeEventListener('abort', stop)
      await this.pool.terminate()
    }
  }

  private addFigures(index: number, f: PacerFigures): void {
    const r = this.report
    r.sendErrors += f.sendErrors
    r.producerSessions += f.producerSessions
    this.sent[index] = f.sent
    this.retries[index] = f.sendRetries
    this.sumRunning()
  }

  private sumRunning(): void {
    this.report.sent = this.sent.reduce((a, b) => a + b, 0)
    this.report.sendRetries = this.retries.reduce((a, b) => a + b, 0)
  }

  /** Starts worker `index` on its shard; resolves with its final figures once it has posted everything. */
  private runWorker(thread: Worker, index: number): Promise<PacerFigures> {
    const o = this.o
    const count = this.shards
    const input: WorkerInput = { scenario: o.scenario, shard: { index, count }, runStartNs: o.runStartNs, warmupNs: o.warmupNs, topicPrefix: o.topicPrefix, kafkaClient: o.kafkaClient, kafka: o.kafka, producer: o.producer }
    return new Promise<PacerFigures>((resolve, reject) => {
      let finished = false
      thread.on('message', (message: FromWorker) => {
        try {
          if (message.type === 'part') this.absorb(index, message)
          else if (message.type === 'done') {
            // Messages arrive in the order posted: every part came before this.
            finished = true
            resolve(message.figures)
          }
          else if (message.type === 'failed') reject(new Error(`generator worker ${index + 1}/${count} failed: ${message.message}`))
        } catch (error) {
          reject(error instanceof Error ? error : new Error(String(error)))
        }
      })
      thread.on('error', (error) => {
        reject(new Error(`generator worker ${index + 1}/${count} failed: ${error.stack ?? error.message}`))
      })
      thread.on('exit', (code) => {
        if (!finished) reject(new Error(`generator worker ${index + 1}/${count} exited (code ${code}) before it finished its shard`))
      })
      thread.postMessage({ type: 'start', input } satisfies ToWorker)
    })
  }

  /** Follows agent `agent`'s feed (shard pool.size + agent); resolves with its final figures once it has posted everything. */
  private runAgent(agent: number): Promise<PacerFigures> {
    const remote = this.remote
    if (remote === null) return Promise.reject(new Error('no generator agents'))
    const index = this.pool.size + agent
    const name = (): string => `generator agent ${agent + 1}/${remote.agents} (shard ${index + 1}/${this.shards}, on ${remote.hostOf(agent)})`
    return new Promise<PacerFigures>((resolve, reject) => {
      let lastHeard = Date.now()
      const watch = setInterval(() => {
        if (Date.now() - lastHeard < agentSilenceMs) return
        clearInterval(watch)
        reject(new Error(`${name()} posted nothing for ${agentSilenceMs / 1000} s: its host or its connection to the broker is gone`))
      }, 1000)
      remote.feed(agent, (message: AgentPart) => {
        lastHeard = Date.now()
        try {
          if (message.type === 'part') this.absorb(index, message)
          else {
            clearInterval(watch)
            if (message.type === 'done') resolve(message.figures)
            else reject(new Error(`${name()} failed: ${message.message}`))
          }
        } catch (error) {
          clearInterval(watch)
          reject(error instanceof Error ? error : new Error(String(error)))
        }
      })
    })
  }

  private absorb(index: number, part: Extract<FromWorker, { type: 'part' }>): void {
    for (const [kind, record] of part.truth) this.truth.write(kind, record)
    if (part.book !== null) replayBookPart(part.book, this.book)
    const r = this.report
    mergeRecorderPart(r.scheduleDelay, part.histograms.scheduleDelay)
    mergeRecorderPart(r.produceService, part.histograms.produceService)
    mergeRecorderPart(r.produceResponse, part.histograms.produceResponse)
    this.sent[index] = part.sent
    this.retries[index] = part.sendRetries
    this.sumRunning()
  }
}
