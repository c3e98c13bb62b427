import { describe, expect, it } from 'vitest'
import { availabilityBetween } from './availability.ts'
import { newTimelineCounters } from './timeline.ts'

/** Counters for a load of 10 records a second, acked and accounted in the same second except where told. */
function counters(seconds: number, o: { noAck?: number[]; noOutput?: number[]; failed?: number[] } = {}) {
  const c = newTimelineCounters()
  let pendingAck = 0
  let pendingOut = 0
  for (let t = 0; t < seconds; t++) {
    c.offered.add(t, 10)
    pendingAck += 10
    if (!(o.noAck ?? []).includes(t)) {
      c.acked.add(t, pendingAck)
      pendingOut += pendingAck
      pendingAck = 0
    }
    if (!(o.noOutput ?? []).includes(t) && pendingOut > 0) {
      c.accounted.add(t, pendingOut)
      pendingOut = 0
    }
    if ((o.failed ?? []).includes(t)) c.produceFailed.add(t, 10)
  }
  return c
}

describe('availabilityBetween', () => {
  it('counts nothing for a load that was served every second', () => {
    const a = availabilityBetween(counters(10), 0, 10)
    expect(a).toEqual({ from_s: 0, to_s: 10, produce_failed_s: 0, produce_stalled_s: 0, longest_produce_stall_s: 0, no_output_s: 0, longest_output_gap_s: 0, under_replicated_max: null, under_replicated_s: null })
  })

  it('counts the seconds without an ack while records waited, and the longest such run', () => {
    const a = availabilityBetween(counters(12, { noAck: [3, 4, 5, 8], failed: [4] }), 0, 12)
    expect(a.produce_stalled_s).toBe(4)
    expect(a.longest_produce_stall_s).toBe(3)
    expect(a.produce_failed_s).toBe(1)
  })

  it('counts seconds with no output while acked records were unaccounted', () => {
    const a = availabilityBetween(counters(10, { noOutput: [6, 7] }), 0, 10)
    expect(a.no_output_s).toBe(2)
    expect(a.longest_output_gap_s).toBe(2)
  })

  it('reads the under-replicated samples inside the span only', () => {
    const c = counters(10)
    for (const [t, n] of [[1, 0], [2, 3], [3, 3], [4, 0], [9, 5]] as const) c.underReplicated.set(t, n)
    const a = availabilityBetween(c, 0, 5)
    expect(a.under_replicated_max).toBe(3)
    expect(a.under_replicated_s).toBe(2)
  })
})
