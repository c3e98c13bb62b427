import { Reader, fetchV17 } from '@platformatic/kafka'
import { describe, expect, it } from 'vitest'
import { isLeaderChangeMisparse } from './platformatic.ts'

const notLeaderOrFollower = 6

/** Bytes of a Fetch v17 response body (after the response header) where every partition reports a leader change. */
function leaderChangeResponse(topics: number, partitions: number, withCurrentLeader: boolean): Buffer {
  const bytes: Buffer[] = []
  const int16 = (v: number): void => {
    const b = Buffer.alloc(2)
    b.writeInt16BE(v)
    bytes.push(b)
  }
  const int32 = (v: number): void => {
    const b = Buffer.alloc(4)
    b.writeInt32BE(v)
    bytes.push(b)
  }
  const int64 = (v: bigint): void => {
    const b = Buffer.alloc(8)
    b.writeBigInt64BE(v)
    bytes.push(b)
  }
  // Every count and length below is < 128, so an unsigned varint is one byte.
  const uvarint = (v: number): void => {
    bytes.push(Buffer.from([v]))
  }
  int32(0) // throttle_time_ms
  int16(0) // error_code
  int32(0) // session_id
  uvarint(topics + 1)
  for (let t = 0; t < topics; t++) {
    bytes.push(Buffer.alloc(16, t + 1)) // topic_id
    uvarint(partitions + 1)
    for (let p = 0; p < partitions; p++) {
      int32(p) // partition_index
      int16(notLeaderOrFollower)
      int64(-1n) // high_watermark
      int64(-1n) // last_stable_offset
      int64(-1n) // log_start_offset
      uvarint(0) // aborted_transactions: null
      int32(-1) // preferred_read_replica
      uvarint(0) // records: null
      if (withCurrentLeader) {
        // Tagged fields: one field, tag 1 (CurrentLeader), 9 bytes: leader_id, leader_epoch, empty tagged fields.
        uvarint(1)
        uvarint(1)
        uvarint(9)
        int32(1)
        int32(4)
        uvarint(0)
      } else {
        uvarint(0)
      }
    }
    uvarint(0) // topic tagged fields
  }
  uvarint(0) // response tagged fields
  return Buffer.concat(bytes)
}

function parseError(buffer: Buffer): unknown {
  try {
    fetchV17.parseResponse(0, 1, 17, Reader.from(buffer))
  } catch (error) {
    return error
  }
  return null
}

describe('Fetch responses during a leader change (@platformatic/kafka 1.35)', () => {
  it('decodes the partition errors when the partitions carry no tagged fields', () => {
    const error = parseError(leaderChangeResponse(2, 2, false))
    expect((error as { code?: string } | null)?.code).toBe('PLT_KFK_RESPONSE')
    expect(isLeaderChangeMisparse(error)).toBe(false)
  })

  it('fails with OUT_OF_BOUNDS on the CurrentLeader tagged field, which the consumer treats as transient', () => {
    const error = parseError(leaderChangeResponse(2, 2, true))
    // When this stops failing, the library reads tagged fields correctly and the workaround can go.
    expect((error as { code?: string } | null)?.code).toBe('OUT_OF_BOUNDS')
    expect(isLeaderChangeMisparse(error)).toBe(true)
    expect(isLeaderChangeMisparse(new AggregateError([error], 'fetch failed 4 times.'))).toBe(true)
  })
})
