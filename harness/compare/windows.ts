import * as hdr from 'hdr-histogram-js'
import type { Histogram } from 'hdr-histogram-js'
import type { ComparedRun } from './types.ts'

/**
 * Blocks of consecutive windows, the unit a moving-block resample is made of: block i covers windows
 * `starts[i]` … `starts[i] + lengths[i] − 1`.
 */
export interface Blocks {
  starts: Int32Array
  lengths: Int32Array
  count: number
}

/** A run's per-second series for one or more statistics of the same windows (e.g. a stream's p50 … p99.9). */
export interface WindowedSeries {
  /** Windows in the series. */
  length: number
  /** Each statistic in each window on its own, in time order: what the block length is chosen from. */
  perWindow: number[][]
  /** Each statistic over the union of the windows in these blocks (a resample, windows may repeat). */
  statistics: (blocks: Blocks) => number[]
}

/**
 * Prefix sums of a run's per-second latency counts: `prefix[w · U + u]` is how many values the windows before
 * window w hold at or below the u-th distinct bucket value. Any block of windows, and so any resample, then has
 * its merged histogram's percentile found by a binary search over the values that costs one subtraction per block:
 * a ten-minute run bootstraps in well under a second instead of merging hundreds of histograms per resample.
 */
interface LatencyPrefix {
  /** Every distinct bucket value (ms, the top of its bucket, as HdrHistogram reports percentiles), ascending. */
  valuesMs: Float64Array
  prefix: Uint32Array
  windows: number
}

/**
 * Above this many prefix entries (windows × distinct values, 4 bytes each: 256 MiB) a run is not bootstrapped;
 * runs of an hour at a few thousand distinct latencies stay far below it.
 */
const maxPrefixEntries = 64 * 2 ** 20

/**
 * A histogram's recorded values (ms, the top of each bucket) with their counts. Reads the counts array directly:
 * hdr-histogram-js's RecordedValuesIterator gives the same values but takes ~40× as long (3.4 s against 0.09 s for
 * the 586 one-second histograms of one stream of a ten-minute run).
 */
function recordedValues(h: Histogram): [number, number][] {
  if (!(h instanceof hdr.JsHistogram)) throw new Error('interval histograms are decoded as JsHistogram')
  const values: [number, number][] = []
  for (let i = 0; i < h.countsArrayLength; i++) {
    const count = h.getCountAtIndex(i)
    if (count > 0) values.push([h.highestEquivalentValue(h.valueFromIndex(i)) / 1000, count])
  }
  return values
}

/** Where the measured part of the run starts: after the warm-up, as results.json leaves it out. */
function warmupS(run: ComparedRun): number {
  return run.timeline?.warmup_s ?? run.results.latency_warmup.warmup_s
}

/**
 * The run's per-second latency histograms received after the warm-up (seconds without a value skipped), as prefix
 * sums; or why there are none.
 */
function latencyPrefix(run: ComparedRun, stream: string): LatencyPrefix | { why: string } {
  const from = warmupS(run)
  const perSecond = (run.histograms[stream]?.intervals ?? [])
    .filter((i) => i.t_s >= from && i.histogram.totalCount > 0)
    .sort((a, b) => a.t_s - b.t_s)
    .map((i) => recordedValues(i.histogram))
  if (perSecond.length === 0) return { why: `no ${stream} values after the warm-up` }
  const valuesMs = Float64Array.from(new Set(perSecond.flatMap((w) => w.map(([value]) => value)))).sort()
  const u = valuesMs.length
  if ((perSecond.length + 1) * u > maxPrefixEntries) return { why: `${perSecond.length} windows × ${u} distinct latencies are more than the bootstrap holds in memory: repeat the runs to test it` }
  const position = new Map<number, number>()
  valuesMs.forEach((v, i) => position.set(v, i))
  const prefix = new Uint32Array((perSecond.length + 1) * u)
  const counts = new Uint32Array(u)
  perSecond.forEach((window, w) => {
    counts.fill(0)
    for (const [value, count] of window) counts[position.get(value) ?? 0] = count
    let below = 0
    const before = w * u
    const after = (w + 1) * u
    for (let b = 0; b < u; b++) {
      below += counts[b] ?? 0
      prefix[after + b] = (prefix[before + b] ?? 0) + below
    }
  })
  return { valuesMs, prefix, windows: perSecond.length }
}

/** Nearest-rank percentiles (HdrHistogram's definition, so they read like results.json) of the windows in the blocks. */
function blockPercentiles(p: LatencyPrefix, blocks: Blocks, percentiles: readonly number[]): number[] {
  const u = p.valuesMs.length
  const countAtOrBelow = (b: number): number => {
    let sum = 0
    for (let i = 0; i < blocks.count; i++) {
      const start = blocks.starts[i] ?? 0
      sum += (p.prefix[(start + (blocks.lengths[i] ?? 0)) * u + b] ?? 0) - (p.prefix[start * u + b] ?? 0)
    }
    return sum
  }
  const total = countAtOrBelow(u - 1)
  return percentiles.map((percentile) => {
    const rank = Math.max(1, Math.ceil((percentile / 100) * total))
    let low = 0
    let high = u - 1
    while (low < high) {
      const mid = (low + high) >> 1
      if (countAtOrBelow(mid) >= rank) high = mid
      else low = mid + 1
    }
    return p.valuesMs[low] ?? Number.NaN
  })
}

/** The seconds of the load after the warm-up (the drain after the load is not the system at the offered rate). */
function loadSeconds(run: ComparedRun): number {
  const planned = run.manifest.plan['durationS']
  return typeof planned === 'number' && Number.isFinite(planned) ? planned : Number.POSITIVE_INFINITY
}

const single = (w: number): Blocks => ({ starts: Int32Array.of(w), lengths: Int32Array.of(1), count: 1 })

/** A stream's per-second latency windows after the warm-up, for the given percentiles; or why the run has none to resample. */
export function latencySeries(run: ComparedRun, stream: string, percentiles: readonly number[]): WindowedSeries | { why: string } {
  const p = latencyPrefix(run, stream)
  if ('why' in p) return p
  const statistics = (blocks: Blocks): number[] => blockPercentiles(p, blocks, percentiles)
  const each = Array.from({ length: p.windows }, (_, w) => statistics(single(w)))
  return { length: p.windows, perWindow: percentiles.map((_, k) => each.map((values) => values[k] ?? Number.NaN)), statistics }
}

/**
 * Each second's acknowledged or rated records between the warm-up's end and the end of the load, whose mean over a
 * resample is the rate; or why the run has none.
 */
export function rateSeries(run: ComparedRun, field: 'acked' | 'rated'): WindowedSeries | { why: string } {
  const from = warmupS(run)
  const until = loadSeconds(run)
  const values = (run.timeline?.points ?? []).filter((point) => point.t_s >= from && point.t_s < until).map((point) => point[field])
  if (values.length === 0) return { why: run.timeline === null ? 'the run wrote no timeline.json' : 'no second of the load after the warm-up' }
  const prefix = new Float64Array(values.length + 1)
  for (let i = 0; i < values.length; i++) prefix[i + 1] = (prefix[i] ?? 0) + (values[i] ?? 0)
  const statistics = (blocks: Blocks): number[] => {
    let sum = 0
    let windows = 0
    for (let i = 0; i < blocks.count; i++) {
      const start = blocks.starts[i] ?? 0
      const length = blocks.lengths[i] ?? 0
      sum += (prefix[start + length] ?? 0) - (prefix[start] ?? 0)
      windows += length
    }
    return [sum / windows]
  }
  return { length: values.length, perWindow: [values], statistics }
}
