import type { ErrorCode } from '../errors.ts'
import type { ConsumerOptions, KafkaClientKind, KafkaConnection } from './port.ts'

/** What a consumer thread is started with (structured-cloned: plain data only). */
export interface ConsumerThreadInput {
  kind: KafkaClientKind
  connection: KafkaConnection
  options: ConsumerOptions
}

/** A record without its value: the values of a batch travel together in one transferred buffer. */
export interface RecordHeader {
  topic: string
  partition: number
  offset: bigint
  key: string | null
  timestampMs: number
  receivedNs: bigint
  /** Where the value lies in the batch's buffer. */
  start: number
  length: number
}

/** An error as it crosses the thread boundary; a TelcobenchError keeps its code, fix and bootstrap. */
export interface ThreadError {
  message: string
  code?: ErrorCode
  fix?: string
  bootstrap?: string
}

/** Main thread → consumer thread. */
export type ToConsumerThread = { type: 'close' }

/** Consumer thread → main thread. */
export type FromConsumerThread =
  | { type: 'ready' }
  | { type: 'batch'; records: RecordHeader[]; values: ArrayBuffer }
  | { type: 'ended' }
  | { type: 'failed'; error: ThreadError }
