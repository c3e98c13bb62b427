import type { LatencySummary } from '../results/index.ts'
import * as hdr from 'hdr-histogram-js'
import type { Histogram } from 'hdr-histogram-js'


/** A µs HdrHistogram, 3 significant digits; auto-resizing so no value is ever clamped. */
export function newHistogram(): Histogram {
  return hdr.build({ bitBucketSize: 64, autoResize: true, lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: 3, useWebAssembly: false })
}

/**
 * Records one latency stream as a whole-run histogram plus one histogram per 1 s interval.
 * Values whose start (intended send time = observed time − latency) falls inside the warm-up go to
 * `warmup` instead of `whole`, so JIT and first micro-batches do not set the run's percentiles; the
 * per-interval histograms keep every value for the timeline.
 */
export class LatencyRecorder {
  readonly name: string
  /** Every value that started after the warm-up: the run's figures and thresholds come from it. */
  readonly whole: Histogram = newHistogram()
  /** Values that started during the warm-up. */
  readonly warmup: Histogram = newHistogram()
  /** Interval index (seconds since the run's measurement start) → histogram. */
  readonly intervals = new Map<number, Histogram>()
  private readonly originNs: bigint
  private readonly measuredFromNs: bigint

  constructor(name: string, originNs: bigint, warmupNs = 0n) {
    this.name = name
    this.originNs = originNs
    this.measuredFromNs = originNs + warmupNs
  }

  /** Records `valueNs` (a latency in ns) observed at monotonic time `atNs`. */
  record(valueNs: number, atNs: bigint): void {
    const micros = Math.max(1, Math.round(valueNs / 1000))
    const startedNs = atNs - BigInt(Math.round(valueNs))
    ;(startedNs >= this.measuredFromNs ? this.whole : this.warmup).recordValue(micros)
    const interval = Number((atNs - this.originNs) / 1_000_000_000n)
    let h = this.intervals.get(interval)
    if (h === undefined) {
      h = newHistogram()
      this.intervals.set(interval, h)
    }
    h.recordValue(micros)
  }

  summary(): LatencySummary | null {
    return summarize(this.whole)
  }
}

/**
 * Percentiles in ms from a µs histogram, null when it holds no value. Percentiles are read from histograms, never
 * averaged. HdrHistogram reports a percentile as the top of its bucket, which can lie above the exact largest
 * value recorded: no percentile is reported above `max`.
 */
export function summarize(h: Histogram): LatencySummary | null {
  if (h.totalCount === 0) return null
  const ms = (us: number): number => Math.round(us) / 1000
  const max = ms(h.maxValue)
  const at = (p: number): number => Math.min(max, ms(h.getValueAtPercentile(p)))
  return { unit: 'ms', count: h.totalCount, p50: at(50), p90: at(90), p95: at(95), p99: at(99), p999: at(99.9), max }
}

/** Merges histograms (e.g. from several generator shards or repetitions). */
export function mergeHistograms(parts: Histogram[]): Histogram {
  const merged = newHistogram()
  for (const part of parts) merged.add(part)
  return merged
}

/** Compressed base64 (wire-compatible with Java HdrHistogram) for `histograms/`. */
export function encodeHistogram(h: Histogram): string {
  return hdr.encodeIntoCompressedBase64(h)
}

export function decodeHistogram(encoded: string): Histogram {
  return hdr.decodeFromCompressedBase64(encoded, 64, false)
}

export type { LatencySummary } from '../results/index.ts'

/**
 * A {@link LatencyRecorder}'s values recorded since it was last drained, as compressed base64 (only the non-empty
 * histograms): what a generator worker posts to the main thread every flush.
 */
export interface EncodedRecorderPart {
  whole: string | null
  warmup: string | null
  intervals: [number, string][]
}

/** Encodes what `r` holds and empties it, so the next part carries only the values recorded after this call. */
export function drainRecorder(r: LatencyRecorder): EncodedRecorderPart {
  const take = (h: Histogram): string | null => {
    if (h.totalCount === 0) return null
    const encoded = encodeHistogram(h)
    h.reset()
    return encoded
  }
  const intervals: [number, string][] = []
  for (const [second, h] of r.intervals) {
    const encoded = take(h)
    if (encoded !== null) intervals.push([second, encoded])
  }
  // A second whose histogram was drained may still get values (a late ack): it is created again then.
  r.intervals.clear()
  return { whole: take(r.whole), warmup: take(r.warmup), intervals }
}

/** Adds a drained part (another thread's or host's values) into `r`: whole, warm-up and the same 1 s intervals. */
export function mergeRecorderPart(r: LatencyRecorder, part: EncodedRecorderPart): void {
  if (part.whole !== null) r.whole.add(decodeHistogram(part.whole))
  if (part.warmup !== null) r.warmup.add(decodeHistogram(part.warmup))
  for (const [second, encoded] of part.intervals) {
    let h = r.intervals.get(second)
    if (h === undefined) {
      h = newHistogram()
      r.intervals.set(second, h)
    }
    h.add(decodeHistogram(encoded))
  }
}
