import type { ResolvedScenario, Shard, TruthKind } from '../../generators/index.ts'
import type { KafkaClientKind, KafkaConnection, ProducerOptions } from '../kafka/index.ts'
import type { EncodedRecorderPart } from '../measure/histograms.ts'
import type { PacerFigures } from '../score/score-run.ts'
import type { BookPart } from './load-source.ts'

/**
 * How often a generator worker posts its part: often enough that the main thread's per-second histograms are
 * complete a fraction of a second after their second ends (the abortOnFail watch reads them every second).
 */
export const flushMs = 200

/** What a generator worker is told to produce, once it is ready (structured-cloned: plain data only). */
export interface WorkerInput {
  scenario: ResolvedScenario
  shard: Shard
  /** The run's clock origin on the monotonic clock every thread of the process shares. */
  runStartNs: bigint
  warmupNs: bigint
  topicPrefix: string
  kafkaClient: KafkaClientKind
  kafka: KafkaConnection
  producer: ProducerOptions
}

/** Main thread → worker. */
export type ToWorker = { type: 'start'; input: WorkerInput } | { type: 'restart' } | { type: 'abort' }

/** Worker → main thread. */
export type FromWorker =
  | { type: 'ready' }
  | {
      type: 'part'
      book: BookPart | null
      truth: [TruthKind, object][]
      histograms: { scheduleDelay: EncodedRecorderPart; produceService: EncodedRecorderPart; produceResponse: EncodedRecorderPart }
      /** The worker's running totals. */
      sent: number
      sendRetries: number
    }
  | { type: 'done'; figures: PacerFigures }
  | { type: 'failed'; message: string }
