import { availabilityBySecond, type Availability } from '../results/index.ts'
import type { TimelineCounters } from './timeline.ts'

/** The longest run of consecutive seconds in [fromS, toS) for which `hit` holds. */
function longestRun(fromS: number, toS: number, hit: (t: number) => boolean): number {
  let longest = 0
  let current = 0
  for (let t = fromS; t < toS; t++) {
    current = hit(t) ? current + 1 : 0
    longest = Math.max(longest, current)
  }
  return longest
}

/**
 * Availability over the whole seconds [fromS, toS) after load start (docs/results.md "Availability"). A second is
 * produce-stalled when usage records sent by its end were still unacknowledged and none was acknowledged in it; it
 * has no output when acknowledged usage records were still unaccounted and none was accounted for in it. A
 * micro-batch engine leaves seconds without output between batches in normal running too: read the figures of a fault
 * against those of the load before it.
 * Under-replication is null when the run never sampled it (one broker, or replication 1).
 */
export function availabilityBetween(c: TimelineCounters, fromS: number, toS: number): Availability {
  const from = Math.max(0, Math.floor(fromS))
  const to = Math.max(from, Math.ceil(toS))
  const states = availabilityBySecond((t) => ({ offered: c.offered.get(t), acked: c.acked.get(t), accounted: c.accounted.get(t), produceFailed: c.produceFailed.get(t) }), to)
  const stalled = new Set<number>()
  const silent = new Set<number>()
  let failed = 0
  for (let t = from; t < to; t++) {
    if (states[t]?.produceStalled === true) stalled.add(t)
    if (states[t]?.noOutput === true) silent.add(t)
    if (states[t]?.produceFailed === true) failed++
  }
  const sampled = [...c.underReplicated].filter(([t]) => t >= from && t < to)
  return {
    from_s: from,
    to_s: to,
    produce_failed_s: failed,
    produce_stalled_s: stalled.size,
    longest_produce_stall_s: longestRun(from, to, (t) => stalled.has(t)),
    no_output_s: silent.size,
    longest_output_gap_s: longestRun(from, to, (t) => silent.has(t)),
    under_replicated_max: sampled.length === 0 ? null : Math.max(...sampled.map(([, n]) => n)),
    under_replicated_s: sampled.length === 0 ? null : sampled.filter(([, n]) => n > 0).length,
  }
}
