import type { Histogram } from 'hdr-histogram-js'
import type { LatencyBreakdown } from '../results/index.ts'
import { newHistogram, summarize } from './histograms.ts'

/** The marks a rated record carries from the engine (docs/contracts.md "Output records"): wall-clock epoch ms. */
export interface EngineMarks {
  appendMs?: unknown
  batchMs?: unknown
  pickupMs?: unknown
}

/** One stage of a record's path: the time from one mark to the next. */
export interface StageDefinition {
  stage: string
  from: string
  to: string
}

const toBroker: StageDefinition = { stage: 'to_broker', from: 'intended send', to: 'appended to the input topic' }
const processing: StageDefinition = { stage: 'processing', from: 'parsed by a task', to: 'handed to the output producer' }
const delivery: StageDefinition = { stage: 'delivery', from: 'handed to the output producer', to: 'read by the harness' }

/** A micro-batch engine: the record waits in Kafka for the next trigger, then for its batch to reach it. */
export const microBatchStages: readonly StageDefinition[] = [
  toBroker,
  { stage: 'wait_for_trigger', from: 'appended to the input topic', to: 'its micro-batch started' },
  { stage: 'batch_start', from: 'its micro-batch started', to: 'parsed by a task' },
  processing,
  delivery,
]

/** A record-at-a-time engine (Spark real-time mode, Flink): no batch time. */
export const recordAtATimeStages: readonly StageDefinition[] = [toBroker, { stage: 'to_engine', from: 'appended to the input topic', to: 'parsed by a task' }, processing, delivery]

/** How many records the tail sample keeps at most; when full it keeps every other one and samples half as often. */
const sampleCapacity = 20_000

const isMark = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0

/**
 * Splits each rated record's end-to-end latency into the stages between the marks it carries (docs/method.md
 * "Where the time goes"). Every mark is a wall-clock time on the host's one clock; the harness's own two marks
 * (intended send, read) are monotonic and converted with one offset, so the stages of a record add up to its
 * end-to-end latency exactly. Percentiles come from per-stage histograms (negative values, possible where two
 * marks come from different millisecond clocks reads, count as 0 there and are counted); means add up.
 */
export class LatencyBreakdownRecorder {
  private stages: readonly StageDefinition[] | null = null
  private readonly sums: number[] = []
  private readonly histograms: Histogram[] = []
  private readonly belowZero: number[] = []
  private readonly e2eHistogram = newHistogram()
  private e2eSum = 0
  private records = 0
  private unmarked = 0
  /** Sampled records: [e2e, ...stage values]. */
  private sample: number[][] = []
  private sampleEvery = 1
  private seen = 0
  /** Monotonic ns as a number: emitNs arrives as a JSON number, and a BigInt per record is not needed to compare. */
  private readonly measuredFromNs: number
  private readonly wallMinusMonotonicMs: number

  /** `wallMinusMonotonicMs`: Date.now() minus the monotonic clock in ms, read once (the default reads it now). */
  constructor(originNs: bigint, warmupNs = 0n, wallMinusMonotonicMs = Date.now() - Number(process.hrtime.bigint()) / 1e6) {
    this.measuredFromNs = Number(originNs + warmupNs)
    this.wallMinusMonotonicMs = wallMinusMonotonicMs
  }

  /**
   * One rated record: its engine marks, the output record's Kafka timestamp (when the engine handed it to its
   * producer), its intended send time and when the harness read it (both monotonic ns).
   */
  add(marks: EngineMarks, outputTimestampMs: number, emitNs: number, readNs: bigint): void {
    if (emitNs < this.measuredFromNs) return
    const { appendMs, batchMs, pickupMs } = marks
    if (!isMark(appendMs) || !isMark(pickupMs) || !isMark(outputTimestampMs)) {
      this.unmarked++
      return
    }
    const stages = isMark(batchMs) ? microBatchStages : recordAtATimeStages
    this.stages ??= stages
    if (this.stages !== stages) {
      this.unmarked++
      return
    }
    const intendedMs = emitNs / 1e6 + this.wallMinusMonotonicMs
    const readMs = Number(readNs) / 1e6 + this.wallMinusMonotonicMs
    const marksMs = isMark(batchMs) ? [intendedMs, appendMs, batchMs, pickupMs, outputTimestampMs, readMs] : [intendedMs, appendMs, pickupMs, outputTimestampMs, readMs]
    const values = stages.map((_, i) => (marksMs[i + 1] ?? 0) - (marksMs[i] ?? 0))
    const e2e = readMs - intendedMs
    this.records++
    this.e2eSum += e2e
    this.e2eHistogram.recordValue(Math.max(1, Math.round(e2e * 1000)))
    values.forEach((v, i) => {
      this.sums[i] = (this.sums[i] ?? 0) + v
      if (v < 0) this.belowZero[i] = (this.belowZero[i] ?? 0) + 1
      const h = (this.histograms[i] ??= newHistogram())
      h.recordValue(Math.max(1, Math.round(v * 1000)))
    })
    if (this.seen++ % this.sampleEvery === 0) this.keepSample([e2e, ...values])
  }

  /** Systematic sampling over the whole run: when the buffer is full, keep every other row and sample half as often. */
  private keepSample(row: number[]): void {
    this.sample.push(row)
    if (this.sample.length >= sampleCapacity) {
      this.sample = this.sample.filter((_, i) => i % 2 === 0)
      this.sampleEvery *= 2
    }
  }

  /** Null when no record carried the engine's marks (the batch baseline, an engine that does not write them). */
  summary(): LatencyBreakdown | null {
    const stages = this.stages
    if (stages === null || this.records === 0) return null
    const round = (ms: number): number => Math.round(ms * 1000) / 1000
    const slowest = [...this.sample].sort((a, b) => (b[0] ?? 0) - (a[0] ?? 0)).slice(0, Math.max(1, Math.ceil(this.sample.length / 100)))
    const slowMean = (i: number): number => slowest.reduce((s, row) => s + (row[i] ?? 0), 0) / slowest.length
    const e2e = summarize(this.e2eHistogram)
    return {
      stream: 'rated',
      records: this.records,
      unmarked: this.unmarked,
      e2e_mean_ms: round(this.e2eSum / this.records),
      e2e_p50_ms: e2e?.p50 ?? null,
      e2e_p99_ms: e2e?.p99 ?? null,
      stage_mean_sum_ms: round(this.sums.reduce((a, b) => a + b, 0) / this.records),
      slowest_1pct: { sampled: this.sample.length, records: slowest.length, e2e_mean_ms: round(slowMean(0)) },
      stages: stages.map((d, i) => {
        const h = this.histograms[i]
        const s = h === undefined ? null : summarize(h)
        return {
          ...d,
          mean_ms: round((this.sums[i] ?? 0) / this.records),
          p50_ms: s?.p50 ?? null,
          p99_ms: s?.p99 ?? null,
          slowest_1pct_mean_ms: round(slowMean(i + 1)),
          below_zero: this.belowZero[i] ?? 0,
        }
      }),
    }
  }
}
