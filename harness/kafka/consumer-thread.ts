/**
 * A consumer thread: runs one consumer of either adapter and posts every batch to the main thread, each record
 * stamped with the moment its fetch response arrived here. Started by threaded-consumer.ts; never imported by
 * anything else.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { TelcobenchError } from '../errors.ts'
import type { ConsumerThreadInput, FromConsumerThread, RecordHeader, ThreadError, ToConsumerThread } from './consumer-thread-messages.ts'
import { createKafkaClient } from './index.ts'
import type { Consumer, InRecord } from './port.ts'

if (parentPort === null) throw new Error('consumer-thread.ts runs as a worker thread only')
const port = parentPort
const input = workerData as ConsumerThreadInput

const post = (message: FromConsumerThread, transfer: ArrayBuffer[] = []): void => {
  port.postMessage(message, transfer)
}

function threadError(error: unknown): ThreadError {
  if (error instanceof TelcobenchError) {
    const bootstrap = (error as TelcobenchError & { bootstrap?: unknown }).bootstrap
    return { message: error.message, code: error.code, ...(error.fix === undefined ? {} : { fix: error.fix }), ...(typeof bootstrap === 'string' ? { bootstrap } : {}) }
  }
  return { message: error instanceof Error ? error.message : String(error) }
}

/** Copies the batch's values into one buffer, transferred rather than cloned record by record. */
function postBatch(records: InRecord[]): void {
  let total = 0
  for (const r of records) total += r.value.length
  const values = new ArrayBuffer(total)
  const bytes = new Uint8Array(values)
  const headers: RecordHeader[] = []
  let at = 0
  for (const r of records) {
    bytes.set(r.value, at)
    headers.push({ topic: r.topic, partition: r.partition, offset: r.offset, key: r.key, timestampMs: r.timestampMs, receivedNs: r.receivedNs, start: at, length: r.value.length })
    at += r.value.length
  }
  post({ type: 'batch', records: headers, values }, [values])
}

let consumer: Consumer | null = null
let closeAsked = false
port.on('message', (message: ToConsumerThread) => {
  if (message.type !== 'close') return
  closeAsked = true
  void consumer?.close()
})

try {
  consumer = await createKafkaClient(input.kind, input.connection).consumer(input.options)
  post({ type: 'ready' })
  if (closeAsked) await consumer.close()
  await consumer.run(postBatch)
  post({ type: 'ended' })
} catch (error) {
  post({ type: 'failed', error: threadError(error) })
  await consumer?.close().catch(() => undefined)
} finally {
  port.close()
}
