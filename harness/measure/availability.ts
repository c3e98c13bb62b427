import type { Availability } from '../results/index.ts'
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
  let offered = 0
  let acked = 0
  let accounted = 0
  for (let t = 0; t < from; t++) {
    offered += c.offered.get(t)
    acked += c.acked.get(t)
    accounted += c.accounted.get(t)
  }
  const stalled = new Set<number>()
  const silent = new Set<number>()
  for (let t = from; t < to; t++) {
    offered += c.offered.get(t)
    // Sent by the end of the second and not acknowledged before it, yet nothing acknowledged in it.
    if (offered > acked && c.acked.get(t) === 0) stalled.add(t)
    acked += c.acked.get(t)
    // Acknowledged by the end of the second and not accounted before it, yet nothing accounted in it.
    if (acked > accounted && c.accounted.get(t) === 0) silent.add(t)
    accounted += c.accounted.get(t)
  }
  let failed = 0
  for (let t = from; t < to; t++) if (c.produceFailed.get(t) > 0) failed++
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
