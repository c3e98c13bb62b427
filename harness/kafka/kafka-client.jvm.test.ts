import { randomUUID } from 'node:crypto'
import { Producer as PltProducer, murmur2 } from '@platformatic/kafka'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { TelcobenchError } from '../errors.ts'
import { consumingInThreads, createKafkaClient, type Admin, type Consumer, type InRecord, type KafkaClient, type KafkaClientKind, type OutRecord } from './index.ts'

// Provided by test/jvm-global-setup.ts: one real Kafka broker for every jvm test file.
const bootstrap = inject('kafkaBootstrap')

/** The partition the Java client picks for a key on a topic with `partitions` partitions. */
function javaPartition(key: string, partitions: number): number {
  return (murmur2(Buffer.from(key)) & 0x7fffffff) % partitions
}

/** Runs the consumer until `until(all)` holds, then closes it; fails after `timeoutMs`. */
async function collect(consumer: Consumer, until: (all: InRecord[]) => boolean, timeoutMs = 10_000): Promise<InRecord[]> {
  const all: InRecord[] = []
  const timer = setTimeout(() => void consumer.close(), timeoutMs)
  try {
    await consumer.run((batch) => {
      all.push(...batch)
      if (until(all)) void consumer.close()
    })
  } finally {
    clearTimeout(timer)
  }
  return all
}

function uniqueTopic(kind: KafkaClientKind, what: string): string {
  return `tb-test.${kind}.${what}.${randomUUID().slice(0, 8)}`
}

/** Each adapter, and each again with its consumers in a thread of their own (how the harness reads the output). */
const variants: { name: string; kind: KafkaClientKind; threaded: boolean }[] = [
  { name: 'platformatic', kind: 'platformatic', threaded: false },
  { name: 'kafkajs', kind: 'kafkajs', threaded: false },
  { name: 'platformatic, consumers in a thread,', kind: 'platformatic', threaded: true },
  { name: 'kafkajs, consumers in a thread,', kind: 'kafkajs', threaded: true },
]

/** The adapter of `kind`, its consumers in threads when `threaded`. */
function clientOf(kind: KafkaClientKind, threaded: boolean, bootstrapServers: string[], clientId: string): KafkaClient {
  const connection = { bootstrap: bootstrapServers, clientId }
  const client = createKafkaClient(kind, connection)
  return threaded ? consumingInThreads(client, connection) : client
}

describe.each(variants)('$name adapter against a real broker', ({ kind, threaded }) => {
  let client: KafkaClient
  let admin: Admin

  beforeAll(async () => {
    client = clientOf(kind, threaded, [bootstrap], `tb-test-${kind}`)
    admin = await client.admin()
  })
  afterAll(async () => {
    await admin.close()
  })

  it('describes the single-node cluster', async () => {
    expect(await admin.describeCluster()).toEqual({ brokers: 1, controller: expect.any(Number) as number })
  })

  it('round-trips 5000 keyed records through 4 partitions, then deletes the topic', async () => {
    const topic = uniqueTopic(kind, 'roundtrip')
    await admin.createTopics([topic], 4)
    expect(await admin.listTopics()).toContain(topic)

    const n = 5000
    const records: OutRecord[] = Array.from({ length: n }, (_, i) => ({ key: `imsi-${i % 257}`, value: `event-${i}` }))
    const producer = await client.producer({ idempotent: true, acks: 'all', lingerMs: 5 })
    const batches = Array.from({ length: 5 }, (_, b) => records.slice(b * 1000, (b + 1) * 1000))
    await Promise.all(batches.map((batch) => producer.send(topic, batch)))
    await producer.close()

    const ends = await admin.endOffsets(topic)
    expect([...ends.keys()].sort()).toEqual([0, 1, 2, 3])
    expect([...ends.values()].reduce((a, b) => a + b, 0n)).toBe(BigInt(n))

    const consumer = await client.consumer({ topics: [topic], fromBeginning: true, readCommitted: false })
    const got = await collect(consumer, (all) => all.length >= n)
    expect(got).toHaveLength(n)
    const byValue = new Map(got.map((r) => [r.value.toString(), r]))
    expect(byValue.size).toBe(n)
    for (const [i, sent] of records.entries()) {
      const r = byValue.get(`event-${i}`)
      expect(r?.key).toBe(sent.key)
      expect(r?.topic).toBe(topic)
      expect(r?.partition).toBe(javaPartition(sent.key ?? '', 4))
      expect(r?.timestampMs).toBeGreaterThan(Date.now() - 60_000)
    }

    await admin.deleteTopics([topic])
    const deadline = Date.now() + 5000
    while ((await admin.listTopics()).includes(topic) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100))
    expect(await admin.listTopics()).not.toContain(topic)
  })

  it('round-trips gzip-compressed batches from a leader-acknowledged, non-idempotent producer', async () => {
    const topic = uniqueTopic(kind, 'gzip')
    await admin.createTopics([topic], 2)
    const n = 1000
    const producer = await client.producer({ idempotent: false, acks: 1, lingerMs: 5, compression: 'gzip' })
    await Promise.all([0, 1].map((half) => producer.send(topic, Array.from({ length: n / 2 }, (_, i) => ({ key: `imsi-${i % 31}`, value: `event-${half * (n / 2) + i} ${'x'.repeat(200)}` })))))
    await producer.close()
    const consumer = await client.consumer({ topics: [topic], fromBeginning: true, readCommitted: false })
    const got = await collect(consumer, (all) => all.length >= n)
    expect(new Set(got.map((r) => r.value.toString().split(' ')[0])).size).toBe(n)
    await admin.deleteTopics([topic])
  })

  it('sends topic configs with CreateTopics: the broker refuses an invalid value and takes a valid one', async () => {
    const bad = uniqueTopic(kind, 'badconfig')
    await expect(admin.createTopics([bad], 1, 1, undefined, { 'message.timestamp.type': 'NoSuchTimestampType' })).rejects.toThrow()
    const good = uniqueTopic(kind, 'logappend')
    await admin.createTopics([good], 1, 1, undefined, { 'message.timestamp.type': 'LogAppendTime' })
    expect(await admin.listTopics()).toContain(good)
    await admin.deleteTopics([good])
  })

  it('keeps per-key order and writes no duplicates with the idempotent producer and overlapping sends', async () => {
    const topic = uniqueTopic(kind, 'idempotent')
    await admin.createTopics([topic], 2)
    const producer = await client.producer({ idempotent: true, acks: 'all' })
    const keys = 20
    const perSend = 500
    const sends = 8
    await Promise.all(
      Array.from({ length: sends }, (_, s) =>
        producer.send(
          topic,
          Array.from({ length: perSend }, (_, i) => ({ key: `k${i % keys}`, value: String(s * perSend + i) })),
        ),
      ),
    )
    await producer.close()
    const total = sends * perSend
    const ends = await admin.endOffsets(topic)
    expect([...ends.values()].reduce((a, b) => a + b, 0n)).toBe(BigInt(total))

    const got = await collect(await client.consumer({ topics: [topic], fromBeginning: true, readCommitted: false }), (all) => all.length >= total)
    expect(new Set(got.map((r) => r.value.toString())).size).toBe(total)
    const lastPerKey = new Map<string, number>()
    for (const r of [...got].sort((a, b) => (a.partition - b.partition) || Number(a.offset - b.offset))) {
      const seq = Number(r.value.toString())
      const key = r.key ?? ''
      expect(seq).toBeGreaterThan(lastPerKey.get(key) ?? -1)
      lastPerKey.set(key, seq)
    }
    await admin.deleteTopics([topic])
  })

  it('hides aborted transactions from a READ_COMMITTED consumer and shows them to READ_UNCOMMITTED', async () => {
    const topic = uniqueTopic(kind, 'txn')
    await admin.createTopics([topic], 1)
    const committed = await client.producer({ idempotent: true, acks: 'all', transactionalId: `${topic}-committed` })
    const batch = (tag: string, count: number): OutRecord[] => Array.from({ length: count }, (_, i) => ({ key: `s${i}`, value: `${tag}-${i}` }))
    await committed.send(topic, batch('a', 100))

    // Kafka transactions are client-agnostic: write the aborted one with the library directly.
    const raw = new PltProducer({ clientId: 'tb-test-abort', bootstrapBrokers: [bootstrap], idempotent: true, transactionalId: `${topic}-aborted` })
    const transaction = await raw.beginTransaction()
    await transaction.send({ messages: batch('b', 50).map((r) => ({ topic, key: Buffer.from(r.key ?? ''), value: Buffer.from(r.value) })) })
    await transaction.abort()
    await raw.close()

    await committed.send(topic, batch('c', 100))
    await committed.close()

    const lastC = (all: InRecord[]): boolean => all.some((r) => r.value.toString() === 'c-99')
    const readCommitted = await collect(await client.consumer({ topics: [topic], fromBeginning: true, readCommitted: true }), lastC)
    expect(readCommitted.map((r) => r.value.toString().split('-')[0])).toEqual([...Array<string>(100).fill('a'), ...Array<string>(100).fill('c')])

    const readUncommitted = await collect(await client.consumer({ topics: [topic], fromBeginning: true, readCommitted: false }), lastC)
    expect(readUncommitted.filter((r) => r.value.toString().startsWith('b-'))).toHaveLength(50)
    await admin.deleteTopics([topic])
  })

  it('delivers only new records to a consumer that does not start from the beginning, within a second', async () => {
    const topic = uniqueTopic(kind, 'tail')
    await admin.createTopics([topic], 4)
    const producer = await client.producer({ idempotent: true, acks: 'all' })
    await producer.send(topic, batchOf('old', 200))
    const consumer = await client.consumer({ topics: [topic], fromBeginning: false, readCommitted: false })
    const received: InRecord[] = []
    const arrivals = new Map<string, number>()
    const running = consumer.run((batch) => {
      for (const r of batch) arrivals.set(r.value.toString(), Date.now())
      received.push(...batch)
    })
    // The consumer's start position is fixed once it is assigned: probe until the first probe arrives.
    const deadline = Date.now() + 10_000
    for (let i = 0; !received.some((r) => r.value.toString().startsWith('probe')) && Date.now() < deadline; i++) {
      await producer.send(topic, [{ key: null, value: `probe-${i}` }])
      await new Promise((r) => setTimeout(r, 100))
    }
    const sentAt = Date.now()
    const sentNs = process.hrtime.bigint()
    await producer.send(topic, [{ key: 'x', value: 'timed' }])
    while (!arrivals.has('timed') && Date.now() < sentAt + 5000) await new Promise((r) => setTimeout(r, 5))
    // Stamped when its fetch response arrived: after the send began, before the callback saw it.
    const timed = received.find((r) => r.value.toString() === 'timed')
    expect(timed?.receivedNs).toBeGreaterThan(sentNs)
    expect(Number((timed?.receivedNs ?? 0n) - sentNs) / 1e6).toBeLessThanOrEqual((arrivals.get('timed') ?? 0) - sentAt + 1)
    await consumer.close()
    await running
    await producer.close()
    expect(received.some((r) => r.value.toString().startsWith('old'))).toBe(false)
    expect((arrivals.get('timed') ?? Infinity) - sentAt).toBeLessThan(1000)
    await admin.deleteTopics([topic])
  })

  it('resumes a consumer group from its committed offsets', async () => {
    const topic = uniqueTopic(kind, 'group')
    const groupId = `${topic}-group`
    await admin.createTopics([topic], 2)
    const producer = await client.producer({ idempotent: true, acks: 'all' })
    await producer.send(topic, batchOf('first', 300))
    const first = await collect(await client.consumer({ topics: [topic], fromBeginning: true, readCommitted: false, groupId }), (all) => all.length >= 300)
    expect(first).toHaveLength(300)

    await producer.send(topic, batchOf('second', 200))
    await producer.close()
    // Keep reading for a moment after the 200th record, so that re-delivered old records would show up.
    const resumed = await client.consumer({ topics: [topic], fromBeginning: true, readCommitted: false, groupId })
    const second: InRecord[] = []
    const timeout = setTimeout(() => void resumed.close(), 10_000)
    await resumed.run((batch) => {
      second.push(...batch)
      if (second.length >= 200 && second.length - batch.length < 200) setTimeout(() => void resumed.close(), 300)
    })
    clearTimeout(timeout)
    expect(second.map((r) => r.value.toString().split('-')[0])).toEqual(Array<string>(200).fill('second'))
    await admin.deleteTopics([topic])
  })

  it('fails with TB_INFRA_UNAVAILABLE naming the address when no broker listens there', async () => {
    const dead = clientOf(kind, threaded, ['127.0.0.1:1'], 'tb-test-dead')
    // One at a time: a second attempt started up front would reject while the first is awaited, with no handler yet.
    for (const start of [() => dead.admin(), () => dead.consumer({ topics: ['t'], fromBeginning: true, readCommitted: false })]) {
      const attempt = start()
      await expect(attempt).rejects.toBeInstanceOf(TelcobenchError)
      await expect(attempt).rejects.toMatchObject({ code: 'TB_INFRA_UNAVAILABLE', message: expect.stringContaining('127.0.0.1:1') as string })
    }
  })
})

function batchOf(tag: string, count: number): OutRecord[] {
  return Array.from({ length: count }, (_, i) => ({ key: `${tag}${i}`, value: `${tag}-${i}` }))
}
