import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { createKafkaClient, type Admin, type InRecord, type KafkaClient } from './index.ts'

// Provided by test/jvm-global-setup.ts: one real Kafka broker for every jvm test file.
const bootstrap = inject('kafkaBootstrap')

/**
 * The @platformatic/kafka adapter's broken-session workaround (platformatic.ts), reproduced on a real broker: one
 * Produce request whose batch for one topic is appended while the other topic refuses its batch
 * (MESSAGE_TOO_LARGE: the topic's max.message.bytes is smaller than the batch). The library then advances no sequence, and the
 * next send re-sends the appended record under its old sequence in a longer batch: OUT_OF_ORDER_SEQUENCE_NUMBER.
 */
describe('platformatic adapter after a partly failed idempotent request', () => {
  let client: KafkaClient
  let admin: Admin
  const ok = `tb-test.platformatic.partial-ok.${randomUUID().slice(0, 8)}`
  const refusing = `tb-test.platformatic.partial-refusing.${randomUUID().slice(0, 8)}`

  beforeAll(async () => {
    client = createKafkaClient('platformatic', { bootstrap: [bootstrap], clientId: 'tb-test-broken-session' })
    admin = await client.admin()
    await admin.createTopics([ok], 1)
    await admin.createTopics([refusing], 1, 1, undefined, { 'max.message.bytes': '200' })
  })
  afterAll(async () => {
    await admin.deleteTopics([ok, refusing]).catch(() => undefined)
    await admin.close()
  })

  it('gets the retry through on a new session, every record there at least once', async () => {
    // A linger long enough that the two sends below go out as one request.
    const producer = await client.producer({ idempotent: true, acks: 'all', lingerMs: 100 })
    const first = await Promise.allSettled([producer.send(ok, [{ key: 'a', value: 'r1' }]), producer.send(refusing, [{ key: 'a', value: 'x'.repeat(1000) }])])
    expect(first.map((s) => s.status)).toEqual(['rejected', 'rejected'])

    // The caller's retry, merged with a newer record as the pacer's retries are: the session that saw the partial
    // failure is refused; the next attempt goes through a new one.
    const retry = [{ key: 'a', value: 'r1' }, { key: 'a', value: 'r2' }]
    const attempts: string[] = []
    for (let attempt = 1; attempt <= 3; attempt++) {
      try {
        await producer.send(ok, retry)
        attempts.push('sent')
        break
      } catch (error) {
        attempts.push(JSON.stringify(error, ['apiId', 'errors', 'message']).includes('OUT_OF_ORDER_SEQUENCE_NUMBER') ? 'out-of-order' : 'other error')
      }
    }
    expect(attempts).toEqual(['out-of-order', 'sent'])
    await producer.close()

    const consumer = await client.consumer({ topics: [ok], fromBeginning: true, readCommitted: false })
    const got: InRecord[] = []
    const timer = setTimeout(() => void consumer.close(), 10_000)
    await consumer.run((batch) => {
      got.push(...batch)
      if (got.length >= 3) void consumer.close()
    })
    clearTimeout(timer)
    // r1 was appended by the partly failed request and again by the new session: an exact duplicate, which the
    // pipelines remove by id.
    expect(got.map((r) => r.value.toString())).toEqual(['r1', 'r1', 'r2'])
  })
})
