import { Worker } from 'node:worker_threads'
import { TelcobenchError } from '../errors.ts'
import type { ConsumerThreadInput, FromConsumerThread, ThreadError, ToConsumerThread } from './consumer-thread-messages.ts'
import type { Consumer, ConsumerOptions, InRecord, KafkaClient, KafkaClientKind, KafkaConnection } from './port.ts'

/**
 * The consumer thread's module: the TypeScript source under tsx or vitest (through a bootstrap that registers tsx
 * in the new thread), the bundled file beside dist/cli, dist/api and dist/chunks in the built CLI
 * (scripts/build-cli.mjs builds it as dist/kafka/consumer-thread.js).
 */
export function consumerThreadEntry(moduleUrl: string = import.meta.url): URL {
  if (moduleUrl.endsWith('.ts')) return new URL('./consumer-thread-tsx.mjs', moduleUrl)
  return new URL('../kafka/consumer-thread.js', moduleUrl)
}

/** How long close() waits for the thread to close its connections before it stops the thread. */
const closeGraceMs = 10_000

function errorOf(e: ThreadError): Error {
  if (e.code === undefined) return new Error(e.message)
  return new TelcobenchError(e.code, e.message, { ...(e.fix === undefined ? {} : { fix: e.fix }), ...(e.bootstrap === undefined ? {} : { bootstrap: e.bootstrap }) })
}

/**
 * A consumer of either adapter that runs in a thread of its own. Records are stamped `receivedNs` there, when their
 * fetch response arrives, so whatever keeps this thread busy (the collector's bookkeeping, garbage collection of
 * its large maps, the work at the end of the load) cannot make output look later than it was read.
 */
export async function consumerInThread(kind: KafkaClientKind, connection: KafkaConnection, options: ConsumerOptions): Promise<Consumer> {
  const input: ConsumerThreadInput = { kind, connection, options }
  const worker = new Worker(consumerThreadEntry(), { workerData: input })
  let onBatch: ((records: InRecord[]) => void) | null = null
  const early: InRecord[][] = []
  let outcome: { ended: true } | { error: Error } | null = null
  let settle: (() => void) | null = null
  let closing = false
  const exited = new Promise<void>((resolve) => {
    worker.once('exit', () => {
      resolve()
    })
  })

  const finish = (result: { ended: true } | { error: Error }): void => {
    outcome ??= result
    settle?.()
  }
  const ready = new Promise<void>((resolve, reject) => {
    worker.on('message', (m: FromConsumerThread) => {
      if (m.type === 'ready') resolve()
      else if (m.type === 'batch') {
        const values = Buffer.from(m.values)
        const records = m.records.map((h): InRecord => ({ topic: h.topic, partition: h.partition, offset: h.offset, key: h.key, value: values.subarray(h.start, h.start + h.length), timestampMs: h.timestampMs, receivedNs: h.receivedNs }))
        if (onBatch === null) early.push(records)
        else onBatch(records)
      } else if (m.type === 'ended') finish({ ended: true })
      else {
        const error = errorOf(m.error)
        reject(error)
        finish({ error })
      }
    })
    worker.once('error', (error) => {
      reject(error)
      finish({ error })
    })
    worker.once('exit', (code) => {
      const error = new Error(`the consumer thread exited (code ${code}) before it was closed`)
      reject(error)
      finish(closing ? { ended: true } : { error })
    })
  })
  await ready

  return {
    run(deliver) {
      onBatch = deliver
      for (const records of early.splice(0)) deliver(records)
      return new Promise<void>((resolve, reject) => {
        settle = () => {
          if (outcome === null) return
          if ('error' in outcome) reject(outcome.error)
          else resolve()
        }
        settle()
      })
    },
    async close() {
      if (closing) return
      closing = true
      worker.postMessage({ type: 'close' } satisfies ToConsumerThread)
      const timer = setTimeout(() => void worker.terminate(), closeGraceMs)
      await exited
      clearTimeout(timer)
    },
  }
}

/** `client` with its consumers run in threads of their own (consumerInThread); producers and admins unchanged. */
export function consumingInThreads(client: KafkaClient, connection: KafkaConnection): KafkaClient {
  return {
    kind: client.kind,
    producer: (o) => client.producer(o),
    consumer: (o) => consumerInThread(client.kind, connection, o),
    admin: () => client.admin(),
  }
}
