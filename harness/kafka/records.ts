import type { InRecord } from './port.ts'

// Record-batch attribute bits (KIP-98): bit 4 transactional, bit 5 control batch.
const transactionalBit = 1 << 4
const controlBit = 1 << 5

/** The fields of a Kafka v2 record batch this module reads (structurally @platformatic/kafka's `RecordsBatch`). */
export interface RawBatch {
  firstOffset: bigint
  lastOffsetDelta: number
  firstTimestamp: bigint
  attributes: number
  producerId: bigint
  records: { offsetDelta: number; timestampDelta: bigint; key: Buffer | null; value: Buffer | null }[]
}

/** An aborted transaction as a READ_COMMITTED fetch response lists it. */
export interface AbortedTransaction {
  producerId: bigint
  firstOffset: bigint
}

/** What one partition of a fetch response yields. */
export interface DecodedPartition {
  records: InRecord[]
  /** The offset to fetch next; unchanged when the response held no batch. */
  nextOffset: bigint
}

/** True for a control batch whose marker is ABORT (control record key: version int16, type int16 = 0). */
function isAbortMarker(batch: RawBatch): boolean {
  const key = batch.records[0]?.key
  return key !== null && key !== undefined && key.length >= 4 && key.readInt16BE(2) === 0
}

/**
 * Turns the record batches of one fetched partition into records, the way the Java consumer does:
 * skips records before `fetchOffset` (a batch may start earlier), control batches and, when
 * `aborted` is given (READ_COMMITTED), the data batches of aborted transactions. The aborted set is
 * tracked across the batches in offset order, so it holds even when a response ends before the
 * transaction's abort marker. Every record carries `receivedNs`, when its fetch response arrived.
 */
export function decodePartition(
  topic: string,
  partition: number,
  batches: readonly RawBatch[],
  fetchOffset: bigint,
  receivedNs: bigint,
  aborted?: readonly AbortedTransaction[],
): DecodedPartition {
  const records: InRecord[] = []
  let nextOffset = fetchOffset
  const upcoming = aborted === undefined ? [] : [...aborted].sort((a, b) => (a.firstOffset < b.firstOffset ? -1 : a.firstOffset > b.firstOffset ? 1 : 0))
  const abortedProducers = new Set<bigint>()
  for (const batch of batches) {
    const batchEnd = batch.firstOffset + BigInt(batch.lastOffsetDelta) + 1n
    if (batchEnd > nextOffset) nextOffset = batchEnd
    while (upcoming.length > 0 && (upcoming[0]?.firstOffset ?? 0n) <= batch.firstOffset + BigInt(batch.lastOffsetDelta)) {
      const next = upcoming.shift()
      if (next !== undefined) abortedProducers.add(next.producerId)
    }
    if ((batch.attributes & controlBit) !== 0) {
      if (isAbortMarker(batch)) abortedProducers.delete(batch.producerId)
      continue
    }
    if ((batch.attributes & transactionalBit) !== 0 && abortedProducers.has(batch.producerId)) continue
    for (const record of batch.records) {
      const offset = batch.firstOffset + BigInt(record.offsetDelta)
      if (offset < fetchOffset) continue
      records.push({
        topic,
        partition,
        offset,
        key: record.key === null ? null : record.key.toString('utf8'),
        value: record.value ?? Buffer.alloc(0),
        timestampMs: Number(batch.firstTimestamp + record.timestampDelta),
        receivedNs,
      })
    }
  }
  return { records, nextOffset }
}
