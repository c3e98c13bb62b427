/**
 * A generator worker thread: once started with its shard, generates, encodes and produces it with the same pacer a
 * one-thread run uses, and posts what the main thread keeps (book calls, truth, histogram parts) every
 * {@link flushMs}. Started by load-workers.ts; never imported by anything else.
 */
import { parentPort } from 'node:worker_threads'
import { createEventStream, encodeValue, type ScheduledEvent, type TruthKind } from '../../generators/index.ts'
import { createKafkaClient } from '../kafka/index.ts'
import { drainRecorder } from '../measure/histograms.ts'
import { BookBuffer, InjectionTracker, shardPacer } from './load-source.ts'
import { flushMs, type FromWorker, type ToWorker, type WorkerInput } from './load-messages.ts'
import type { OpenLoopPacer } from './pacer.ts'

if (parentPort === null) throw new Error('load-worker.ts runs as a worker thread only')
const port = parentPort
const post = (message: FromWorker): void => {
  port.postMessage(message)
}

const controller = new AbortController()
let pacer: OpenLoopPacer<ScheduledEvent> | null = null

port.on('message', (message: ToWorker) => {
  if (message.type === 'start') void produce(message.input)
  else if (message.type === 'restart') pacer?.requestProducerRestart()
  else controller.abort()
})
// Loaded (the slow part under tsx): the main thread may fix the run's clock now.
post({ type: 'ready' })

async function produce(input: WorkerInput): Promise<void> {
  const truth: [TruthKind, object][] = []
  const injections = new InjectionTracker({
    write: (kind, record) => {
      truth.push([kind, record])
    },
  })
  const book = new BookBuffer()
  const client = createKafkaClient(input.kafkaClient, input.kafka)
  const p = shardPacer(
    createEventStream(input.scenario, { shard: input.shard, truth: injections }),
    encodeValue,
    injections,
    { topicPrefix: input.topicPrefix, runStartNs: input.runStartNs, warmupNs: input.warmupNs, signal: controller.signal, newProducer: () => client.producer(input.producer) },
    book,
  )
  pacer = p
  const flush = (): void => {
    const r = p.report
    post({
      type: 'part',
      book: book.take(),
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
    port.close()
  }
}
