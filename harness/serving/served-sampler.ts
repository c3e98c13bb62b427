import { LatencyRecorder } from '../measure/histograms.ts'
import type { ServingStore } from './store.ts'

/**
 * The `served` latency (docs/serving.md "Served latency"): from a usage record's intended send time to the moment
 * the harness can read its rated_usage row back from the store. Reading every record back would cost the store
 * as much as the pipeline's writes, so one usage record in `sampleEvery` is followed: from its intended send time
 * on, its row is read until it is there, the next read `servedPollMs` or a tenth of the time waited so far later,
 * whichever is longer. A value is therefore overstated by at most max(100 ms, 10 %), and it is a sample: its
 * percentiles carry the sampling error of `sampled` values. The back-off bounds the reads per sampled record to
 * about 10 + 10·ln(latency / 1 s) however slow the pipeline is.
 */

/**
 * Shortest pause between two reads of one sampled record, and the sampler's tick. 100 ms keeps the
 * quantisation below a tenth of a one-second latency.
 */
export const servedPollMs = 100
/** After a miss, a record is read again after this share of the time it has waited so far (if above servedPollMs). */
export const servedBackoffRatio = 0.1
/** Sampled records a second the sampler aims at: ~10/s gives ~300 values in the 30 s quickstart. */
export const servedSamplesPerS = 10
/**
 * A sampled record not in the store this long after its send is given up (counted as never read). 600 s: at a
 * load average of 25 on the 2-core machine the pipeline's latency reached 2 min, and a 120 s limit gave up on
 * two thirds of the sample.
 */
export const servedGiveUpS = 600

/** One record in every `sampleEvery`: about `servedSamplesPerS` a second at the plan's usage rate. */
export function servedSampleEvery(usageEps: number): number {
  return Math.max(1, Math.floor(usageEps / servedSamplesPerS))
}

interface Pending {
  id: string
  subscriber: string
  eventTimeMs: number
  emitNs: bigint
  /** Monotonic ns of the next read. */
  nextReadNs: bigint
}

/** When a record that was not in the store at `nowNs` is read next. */
export function nextReadAfterMiss(emitNs: bigint, nowNs: bigint): bigint {
  const waitedNs = Number(nowNs - emitNs)
  return nowNs + BigInt(Math.round(Math.max(servedPollMs * 1e6, waitedNs * servedBackoffRatio)))
}

/** What sampling cost and found, for results.json `serving.served_sampling`. */
export interface ServedSamplingReport {
  sample_every: number
  poll_ms: number
  sampled: number
  read_back: number
  never_read: number
  reads: number
  read_errors: number
}

/** Follows sampled usage records until the store holds them. */
export class ServedSampler {
  readonly latency: LatencyRecorder
  private readonly store: ServingStore
  private readonly sampleEvery: number
  private readonly pending = new Map<string, Pending>()
  private offered = 0
  private sampled = 0
  private readBack = 0
  private neverRead = 0
  private reads = 0
  private readErrors = 0
  private timer: NodeJS.Timeout | null = null
  private polling = false

  constructor(store: ServingStore, originNs: bigint, warmupNs: bigint, sampleEvery: number) {
    this.store = store
    this.sampleEvery = sampleEvery
    this.latency = new LatencyRecorder('served', originNs, warmupNs)
  }

  start(): void {
    this.timer = setInterval(() => {
      void this.poll()
    }, servedPollMs)
  }

  /** Called for every usage record sent; keeps one in `sampleEvery`. */
  offer(id: string, subscriber: string, eventTimeMs: number, emitNs: bigint): void {
    if (this.offered++ % this.sampleEvery !== 0) return
    this.sampled++
    this.pending.set(id, { id, subscriber, eventTimeMs, emitNs, nextReadNs: emitNs })
  }

  private async poll(): Promise<void> {
    if (this.polling) return
    this.polling = true
    try {
      const nowNs = process.hrtime.bigint()
      const due = [...this.pending.values()].filter((p) => p.nextReadNs <= nowNs)
      await Promise.all(
        due.map(async (p) => {
          if (nowNs - p.emitNs > BigInt(servedGiveUpS) * 1_000_000_000n) {
            this.pending.delete(p.id)
            this.neverRead++
            return
          }
          this.reads++
          try {
            const found = await this.store.ratedEmitNs(p.subscriber, p.eventTimeMs, p.id)
            if (found === null) {
              p.nextReadNs = nextReadAfterMiss(p.emitNs, process.hrtime.bigint())
              return
            }
            const readNs = process.hrtime.bigint()
            this.pending.delete(p.id)
            this.readBack++
            this.latency.record(Number(readNs - p.emitNs), readNs)
          } catch {
            // The store is down (a store-kill fault) or slow: the record stays pending and is read when it answers.
            this.readErrors++
            p.nextReadNs = nextReadAfterMiss(p.emitNs, process.hrtime.bigint())
          }
        }),
      )
    } finally {
      this.polling = false
    }
  }

  /** Waits until every sampled record has been read back or given up on, at most `timeoutMs`. */
  async settle(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs
    while (this.pending.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, servedPollMs))
  }

  stop(): ServedSamplingReport {
    if (this.timer !== null) clearInterval(this.timer)
    this.timer = null
    this.neverRead += this.pending.size
    this.pending.clear()
    return { sample_every: this.sampleEvery, poll_ms: servedPollMs, sampled: this.sampled, read_back: this.readBack, never_read: this.neverRead, reads: this.reads, read_errors: this.readErrors }
  }
}
