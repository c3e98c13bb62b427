import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createKafkaClient, type KafkaClient, type Producer } from '../kafka/index.ts'
import { stopAll } from './processes.ts'
import { createRuntime, type Runtime } from './runtime.ts'

/** Median wall ms of `n` acks=all sends of one small record, one at a time. */
async function medianProduceMs(producer: Producer, topic: string, n: number): Promise<number> {
  const times: number[] = []
  for (let i = 0; i < n; i++) {
    const began = performance.now()
    await producer.send(topic, [{ key: `k${i}`, value: `v${i}` }])
    times.push(performance.now() - began)
  }
  times.sort((a, b) => a - b)
  return times[Math.floor(n / 2)] ?? 0
}

// Its own broker: the shared one advertises its real port, so clients would bypass a proxy after bootstrap.
describe('network proxy in front of a real broker (local runtime, networkProxy)', () => {
  let dir: string
  let runtime: Runtime
  let client: KafkaClient
  let producer: Producer
  const topic = 'tb-test.proxy'

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'telcobench-proxy-'))
    runtime = await createRuntime({ kind: 'local', runDir: dir, logDir: join(dir, 'logs'), brokerProfile: 'functional', partitions: 1, networkProxy: true, log: () => undefined })
    client = createKafkaClient('platformatic', runtime.kafka)
    const admin = await client.admin()
    await admin.createTopics([topic], 1)
    await admin.close()
    producer = await client.producer({ idempotent: true, acks: 'all', lingerMs: 0 })
  })

  afterAll(async () => {
    await producer.close().catch(() => undefined)
    await runtime.close()
    await stopAll()
    rmSync(dir, { recursive: true, force: true })
  })

  it('every client connection goes through the proxy, and a 100 ms delay adds ≥ 200 ms to each acks=all send', async () => {
    const network = runtime.network
    if (network === null) throw new Error('the local runtime did not put a proxy in the path')
    const plain = await medianProduceMs(producer, topic, 15)
    const chunksBefore = network.stats.chunks
    network.impair({ kind: 'delay', delayMs: 100 })
    const delayed = await medianProduceMs(producer, topic, 10)
    network.heal()
    const healed = await medianProduceMs(producer, topic, 10)
    // The produce request and its response each cross the proxy once.
    expect(delayed - plain).toBeGreaterThanOrEqual(190)
    expect(delayed).toBeLessThan(plain + 400)
    expect(healed).toBeLessThan(plain + 50)
    expect(network.stats.chunks).toBeGreaterThan(chunksBefore)
  })

  it('survives a broker kill and restart: clients reconnect through the same proxy port', async () => {
    const broker = runtime.broker
    if (broker === null) throw new Error('the local runtime owns its broker')
    await broker.kill()
    await broker.restart()
    const connectionsBefore = runtime.network?.stats.connections ?? 0
    await producer.send(topic, [{ key: 'after', value: 'restart' }])
    expect(runtime.network?.stats.connections ?? 0).toBeGreaterThan(connectionsBefore)
  })
})
