/**
 * A generator worker thread: once started with its shard, produces it (shard-producer.ts) and posts its parts to
 * the main thread. Started by load-workers.ts; never imported by anything else.
 */
import { parentPort } from 'node:worker_threads'
import type { ScheduledEvent } from '../../generators/index.ts'
import { createKafkaClient } from '../kafka/index.ts'
import type { FromWorker, ToWorker, WorkerInput } from './load-messages.ts'
import type { OpenLoopPacer } from './pacer.ts'
import { produceShard } from './shard-producer.ts'

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
  const client = createKafkaClient(input.kafkaClient, input.kafka)
  try {
    await produceShard(
      // A thread shares its process's monotonic clock with the run.
      { scenario: input.scenario, shard: input.shard, runStartNs: input.runStartNs, stampStartNs: input.runStartNs, warmupNs: input.warmupNs, topicPrefix: input.topicPrefix, newProducer: () => client.producer(input.producer), signal: controller.signal },
      post,
      (p) => {
        pacer = p
      },
    )
  } finally {
    port.close()
  }
}
