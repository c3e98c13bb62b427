import { describe, expect, it } from 'vitest'
import type { Admin, Consumer, InRecord, KafkaClient } from '../kafka/index.ts'
import { billsCaughtUp, consumedInputOffsets, isAccountingQuery, readUnreadInput, usageIdOf } from './unread-input.ts'

const topic = 'tb.run.cdr'

/** A StreamingQueryProgress record as the Spark job publishes it (only the keys read here). */
const progress = (name: string, endOffset: unknown): unknown => ({ name, batchId: 1, sources: [{ description: `KafkaV2[Subscribe[${topic}]]`, startOffset: null, endOffset, numInputRows: 10 }] })

describe('billsCaughtUp', () => {
  const ends = new Map([[0, 30n], [1, 45n]])

  it('in real-time mode waits for the billing query, not for rating-rt', () => {
    const ratingRtAtEnd = progress('rating-rt', { [topic]: { '0': 30, '1': 45 } })
    expect(billsCaughtUp([ratingRtAtEnd, progress('billing', { [topic]: { '0': 30, '1': 44 } })], topic, ends)).toBe(false)
    expect(billsCaughtUp([ratingRtAtEnd, progress('billing', { [topic]: { '0': 30, '1': 44 } }), progress('billing', { [topic]: { '0': 30, '1': 45 } })], topic, ends)).toBe(true)
  })

  it('is not caught up while the end offsets are not known yet, unless there is no billing query', () => {
    expect(billsCaughtUp([progress('billing', { [topic]: { '0': 30, '1': 45 } })], topic, null)).toBe(false)
    expect(billsCaughtUp([progress('rating', { [topic]: { '0': 1 } })], topic, null)).toBe(true)
  })

  it('counts a partition no billing query reported as not read', () => {
    expect(billsCaughtUp([progress('billing', { [topic]: { '0': 30 } })], topic, ends)).toBe(false)
  })

  it('has nothing to wait for without a separate billing query: micro-batch rating and Flink write bills with the rated records', () => {
    expect(billsCaughtUp([progress('rating', { [topic]: { '0': 1 } }), progress('rating+fraud', { [topic]: { '0': 1 } })], topic, ends)).toBe(true)
  })
})

describe('consumedInputOffsets', () => {
  it('takes the largest end offset per partition over the batches of the rating query', () => {
    const records = [
      progress('rating', { [topic]: { '0': 10, '1': 7 } }),
      progress('rating', { [topic]: { '0': 25, '1': 7 } }),
      // A restarted query replays from its checkpoint: an older offset does not move the position back.
      progress('rating', { [topic]: { '0': 20, '1': 9 } }),
      progress('fraud', { [topic]: { '0': 99, '1': 99 } }),
      progress('network', { 'tb.run.pm': { '0': 5 } }),
    ]
    expect(consumedInputOffsets(records, topic)).toEqual(new Map([[0, 25n], [1, 9n]]))
  })

  it('reads offsets Spark rendered as text, and ignores what is not an offset', () => {
    const records = [progress('rating', JSON.stringify({ [topic]: { '0': 4, '1': 3 } })), progress('rating', 'not json'), { name: 'rating' }, null, 'text']
    expect(consumedInputOffsets(records, topic)).toEqual(new Map([[0, 4n], [1, 3n]]))
  })

  it('with several accounting queries (real-time mode), a record is consumed when every one of them is past it', () => {
    const records = [progress('rating-rt', { [topic]: { '0': 50, '1': 40 } }), progress('billing', { [topic]: { '0': 30, '1': 45 } })]
    expect(consumedInputOffsets(records, topic)).toEqual(new Map([[0, 30n], [1, 40n]]))
  })

  it('counts a Spark query the rating query shares with others (query layout), and no query that only contains the word', () => {
    const records = [progress('rating+fraud', { [topic]: { '0': 12 } }), progress('network+fraud', { [topic]: { '0': 99 } }), progress('ratings', { [topic]: { '0': 99 } })]
    expect(consumedInputOffsets(records, topic)).toEqual(new Map([[0, 12n]]))
    expect(['rating', 'rating+network+fraud', 'rating-rt', 'billing'].map(isAccountingQuery)).toEqual([true, true, true, true])
    expect(['fraud', 'network+fraud', 'ratings'].map(isAccountingQuery)).toEqual([false, false, false])
  })

  it('is empty when no accounting query reported progress', () => {
    expect(consumedInputOffsets([progress('fraud', { [topic]: { '0': 5 } })], topic)).toEqual(new Map())
  })
})

/** A Kafka client over an in-memory topic: partition → values in offset order, delivered in batches of `batch`. */
function memoryClient(partitions: string[][], batch = 3): KafkaClient & { consumersClosed: number } {
  const client = {
    kind: 'kafkajs' as const,
    consumersClosed: 0,
    producer: () => Promise.reject(new Error('not used')),
    admin: (): Promise<Admin> =>
      Promise.resolve({
        endOffsets: () => Promise.resolve(new Map(partitions.map((values, p) => [p, BigInt(values.length)]))),
        close: () => Promise.resolve(),
        createTopics: () => Promise.resolve(),
        deleteTopics: () => Promise.resolve(),
        listTopics: () => Promise.resolve([topic]),
        partitionStates: () => Promise.resolve([]),
        createAcls: () => Promise.resolve(),
        describeCluster: () => Promise.resolve({ brokers: 1, controller: 1 }),
      }),
    consumer: (): Promise<Consumer> => {
      let closed = false
      let stop: () => void = () => undefined
      return Promise.resolve({
        run: async (onBatch: (records: InRecord[]) => void) => {
          const all = partitions.flatMap((values, p) => values.map((v, i): InRecord => ({ topic, partition: p, offset: BigInt(i), key: null, value: Buffer.from(v), timestampMs: 0, receivedNs: 0n })))
          for (let i = 0; i < all.length && !closed; i += batch) {
            onBatch(all.slice(i, i + batch))
            await new Promise((r) => setTimeout(r, 1))
          }
          // Like a real consumer, it then waits for more until closed.
          if (!closed) await new Promise<void>((r) => { stop = r })
        },
        close: () => {
          closed = true
          client.consumersClosed++
          stop()
          return Promise.resolve()
        },
      })
    },
  }
  return client
}

const idOf = (value: Buffer): string | null => {
  const text = value.toString()
  return text.startsWith('id:') ? text.slice(3) : null
}

describe('readUnreadInput', () => {
  it('returns the ids at or past the consumed offset of each partition, and skips records without an id', async () => {
    const client = memoryClient([
      ['id:a', 'id:b', 'id:c', 'id:d'],
      ['id:e', 'pm-counter', 'id:f'],
      ['id:g'],
    ])
    const unread = await readUnreadInput({ client, topic, consumed: new Map([[0, 2n], [1, 1n], [2, 1n]]), idOf })
    expect(unread).toEqual({ ids: new Set(['c', 'd', 'f']), records: 4 })
    expect(client.consumersClosed).toBe(1)
  })

  it('reads nothing when the pipeline consumed every partition to its end', async () => {
    const client = memoryClient([['id:a'], ['id:b']])
    expect(await readUnreadInput({ client, topic, consumed: new Map([[0, 1n], [1, 1n]]), idOf })).toEqual({ ids: new Set(), records: 0 })
    expect(client.consumersClosed).toBe(0)
  })

  it('a partition the pipeline never reported is unread from its first record', async () => {
    const client = memoryClient([['id:a', 'id:b'], ['id:c']])
    expect(await readUnreadInput({ client, topic, consumed: new Map([[0, 2n]]), idOf })).toEqual({ ids: new Set(['c']), records: 1 })
  })

  it('gives up with a reason when the topic cannot be read to its end in time', async () => {
    const client = memoryClient([['id:a', 'id:b']])
    const admin = await client.admin()
    // The end offsets promise a record the consumer never delivers.
    client.admin = () => Promise.resolve({ ...admin, endOffsets: () => Promise.resolve(new Map([[0, 5n]])) })
    expect(await readUnreadInput({ client, topic, consumed: new Map(), idOf, timeoutMs: 200 })).toEqual({ error: 'partitions 0 not read to their end within 0.2 s' })
    expect(client.consumersClosed).toBe(1)
  })
})

describe('usageIdOf', () => {
  it('reads the id of a cdr record, and the remembered id of bytes that are not JSON', () => {
    const garbage = '{"id":"u7","durat'
    const unparsable = new Map([[garbage, 'u7']])
    expect(usageIdOf(Buffer.from('{"id":"u1","subscriber":"s"}'), unparsable)).toBe('u1')
    expect(usageIdOf(Buffer.from(garbage), unparsable)).toBe('u7')
    expect(usageIdOf(Buffer.from('{"cell":"c1"}'), unparsable)).toBeNull()
    expect(usageIdOf(Buffer.from('not json'), unparsable)).toBeNull()
    expect(usageIdOf(Buffer.from('null'), unparsable)).toBeNull()
  })
})
