import type { TimelinePoint } from '../results/index.ts'
import type { Histogram } from 'hdr-histogram-js'
import { mergeHistograms } from './histograms.ts'

/** Counts per 1 s window, indexed by whole seconds since the run's origin. */
export class SecondCounter {
  readonly counts = new Map<number, number>()
  /** Sum over every window so far. */
  total = 0

  add(second: number, n = 1): void {
    this.counts.set(second, (this.counts.get(second) ?? 0) + n)
    this.total += n
  }

  get(second: number): number {
    return this.counts.get(second) ?? 0
  }

  /** Highest second with a count, or -1. */
  get lastSecond(): number {
    let last = -1
    for (const s of this.counts.keys()) if (s > last) last = s
    return last
  }
}

/** Whole seconds from `originNs` to `atNs`; instants before the origin fall in window 0. */
export function secondOf(atNs: bigint, originNs: bigint): number {
  return atNs <= originNs ? 0 : Number((atNs - originNs) / 1_000_000_000n)
}

/** What the run counts per second while it runs (usage records only: the ones every output accounts for). */
export interface TimelineCounters {
  /** Usage records by intended send second (the schedule). */
  offered: SecondCounter
  /** Usage records acknowledged by the broker, by ack second. */
  acked: SecondCounter
  /** Usage records accounted at the output (first rated record of an id, or its DLQ record), by receipt second. */
  accounted: SecondCounter
  /** Output records per stream (all copies), by receipt second. */
  outputs: Record<'rated' | 'bills' | 'alerts' | 'dlq', SecondCounter>
  /** Records of produce attempts that failed (and were retried or given up), by failure second. */
  produceFailed: SecondCounter
  /** Partitions of the run's topics with fewer in-sync replicas than replicas, the last sample of each second; empty when not sampled. */
  underReplicated: Map<number, number>
}

export function newTimelineCounters(): TimelineCounters {
  return { offered: new SecondCounter(), acked: new SecondCounter(), accounted: new SecondCounter(), outputs: { rated: new SecondCounter(), bills: new SecondCounter(), alerts: new SecondCounter(), dlq: new SecondCounter() }, produceFailed: new SecondCounter(), underReplicated: new Map() }
}


/** Builds the per-second series from the counters and the rated per-second histograms. */
export function buildTimeline(c: TimelineCounters, ratedIntervals: ReadonlyMap<number, Histogram>, lastSecond: number): TimelinePoint[] {
  const points: TimelinePoint[] = []
  let offered = 0
  let acked = 0
  let accounted = 0
  const ms = (us: number): number => Math.round(us) / 1000
  for (let t = 0; t <= lastSecond; t++) {
    offered += c.offered.get(t)
    acked += c.acked.get(t)
    accounted += c.accounted.get(t)
    const h = ratedIntervals.get(t)
    points.push({
      t_s: t,
      offered: c.offered.get(t),
      acked: c.acked.get(t),
      accounted: c.accounted.get(t),
      rated: c.outputs.rated.get(t),
      bills: c.outputs.bills.get(t),
      alerts: c.outputs.alerts.get(t),
      dlq: c.outputs.dlq.get(t),
      rated_p50_ms: h === undefined || h.totalCount === 0 ? null : ms(h.getValueAtPercentile(50)),
      rated_p99_ms: h === undefined || h.totalCount === 0 ? null : ms(h.getValueAtPercentile(99)),
      backlog: acked - accounted,
      e2e_backlog: offered - accounted,
      produce_failed: c.produceFailed.get(t),
      under_replicated: c.underReplicated.get(t) ?? null,
    })
  }
  return points
}

/** p99 in ms of the histograms of seconds [fromS, toS), merged (percentiles are never averaged); null when empty. */
export function mergedP99Ms(intervals: ReadonlyMap<number, Histogram>, fromS: number, toS: number): number | null {
  const parts: Histogram[] = []
  for (let t = Math.max(0, Math.floor(fromS)); t < toS; t++) {
    const h = intervals.get(t)
    if (h !== undefined) parts.push(h)
  }
  const merged = mergeHistograms(parts)
  return merged.totalCount === 0 ? null : Math.round(merged.getValueAtPercentile(99)) / 1000
}

export type { TimelinePoint } from '../results/index.ts'
