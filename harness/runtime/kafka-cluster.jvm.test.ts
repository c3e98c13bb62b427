import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { createKafkaClient } from '../kafka/index.ts'
import { countUnderReplicated } from '../run/replication-watch.ts'
import { detectJava } from './java.ts'
import { LocalKafkaCluster } from './kafka-cluster.ts'
import { canConnect } from './ports.ts'
import { liveProcessCount } from './processes.ts'

const dir = mkdtempSync(join(tmpdir(), 'telcobench-cluster-test-'))
afterAll(() => {
  rmSync(dir, { recursive: true, force: true })
})

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs / 1000} s`)
    await new Promise((r) => setTimeout(r, 250))
  }
}

describe('local replicated Kafka cluster', () => {
  it('replicates a topic over 3 nodes, loses no acked record when the leader is killed, and stops every node', async () => {
    const cluster = await LocalKafkaCluster.start({ java: await detectJava(), dir, logDir: join(dir, 'logs'), profile: 'functional', partitions: 1, brokers: 3, replicationFactor: 3, minInsyncReplicas: 2 })
    const client = createKafkaClient('platformatic', { bootstrap: cluster.bootstrap, clientId: 'cluster-test' })
    const admin = await client.admin()
    try {
      expect(readdirSync(join(dir, 'logs')).filter((f) => /^kafka-broker-\d\.log$/.test(f)).sort()).toEqual(['kafka-broker-1.log', 'kafka-broker-2.log', 'kafka-broker-3.log'])
      expect([1, 2, 3]).toContain(await cluster.activeController())
      await admin.createTopics(['t'], 1, 3, 2)
      const [state] = await admin.partitionStates(['t'])
      expect(state?.replicas.slice().sort()).toEqual([1, 2, 3])

      const producer = await client.producer({ idempotent: true, acks: 'all' })
      // Retried as the harness's pacer retries: the client's metadata may still name the dead leader for a moment.
      const send = async (from: number, to: number): Promise<void> => {
        for (let i = from; i < to; i += 50) {
          const batch = Array.from({ length: 50 }, (_, j) => ({ key: null, value: `r${i + j}` }))
          await until(`batch ${i} acknowledged`, async () => {
            await producer.send('t', batch)
            return true
          })
        }
      }
      await send(0, 500)
      const leader = state?.leader ?? 0
      await cluster.node(leader).kill()
      expect(await canConnect('127.0.0.1', cluster.node(leader).clientPort)).toBe(false)
      // The controller fences the dead node after the session timeout and moves the leadership; acks=all waits.
      await until('a new leader', async () => ((await admin.partitionStates(['t']))[0]?.leader ?? -1) > 0 && (await admin.partitionStates(['t']))[0]?.leader !== leader)
      expect(countUnderReplicated(await admin.partitionStates(['t']))).toBe(1)
      await send(500, 1000)
      await producer.close()
      await cluster.node(leader).restart()
      await until('the restarted node back in sync', async () => countUnderReplicated(await admin.partitionStates(['t'])) === 0)

      const seen = new Set<string>()
      const consumer = await client.consumer({ topics: ['t'], fromBeginning: true, readCommitted: false })
      const reading = consumer.run((records) => {
        for (const r of records) seen.add(r.value.toString())
        if (seen.size >= 1000) void consumer.close()
      })
      await reading
      expect(seen.size).toBe(1000)
    } finally {
      await admin.close()
      await cluster.stop()
    }
    expect(cluster.nodes.every((n) => !n.running)).toBe(true)
    expect(liveProcessCount()).toBe(0)
  })
})
