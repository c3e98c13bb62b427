import type { ScheduledEvent } from './entry.ts'

let cachedStart: bigint | null = null
let startHigh = 0
let startLow = 0
const BILLION = 1_000_000_000

/**
 * The Kafka value of an event: its JSON with `"emitNs"` = runStartNs + sendOffsetNs as a JSON integer,
 * or the raw garbage of a malformed record. Cheap: one string concatenation plus integer arithmetic split at
 * 10^9 so that monotonic-clock nanoseconds beyond 2^53 stay exact without BigInt work per event.
 */
export function encodeValue(ev: ScheduledEvent, runStartNs: bigint): string {
  if (ev.raw) return ev.head
  if (runStartNs !== cachedStart) {
    cachedStart = runStartNs
    startHigh = Number(runStartNs / 1_000_000_000n)
    startLow = Number(runStartNs % 1_000_000_000n)
  }
  const low = startLow + ev.sendOffsetNs
  const carry = Math.floor(low / BILLION)
  const high = startHigh + carry
  const rest = low - carry * BILLION
  if (high === 0) return `${ev.head}${rest}}`
  return `${ev.head}${high}${String(BILLION + rest).slice(1)}}`
}
