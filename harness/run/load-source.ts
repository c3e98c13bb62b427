import type { ScheduledEvent, Topic, TruthKind, TruthSink } from '../../generators/index.ts'
import type { Producer } from '../kafka/index.ts'
import { OpenLoopPacer, type PacerReport } from './pacer.ts'
import { hotPartitionKey } from './hot-partition.ts'

/**
 * What the main thread keeps of the load, whichever thread produced it: the session's bookkeeping. The in-process
 * load calls it per record; the worker load replays each worker's buffered calls into it (load-workers.ts).
 */
export interface LoadBook {
  /** `count` records of `topic` (suffix) were handed to the producer. */
  handed(topic: Topic, count: number): void
  /**
   * A usage record (`cdr`, with an id) was handed to the producer; `unparsable` is its value when it was injected bad
   * input, else null; `key` and `eventTimeMs` are the record's (the served sampler reads the record back by them).
   */
  usageHanded(id: string, sendOffsetNs: number, unparsable: string | null, key: string | null, eventTimeMs: number): void
  /** The broker acknowledged `count` records of `topic` (full name) at monotonic `ackNs`. */
  acked(topic: string, count: number, ackNs: bigint): void
  /** Usage ids whose send failed for good: they never reached `cdr`. */
  usageUnsent(ids: string[]): void
  /** A send attempt of `count` records of `topic` (full name) failed at monotonic `atNs` (retried or not): the produce side of availability. */
  attemptFailed(topic: string, count: number, atNs: bigint): void
}

/** The load of a run, produced in this thread or in worker threads; both expose the same live figures. */
export interface LoadSource {
  /** Live: records handed to the producer so far and the merged schedule-delay and produce histograms. */
  readonly report: PacerReport
  /** Generator-restart fault: every producer opens a new session for its next batch. */
  requestProducerRestart(): void
  /** Sends the whole schedule (or until the signal); resolves with the final figures. */
  run(): Promise<PacerReport>
}

/** Remembers which ids the generator injected as bad input while passing every truth record on. */
export class InjectionTracker implements TruthSink {
  private readonly injected = new Set<string>()
  private readonly next: TruthSink

  constructor(next: TruthSink) {
    this.next = next
  }

  write(kind: TruthKind, record: object): void {
    if (kind === 'injection') {
      const id = (record as { id?: unknown }).id
      if (typeof id === 'string') this.injected.add(id)
    }
    this.next.write(kind, record)
  }

  has(id: string): boolean {
    return this.injected.has(id)
  }
}

/** What one shard's pacer needs besides its events; the same for this thread and a worker. */
export interface ShardPacerOptions {
  topicPrefix: string
  runStartNs: bigint
  warmupNs: bigint
  newProducer: () => Promise<Producer>
  signal: AbortSignal
  retryForMs?: number
  /** Share of subscribers whose usage records all go to one partition (scenario load.hotPartitionShare). @default 0 */
  hotPartitionShare?: number
}

/**
 * The one pacer set up for one shard of the stream: every callback goes to `book`. An event's truth is written
 * (through `injections`) while the stream makes it, so by `onSent` the tracker knows whether it is injected input.
 */
export function shardPacer(events: Iterable<ScheduledEvent>, encode: (event: ScheduledEvent, runStartNs: bigint) => string, injections: InjectionTracker, o: ShardPacerOptions, book: LoadBook): OpenLoopPacer<ScheduledEvent> {
  return new OpenLoopPacer({
    events,
    encode,
    topicName: (suffix) => `${o.topicPrefix}${suffix}`,
    runStartNs: o.runStartNs,
    warmupNs: o.warmupNs,
    signal: o.signal,
    newProducer: o.newProducer,
    ...(o.retryForMs !== undefined ? { retryForMs: o.retryForMs } : {}),
    ...(o.hotPartitionShare !== undefined && o.hotPartitionShare > 0 ? { recordKey: hotPartitionKey(o.hotPartitionShare) } : {}),
    onSent: (event, value) => {
      book.handed(event.topic, 1)
      if (event.topic !== 'cdr' || event.id === null) return
      book.usageHanded(event.id, event.sendOffsetNs, injections.has(event.id) ? value : null, event.key, event.eventTimeMs)
    },
    onAcked: (topic, count, ackNs) => {
      book.acked(topic, count, ackNs)
    },
    onAttemptFailed: (topic, count, atNs) => {
      book.attemptFailed(topic, count, atNs)
    },
    onSendFailed: (events) => {
      const ids: string[] = []
      for (const e of events) if (e.topic === 'cdr' && e.id !== null) ids.push(e.id)
      if (ids.length > 0) book.usageUnsent(ids)
    },
  })
}

/** The whole stream produced in this thread (`generatorWorkers: 1`): the pacer's own report is the live one. */
export class InProcessLoad implements LoadSource {
  private readonly pacer: OpenLoopPacer<ScheduledEvent>

  constructor(events: (truth: TruthSink) => Iterable<ScheduledEvent>, encode: (event: ScheduledEvent, runStartNs: bigint) => string, truth: TruthSink, o: ShardPacerOptions, book: LoadBook) {
    const injections = new InjectionTracker(truth)
    this.pacer = shardPacer(events(injections), encode, injections, o, book)
  }

  get report(): PacerReport {
    return this.pacer.report
  }

  requestProducerRestart(): void {
    this.pacer.requestProducerRestart()
  }

  run(): Promise<PacerReport> {
    return this.pacer.run()
  }
}

/** A worker's {@link LoadBook} calls since its last flush, as plain data a thread can post. */
export interface BookPart {
  handed: [Topic, number][]
  usageIds: string[]
  usageOffsetsNs: number[]
  usageKeys: (string | null)[]
  usageEventTimesMs: number[]
  /** [index into usageIds, the record's value] of injected bad input. */
  unparsable: [number, string][]
  acked: [string, number, bigint][]
  unsent: string[]
  attemptsFailed: [string, number, bigint][]
}

/** Collects {@link LoadBook} calls in a worker; `take()` hands them over as one part and starts a new one. */
export class BookBuffer implements LoadBook {
  private part: BookPart = emptyPart()
  private readonly handedCounts = new Map<Topic, number>()

  handed(topic: Topic, count: number): void {
    this.handedCounts.set(topic, (this.handedCounts.get(topic) ?? 0) + count)
  }

  usageHanded(id: string, sendOffsetNs: number, unparsable: string | null, key: string | null, eventTimeMs: number): void {
    if (unparsable !== null) this.part.unparsable.push([this.part.usageIds.length, unparsable])
    this.part.usageIds.push(id)
    this.part.usageOffsetsNs.push(sendOffsetNs)
    this.part.usageKeys.push(key)
    this.part.usageEventTimesMs.push(eventTimeMs)
  }

  acked(topic: string, count: number, ackNs: bigint): void {
    this.part.acked.push([topic, count, ackNs])
  }

  usageUnsent(ids: string[]): void {
    this.part.unsent.push(...ids)
  }

  attemptFailed(topic: string, count: number, atNs: bigint): void {
    this.part.attemptsFailed.push([topic, count, atNs])
  }

  /** The calls since the last take, or null when there were none. */
  take(): BookPart | null {
    const part = this.part
    part.handed = [...this.handedCounts]
    if (part.handed.length === 0 && part.acked.length === 0 && part.unsent.length === 0 && part.attemptsFailed.length === 0) return null
    this.part = emptyPart()
    this.handedCounts.clear()
    return part
  }
}

function emptyPart(): BookPart {
  return { handed: [], usageIds: [], usageOffsetsNs: [], usageKeys: [], usageEventTimesMs: [], unparsable: [], acked: [], unsent: [], attemptsFailed: [] }
}

/** Replays a worker's part into the main thread's book, call for call in the order each kind was made. */
export function replayBookPart(part: BookPart, book: LoadBook): void {
  for (const [topic, count] of part.handed) book.handed(topic, count)
  let next = 0
  for (let i = 0; i < part.usageIds.length; i++) {
    const bad = part.unparsable[next]
    const unparsable = bad !== undefined && bad[0] === i ? bad[1] : null
    if (unparsable !== null) next++
    book.usageHanded(part.usageIds[i] as string, part.usageOffsetsNs[i] as number, unparsable, part.usageKeys[i] ?? null, part.usageEventTimesMs[i] as number)
  }
  for (const [topic, count, ackNs] of part.acked) book.acked(topic, count, ackNs)
  if (part.unsent.length > 0) book.usageUnsent(part.unsent)
  for (const [topic, count, atNs] of part.attemptsFailed) book.attemptFailed(topic, count, atNs)
}

interface StreamSummary {
  scenario: string
  seed: number
  shard: { index: number; count: number }
  events: number
  byTopic: Record<string, number>
}

/**
 * The truth of N shards written as the whole stream's: every record is passed on as it comes, except the shards'
 * `summary` records, which are added up into one whole-stream summary written by `close()` once every shard has
 * sent its own (a stream that did not finish, e.g. an aborted load, writes none, as the in-process stream does).
 */
export class ShardTruthMerger {
  private readonly next: TruthSink
  private readonly shards: number
  private readonly summaries: StreamSummary[] = []

  constructor(next: TruthSink, shards: number) {
    this.next = next
    this.shards = shards
  }

  write(kind: TruthKind, record: object): void {
    if (kind === 'summary') this.summaries.push(record as StreamSummary)
    else this.next.write(kind, record)
  }

  close(): void {
    const first = this.summaries[0]
    if (first === undefined || this.summaries.length < this.shards) return
    const byTopic: Record<string, number> = {}
    for (const s of this.summaries) for (const [topic, n] of Object.entries(s.byTopic)) byTopic[topic] = (byTopic[topic] ?? 0) + n
    const events = this.summaries.reduce((sum, s) => sum + s.events, 0)
    this.next.write('summary', { scenario: first.scenario, seed: first.seed, shard: { index: 0, count: 1 }, events, byTopic })
  }
}
