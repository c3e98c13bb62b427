import type { ScheduledEvent } from '../../generators/index.ts'

/** The one Kafka key every hot subscriber's usage records are sent with: one key, so one partition of cdr. */
export const hotKey = 'hot-partition'

/** FNV-1a, 32 bits: a stable, even spread of IMSIs over [0, 2^32) that does not depend on the partition count. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i)
    hash = Math.imul(hash, 0x01000193) >>> 0
  }
  return hash
}

/** Whether a subscriber (its IMSI, the usage records' key) is one of the `share` whose traffic is skewed. */
export function isHotSubscriber(imsi: string, share: number): boolean {
  return fnv1a(imsi) / 2 ** 32 < share
}

/**
 * The record key for a skewed load (scenario `load.hotPartitionShare`): a hot subscriber's usage records carry
 * {@link hotKey}, everything else keeps its own key. A subscriber is hot or not for the whole run, so its records
 * stay in order on one partition; the Spark job reads the subscriber from the value, never from the key.
 */
export function hotPartitionKey(share: number): (event: ScheduledEvent) => string | null {
  return (event) => (event.topic === 'cdr' && event.key !== null && isHotSubscriber(event.key, share) ? hotKey : event.key)
}
