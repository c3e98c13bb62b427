import { describe, expect, it } from 'vitest'
import { decodePartition, type RawBatch } from './records.ts'

const transactional = 1 << 4
const control = 1 << 5

function dataBatch(firstOffset: bigint, values: string[], attributes = 0, producerId = -1n): RawBatch {
  return {
    firstOffset,
    lastOffsetDelta: values.length - 1,
    firstTimestamp: 1_000n,
    attributes,
    producerId,
    records: values.map((v, i) => ({ offsetDelta: i, timestampDelta: BigInt(i), key: Buffer.from(`k-${v}`), value: Buffer.from(v) })),
  }
}

function marker(offset: bigint, producerId: bigint, commit: boolean): RawBatch {
  const key = Buffer.alloc(4)
  key.writeInt16BE(0, 0)
  key.writeInt16BE(commit ? 1 : 0, 2)
  return { firstOffset: offset, lastOffsetDelta: 0, firstTimestamp: 0n, attributes: transactional | control, producerId, records: [{ offsetDelta: 0, timestampDelta: 0n, key, value: Buffer.alloc(6) }] }
}

const values = (batches: RawBatch[], from: bigint, aborted?: { producerId: bigint; firstOffset: bigint }[]): string[] =>
  decodePartition('t', 0, batches, from, 0n, aborted).records.map((r) => r.value.toString())

describe('decodePartition', () => {
  it('computes offsets, timestamps, keys and the next fetch offset', () => {
    const { records, nextOffset } = decodePartition('t', 2, [dataBatch(10n, ['a', 'b']), dataBatch(12n, ['c'])], 10n, 0n)
    expect(records.map((r) => [r.topic, r.partition, r.offset, r.key, r.timestampMs])).toEqual([
      ['t', 2, 10n, 'k-a', 1000],
      ['t', 2, 11n, 'k-b', 1001],
      ['t', 2, 12n, 'k-c', 1000],
    ])
    expect(nextOffset).toBe(13n)
  })

  it('skips records before the fetch offset when a batch starts earlier', () => {
    expect(values([dataBatch(10n, ['a', 'b', 'c'])], 11n)).toEqual(['b', 'c'])
  })

  it('keeps the fetch offset when the response holds no batch', () => {
    expect(decodePartition('t', 0, [], 42n, 0n).nextOffset).toBe(42n)
  })

  it('maps a null key to null and a null value to an empty buffer', () => {
    const batch: RawBatch = { ...dataBatch(0n, ['x']), records: [{ offsetDelta: 0, timestampDelta: 0n, key: null, value: null }] }
    const [record] = decodePartition('t', 0, [batch], 0n, 0n).records
    expect(record?.key).toBeNull()
    expect(record?.value).toHaveLength(0)
  })

  it('drops control batches but advances past them', () => {
    const { records, nextOffset } = decodePartition('t', 0, [dataBatch(0n, ['a'], transactional, 7n), marker(1n, 7n, true)], 0n, 0n, [])
    expect(records.map((r) => r.value.toString())).toEqual(['a'])
    expect(nextOffset).toBe(2n)
  })

  it('drops aborted transactions under READ_COMMITTED and keeps committed ones', () => {
    const batches = [
      dataBatch(0n, ['ok1'], transactional, 1n),
      marker(1n, 1n, true),
      dataBatch(2n, ['bad1', 'bad2'], transactional, 2n),
      dataBatch(4n, ['plain']),
      marker(5n, 2n, false),
      dataBatch(6n, ['ok2'], transactional, 2n),
    ]
    expect(values(batches, 0n, [{ producerId: 2n, firstOffset: 2n }])).toEqual(['ok1', 'plain', 'ok2'])
  })

  it('drops an aborted transaction whose abort marker is not in this response yet', () => {
    expect(values([dataBatch(0n, ['bad'], transactional, 3n)], 0n, [{ producerId: 3n, firstOffset: 0n }])).toEqual([])
  })

  it('delivers aborted records when isolation is READ_UNCOMMITTED (no aborted list)', () => {
    expect(values([dataBatch(0n, ['bad'], transactional, 3n), marker(1n, 3n, false)], 0n)).toEqual(['bad'])
  })
})
