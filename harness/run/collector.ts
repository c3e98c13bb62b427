import type { Consumer, InRecord, KafkaClient } from '../kafka/index.ts'
import { LatencyRecorder } from '../measure/histograms.ts'
import { LatencyBreakdownRecorder } from '../measure/latency-breakdown.ts'
import { newTimelineCounters, secondOf, type TimelineCounters } from '../measure/timeline.ts'

/** A rated record as the Spark job writes it (docs/contracts.md). */
export interface RatedRecord {
  id: string
  subscriber: string
  type: string
  eventTime: number
  emitNs: number
  chargeSubunits: number
  billedUnits?: number
  destinationClass?: string
  band?: string
  /** Engine timing marks, wall-clock ms (docs/contracts.md); absent from engines that do not write them. */
  appendMs?: number
  batchMs?: number
  pickupMs?: number
}

export interface BillRecord {
  subscriber: string
  records: number
  chargeSubunits: number
  lastEventTime?: number
  maxEmitNs?: number
}

export interface AlertRecord {
  alertId: string
  kind: string
  entityType: string
  entity: string
  windowStart: number
  windowEnd: number
  score: number
  evidenceIds: string[]
  maxEmitNs?: number
  /** `rule` or `ml:<model>` (docs/contracts.md); absent on records of an engine that predates it (= rule). */
  detector?: string
  /** Monotonic ns at which the harness saw the alert. */
  seenNs: number
}

export interface DlqRecord {
  reason: string
  id: string | null
  raw: string
}

/** Output topic names of one run. */
export interface OutputTopics {
  rated: string
  bills: string
  alerts: string
  dlq: string
  progress: string
}

/** What measuring costs the harness: time spent handling output batches (results.json `measurement_cost`). */
export interface MeasuringCost {
  batches: number
  records: number
  /** Wall time inside the batch handler (JSON parsing, counting, histograms); it runs on the event loop. */
  handlerMs: number
  /** Process CPU time (all threads) accrued while the handler ran. */
  handlerCpuMs: number
}

/** Consumes every output topic, keeps per-id counts and records latency from the intended send time. */
export class OutputCollector {
  /** id → how many times it was rated (more than 1 = duplicated). */
  readonly ratedCount = new Map<string, number>()
  /** id → charge of its first rated record. */
  readonly ratedCharge = new Map<string, number>()
  /** id → subscriber of its rated record. */
  readonly ratedSubscriber = new Map<string, string>()
  /** subscriber → latest running total. */
  readonly bills = new Map<string, BillRecord>()
  readonly alerts: AlertRecord[] = []
  /** Arrival second (after the load started) of every extra rated copy of an id. */
  readonly duplicateArrivalsS: number[] = []
  readonly dlq: DlqRecord[] = []
  readonly progress: unknown[] = []
  readonly unparsable = new Map<string, number>()
  readonly latency: { rated: LatencyRecorder; bills: LatencyRecorder; alerts: LatencyRecorder; dlq: LatencyRecorder }
  /** The rated stream's latency split by the marks each record carries. */
  readonly breakdown: LatencyBreakdownRecorder
  /** Per-second counts for the run's timeline (harness/measure/timeline.ts). */
  readonly timeline: TimelineCounters = newTimelineCounters()
  /** Receipt times (s after the origin) of batches that accounted for at least one usage record. */
  readonly outputArrivalsS: number[] = []
  readonly cost: MeasuringCost = { batches: 0, records: 0, handlerMs: 0, handlerCpuMs: 0 }
  ratedRecords = 0
  /** Bill records read (every running-total update, not distinct subscribers). */
  billRecords = 0
  lastOutputNs = 0n
  /** Why the output consumer stopped before the run ended, and when (null: it read until stop()). */
  readFailure: string | null = null
  private readonly originNs: bigint
  private accountedInBatch = 0
  /** ids a DLQ record accounted for; raw bytes stand in for input that had no id. */
  private readonly dlqAccountedIds = new Set<string>()
  private readonly dlqAccountedRaws = new Set<string>()
  private consumer: Consumer | null = null
  private running: Promise<void> | null = null
  private readonly topics: OutputTopics
  private readonly client: KafkaClient
  private readonly readCommitted: boolean

  constructor(client: KafkaClient, topics: OutputTopics, readCommitted: boolean, originNs: bigint, warmupNs = 0n) {
    this.client = client
    this.topics = topics
    this.readCommitted = readCommitted
    this.originNs = originNs
    this.latency = {
      rated: new LatencyRecorder('rated', originNs, warmupNs),
      bills: new LatencyRecorder('bills', originNs, warmupNs),
      alerts: new LatencyRecorder('alerts', originNs, warmupNs),
      dlq: new LatencyRecorder('dlq', originNs, warmupNs),
    }
    this.breakdown = new LatencyBreakdownRecorder(originNs, warmupNs)
  }

  async start(): Promise<void> {
    this.consumer = await this.client.consumer({
      topics: [this.topics.rated, this.topics.bills, this.topics.alerts, this.topics.dlq, this.topics.progress],
      fromBeginning: true,
      readCommitted: this.readCommitted,
      maxWaitMs: 100,
    })
    this.running = this.consumer.run((records) => {
      this.onBatch(records)
    })
    // A consumer failure must surface in the verdict when the run ends, not as an unhandled rejection: every
    // output after it would otherwise be counted as lost by the system under test.
    this.running = this.running.catch((error: unknown) => {
      const atS = Number(process.hrtime.bigint() - this.originNs) / 1e9
      this.readFailure = `at ${atS.toFixed(0)} s: ${error instanceof Error ? error.message : String(error)}`
    })
  }

  private countUnparsable(topic: string): void {
    this.unparsable.set(topic, (this.unparsable.get(topic) ?? 0) + 1)
  }

  private onBatch(records: InRecord[]): void {
    const began = performance.now()
    const cpuBefore = process.cpuUsage()
    this.accountedInBatch = 0
    let receivedNs = this.lastOutputNs
    for (const record of records) {
      // Latency ends when the reader had the record, not when this thread got to it (docs/method.md "Where the time goes").
      if (record.receivedNs > receivedNs) receivedNs = record.receivedNs
      let value: unknown
      try {
        value = JSON.parse(record.value.toString('utf8'))
      } catch {
        this.countUnparsable(record.topic)
        continue
      }
      if (typeof value !== 'object' || value === null) {
        this.countUnparsable(record.topic)
        continue
      }
      this.accept(record.topic, value as Record<string, unknown>, record.receivedNs, record.timestampMs)
    }
    this.lastOutputNs = receivedNs
    if (this.accountedInBatch > 0) this.outputArrivalsS.push(Number(receivedNs - this.originNs) / 1e9)
    const cpu = process.cpuUsage(cpuBefore)
    this.cost.batches++
    this.cost.records += records.length
    this.cost.handlerMs += performance.now() - began
    this.cost.handlerCpuMs += (cpu.user + cpu.system) / 1000
  }

  /** A usage record is accounted once: its first rated record, or its first DLQ record. */
  private countAccounted(second: number): void {
    this.timeline.accounted.add(second)
    this.accountedInBatch++
  }

  /**
   * False for a DLQ record of a usage record already accounted for: a copy replayed after a restart, a late
   * record the generator sent twice, or an id already rated. A record with neither id nor raw bytes cannot be
   * told apart from another, so each of those counts.
   */
  private firstAccountingDlq(id: string | null, raw: string): boolean {
    if (id !== null) {
      if (this.ratedCount.has(id) || this.dlqAccountedIds.has(id)) return false
      this.dlqAccountedIds.add(id)
      return true
    }
    if (raw === '') return true
    if (this.dlqAccountedRaws.has(raw)) return false
    this.dlqAccountedRaws.add(raw)
    return true
  }

  private accept(topic: string, value: Record<string, unknown>, nowNs: bigint, timestampMs: number): void {
    const sinceEmit = (emitNs: unknown): number | null => (typeof emitNs === 'number' && emitNs > 0 ? Number(nowNs) - emitNs : null)
    const second = secondOf(nowNs, this.originNs)
    if (topic === this.topics.rated) {
      const rated = value as unknown as RatedRecord
      this.ratedRecords++
      this.timeline.outputs.rated.add(second)
      const copies = (this.ratedCount.get(rated.id) ?? 0) + 1
      this.ratedCount.set(rated.id, copies)
      if (copies > 1) this.duplicateArrivalsS.push(second)
      if (!this.ratedCharge.has(rated.id)) {
        this.ratedCharge.set(rated.id, rated.chargeSubunits)
        this.ratedSubscriber.set(rated.id, rated.subscriber)
        if (!this.dlqAccountedIds.has(rated.id)) this.countAccounted(second)
      }
      const latency = sinceEmit(rated.emitNs)
      if (latency !== null) {
        this.latency.rated.record(latency, nowNs)
        this.breakdown.add(rated, timestampMs, rated.emitNs, nowNs)
      }
    } else if (topic === this.topics.bills) {
      const bill = value as unknown as BillRecord
      this.bills.set(bill.subscriber, bill)
      this.billRecords++
      this.timeline.outputs.bills.add(second)
      const latency = sinceEmit(bill.maxEmitNs)
      if (latency !== null) this.latency.bills.record(latency, nowNs)
    } else if (topic === this.topics.alerts) {
      const alert = { ...(value as unknown as Omit<AlertRecord, 'seenNs'>), seenNs: Number(nowNs) }
      this.alerts.push(alert)
      this.timeline.outputs.alerts.add(second)
      const latency = sinceEmit(alert.maxEmitNs)
      if (latency !== null) this.latency.alerts.record(latency, nowNs)
    } else if (topic === this.topics.dlq) {
      const id = typeof value['id'] === 'string' ? value['id'] : null
      const raw = typeof value['raw'] === 'string' ? value['raw'] : ''
      this.dlq.push({ reason: String(value['reason']), id, raw })
      this.timeline.outputs.dlq.add(second)
      if (this.firstAccountingDlq(id, raw)) this.countAccounted(second)
      const latency = sinceEmit(value['emitNs'])
      if (latency !== null) this.latency.dlq.record(latency, nowNs)
    } else if (topic === this.topics.progress) {
      this.progress.push(value)
    }
  }

  /** Distinct ids rated so far. */
  get distinctRated(): number {
    return this.ratedCount.size
  }

  /** Usage records accounted for so far, each once (its first rated or first DLQ record): what the drain waits for. */
  get accounted(): number {
    return this.timeline.accounted.total
  }

  async stop(): Promise<void> {
    await this.consumer?.close()
    await this.running
  }
}
