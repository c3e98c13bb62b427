import { createEventStream, encodeValue, type ResolvedScenario, type ScheduledEvent, type Shard, type TruthKind } from '../../generators/index.ts'
import type { Producer } from '../kafka/index.ts'
import { drainRecorder } from '../measure/histograms.ts'
import { flushMs, type FromWorker } from './load-messages.ts'
import { BookBuffer, InjectionTracker, shardPacer, type BookPart } from './load-source.ts'
import type { OpenLoopPacer } from './pacer.ts'

/** One shard of a run's stream, produced apart from the run's thread: in a worker thread or on another host. */
export interface ShardRun {
  scenario: ResolvedScenario
  shard: Shard
  /** This process's monotonic ns at which the schedule starts. */
  runStartNs: bigint
  /** The run's monotonic ns for the same instant, stamped into the records (the run times them on its clock). */
  stampStartNs: bigint
  warmupNs: bigint
  topicPrefix: string
  newProducer: () => Promise<Producer>
  signal: AbortSignal
}

/**
 * Generates, encodes and produces the shard with the pacer a one-thread run uses, and posts what the run keeps
 * (book calls, truth, histogram parts) every {@link flushMs}, then `done` with the figures or `failed`. The book's
 * clock readings are moved onto the run's clock. `started` gets the pacer, for generator-restart faults.
 */
export async function produceShard(run: ShardRun, post: (message: Exclude<FromWorker, { type: 'ready' }>) => void, started: (pacer: OpenLoopPacer<ScheduledEvent>) => void): Promise<void> {
  const truth: [TruthKind, object][] = []
  const injections = new InjectionTracker({
    write: (kind, record) => {
      truth.push([kind, record])
    },
  })
  const book = new BookBuffer()
  const shift = run.stampStartNs - run.runStartNs
  const onRunClock = (part: BookPart | null): BookPart | null =>
    part === null || shift === 0n ? part : { ...part, acked: part.acked.map(([t, n, ns]) => [t, n, ns + shift]), attemptsFailed: part.attemptsFailed.map(([t, n, ns]) => [t, n, ns + shift]) }
  const p = shardPacer(
    createEventStream(run.scenario, { shard: run.shard, truth: injections }),
    (event) => encodeValue(event, run.stampStartNs),
    injections,
    { topicPrefix: run.topicPrefix, runStartNs: run.runStartNs, warmupNs: run.warmupNs, signal: run.signal, newProducer: run.newProducer, hotPartitionShare: run.scenario.load.hotPartitionShare },
    book,
  )
  started(p)
  const flush = (): void => {
    const r = p.report
    post({
      type: 'part',
      book: onRunClock(book.take()),
      truth: truth.splice(0),
      histograms: { scheduleDelay: drainRecorder(r.scheduleDelay), produceService: drainRecorder(r.produceService), produceResponse: drainRecorder(r.produceResponse) },
      sent: r.sent,
      sendRetries: r.sendRetries,
    })
  }
  const timer = setInterval(flush, flushMs)
  try {
    const r = await p.run()
    flush()
    post({ type: 'done', figures: { sent: r.sent, sendErrors: r.sendErrors, sendRetries: r.sendRetries, producerSessions: r.producerSessions, wallNs: r.wallNs } })
  } catch (error) {
    post({ type: 'failed', message: error instanceof Error ? (error.stack ?? error.message) : String(error) })
  } finally {
    clearInterval(timer)
  }
}
