import type { OutRecord, Producer } from '../kafka/index.ts'
import { LatencyRecorder } from '../measure/histograms.ts'

/** What the pacer needs of a generated event (generators' ScheduledEvent satisfies it). */
export interface PacedEvent {
  topic: string
  key: string | null
  /** Logical event id (null for records that have none, e.g. PM counters). */
  id: string | null
  /** Intended send time: ns after run start. */
  sendOffsetNs: number
}

export interface PacerOptions<E extends PacedEvent> {
  events: Iterable<E>
  /** Encodes the Kafka value; `emitNs` must be `runStartNs + sendOffsetNs`. */
  encode: (event: E, runStartNs: bigint) => string
  /** Topic suffix → full topic name. */
  topicName: (suffix: string) => string
  /** Creates a producer (again after a generator-restart fault). */
  newProducer: () => Promise<Producer>
  /** Monotonic ns at which sendOffsetNs = 0. */
  runStartNs: bigint
  /** Sends scheduled in the first warmupNs are kept out of the latency histograms' `whole`. @default 0 */
  warmupNs?: bigint
  /** Largest batch per send call. @default 1000 */
  maxBatch?: number
  /** Sends in flight before the pacer waits (that wait shows up as schedule delay). @default 8 */
  maxInflight?: number
  /** The Kafka key a record is sent with (it picks the partition). @default the event's own key */
  recordKey?: (event: E) => string | null
  /** Called for every event handed to the producer with its encoded value (e.g. to remember ids). */
  onSent?: (event: E, value: string) => void
  /** Called when the broker acknowledged `count` records of `topic` (full topic name), at monotonic `ackNs`. */
  onAcked?: (topic: string, count: number, ackNs: bigint) => void
  /** Called with the events of a send that failed for good (counted in `sendErrors`): they never reached Kafka. */
  onSendFailed?: (events: E[]) => void
  /** Called at each failed send attempt (retried or not) with the records it carried. */
  onAttemptFailed?: (topic: string, count: number, atNs: bigint) => void
  /** How long a failed send is retried before its records count as send errors. @default 120000 */
  retryForMs?: number
  /** Stop early (run aborted, or the broker died): no new sends, and failed sends are not retried. */
  signal?: AbortSignal
}

/** How well the generator held its schedule. */
export interface PacerReport {
  sent: number
  /** Records that could not be sent before the retry deadline (they never reached Kafka). */
  sendErrors: number
  /** Record re-sends after a failed attempt (broker down or paused). */
  sendRetries: number
  producerSessions: number
  /** ns: intended send → handed to the client. */
  scheduleDelay: LatencyRecorder
  /** ns: handed to the client → acknowledged (service time). */
  produceService: LatencyRecorder
  /** ns: intended send → acknowledged (response time, coordinated-omission free). */
  produceResponse: LatencyRecorder
  wallNs: number
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

/**
 * Open-loop load: events go out at their intended times whatever the broker does. The pacer never
 * awaits per event; it batches what is due, keeps up to `maxInflight` sends in flight, and records
 * how far each send lagged its schedule.
 */
export class OpenLoopPacer<E extends PacedEvent> {
  private readonly o: PacerOptions<E>
  private producer: Promise<Producer> | null = null
  private readonly inflight = new Set<Promise<void>>()
  private restartRequested = false
  readonly report: PacerReport

  constructor(options: PacerOptions<E>) {
    this.o = options
    this.report = {
      sent: 0,
      sendErrors: 0,
      sendRetries: 0,
      producerSessions: 0,
      scheduleDelay: new LatencyRecorder('schedule_delay', options.runStartNs, options.warmupNs ?? 0n),
      produceService: new LatencyRecorder('produce_service', options.runStartNs, options.warmupNs ?? 0n),
      produceResponse: new LatencyRecorder('produce_response', options.runStartNs, options.warmupNs ?? 0n),
      wallNs: 0,
    }
  }

  /** Generator-restart fault: the next batch goes through a brand-new producer session. */
  requestProducerRestart(): void {
    this.restartRequested = true
  }

  /** Single-flight: concurrent callers share one producer (and one restart). */
  private ensureProducer(): Promise<Producer> {
    if (this.restartRequested && this.producer !== null) {
      this.restartRequested = false
      const old = this.producer
      return this.cacheProducer(
        (async () => {
          await old.then((p) => p.close()).catch(() => undefined)
          this.report.producerSessions++
          return this.o.newProducer()
        })(),
      )
    }
    if (this.producer !== null) return this.producer
    this.report.producerSessions++
    return this.cacheProducer(this.o.newProducer())
  }

  /**
   * A session that could not be opened (the broker down when a generator restart asked for a new one) must not stay
   * cached: every later send would get the same rejection and the load would fail for good. The next attempt opens
   * another.
   */
  private cacheProducer(opening: Promise<Producer>): Promise<Producer> {
    this.producer = opening
    opening.catch(() => {
      if (this.producer === opening) this.producer = null
    })
    return opening
  }

  private dispatch(topic: string, events: E[], records: OutRecord[], intended: bigint[], handedNs: bigint): void {
    const r = this.report
    const deadline = Date.now() + (this.o.retryForMs ?? 120_000)
    const attempt = async (): Promise<void> => {
      for (;;) {
        try {
          const producer = await this.ensureProducer()
          await producer.send(topic, records)
          break
        } catch (error) {
          this.o.onAttemptFailed?.(topic, records.length, process.hrtime.bigint())
          // A broker that is down or paused fails the send; the records are re-sent (same ids) until
          // the deadline, so a broker fault delays records instead of losing them. A stopped load (interrupted,
          // or its broker dead) has nobody to wait for.
          if (Date.now() > deadline || this.o.signal?.aborted === true) throw error
          r.sendRetries += records.length
          await sleep(500)
        }
      }
      const ackNs = process.hrtime.bigint()
      this.o.onAcked?.(topic, records.length, ackNs)
      const service = Number(ackNs - handedNs)
      for (const t of intended) {
        r.produceService.record(service, ackNs)
        r.produceResponse.record(Number(ackNs - t), ackNs)
      }
    }
    const promise = attempt()
      .catch(() => {
        r.sendErrors += records.length
        this.o.onSendFailed?.(events)
      })
      .finally(() => {
        this.inflight.delete(promise)
      })
    this.inflight.add(promise)
  }

  /** Sends every event; resolves when all sends have been acknowledged or failed. */
  async run(): Promise<PacerReport> {
    const o = this.o
    const maxBatch = o.maxBatch ?? 1000
    const maxInflight = o.maxInflight ?? 8
    const iterator = o.events[Symbol.iterator]()
    let next = iterator.next()
    const began = process.hrtime.bigint()
    while (next.done !== true && o.signal?.aborted !== true) {
      const nowNs = process.hrtime.bigint()
      const dueUntil = Number(nowNs - o.runStartNs)
      const firstDue = next.value.sendOffsetNs
      if (firstDue > dueUntil) {
        const waitMs = (firstDue - dueUntil) / 1e6
        await (waitMs >= 1 ? sleep(Math.min(waitMs, 50)) : new Promise<void>((r) => setImmediate(r)))
        continue
      }
      // Gather everything due now, per topic, up to maxBatch per send.
      const batches = new Map<string, { events: E[]; records: OutRecord[]; intended: bigint[] }>()
      let gathered = 0
      while (next.done !== true && next.value.sendOffsetNs <= dueUntil && gathered < maxBatch * 4) {
        const event = next.value
        const topic = o.topicName(event.topic)
        let batch = batches.get(topic)
        if (batch === undefined) {
          batch = { events: [], records: [], intended: [] }
          batches.set(topic, batch)
        }
        const intended = o.runStartNs + BigInt(Math.round(event.sendOffsetNs))
        const value = o.encode(event, o.runStartNs)
        batch.events.push(event)
        batch.records.push({ key: o.recordKey === undefined ? event.key : o.recordKey(event), value })
        batch.intended.push(intended)
        o.onSent?.(event, value)
        gathered++
        next = iterator.next()
      }
      // Opened before the clock of the sends starts; a session that cannot be opened now is opened again by the
      // sends' own retries.
      await this.ensureProducer().catch(() => undefined)
      for (const [topic, batch] of batches) {
        for (let i = 0; i < batch.records.length; i += maxBatch) {
          while (this.inflight.size >= maxInflight) await Promise.race(this.inflight)
          const handedNs = process.hrtime.bigint()
          const intended = batch.intended.slice(i, i + maxBatch)
          for (const t of intended) this.report.scheduleDelay.record(Number(handedNs - t), handedNs)
          this.dispatch(topic, batch.events.slice(i, i + maxBatch), batch.records.slice(i, i + maxBatch), intended, handedNs)
          this.report.sent += intended.length
        }
      }
    }
    await Promise.allSettled([...this.inflight])
    if (this.producer !== null) await this.producer.then((p) => p.close()).catch(() => undefined)
    this.producer = null
    this.report.wallNs = Number(process.hrtime.bigint() - began)
    return this.report
  }
}
