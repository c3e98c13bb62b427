import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { detectJava } from '../runtime/java.ts'
import { LocalKafkaBroker } from '../runtime/kafka-broker.ts'
import { createKafkaClient, type InRecord } from './index.ts'

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

// Its own broker: the shared one of test/jvm-global-setup.ts must not be paused under the other test files.
describe('the output consumer across a broker pause (SIGSTOP past the request timeout, then SIGCONT)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'telcobench-pause-test-'))
  let broker: LocalKafkaBroker

  beforeAll(async () => {
    broker = new LocalKafkaBroker({ java: await detectJava(), dir, logDir: join(dir, 'logs'), profile: 'functional' })
    await broker.start()
  })
  afterAll(async () => {
    await broker.stop()
    rmSync(dir, { recursive: true, force: true })
  })

  it('platformatic: keeps reading after a 12 s pause that gets the broker fenced, every record once', async () => {
    const client = createKafkaClient('platformatic', { bootstrap: [broker.bootstrap], clientId: 'tb-pause-test' })
    const admin = await client.admin()
    await admin.createTopics(['pause.a', 'pause.b'], 4)
    await admin.close()
    const producer = await client.producer({ idempotent: true, acks: 'all' })
    const consumer = await client.consumer({ topics: ['pause.a', 'pause.b'], fromBeginning: true, readCommitted: true, maxWaitMs: 100 })
    const received: InRecord[] = []
    let failure: unknown = null
    const running = consumer.run((batch) => received.push(...batch)).catch((error: unknown) => {
      failure = error
    })
    let sent = 0
    let sending = true
    const sender = (async (): Promise<void> => {
      while (sending) {
        // A send that fails during the pause is retried with the same value, so each value is sent once.
        await producer.send(sent % 2 === 0 ? 'pause.a' : 'pause.b', [{ key: String(sent), value: `v${sent}` }]).then(
          () => sent++,
          () => undefined,
        )
        await sleep(50)
      }
    })()

    // The harness's consumer broke when the broker's own controller fenced it on resume (session timed out during
    // the pause) and every leader epoch moved; whether the controller fences before the next heartbeat is a race,
    // so pause again until the broker log shows the fence.
    const kafkaLog = join(dir, 'logs', 'kafka.log')
    let fenced = false
    for (let attempt = 0; attempt < 4 && !fenced; attempt++) {
      await sleep(4000)
      broker.pause()
      await sleep(12_000)
      broker.resume()
      await sleep(3000)
      fenced = readFileSync(kafkaLog, 'utf8').includes('because its session has timed out')
    }
    await sleep(5000)
    sending = false
    await sender
    const deadline = Date.now() + 15_000
    while (received.length < sent && failure === null && Date.now() < deadline) await sleep(200)
    await consumer.close()
    await running
    await producer.close()

    expect(fenced).toBe(true)
    expect(failure).toBeNull()
    const values = received.map((r) => r.value.toString())
    expect(new Set(values).size).toBe(values.length)
    expect(values.length).toBe(sent)
    expect(sent).toBeGreaterThan(100)
  })
})
