import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { createKafkaClient, type InRecord } from '../kafka/index.ts'
import { runAcls } from '../run/access.ts'
import { runIntruderCheck } from '../run/intruder.ts'
import { countDenied } from '../run/security-results.ts'
import { liveProcessCount } from './processes.ts'
import { createRuntime, type Runtime } from './runtime.ts'

const dir = mkdtempSync(join(tmpdir(), 'telcobench-security-test-'))
afterAll(() => {
  rmSync(dir, { recursive: true, force: true })
})

const prefix = 'tb.sec.'
const topics = ['cdr', 'pm', 'alarms', 'rated', 'bills', 'alerts', 'dlq', 'progress'].map((t) => `${prefix}${t}`)

/** Runs a step, naming it in the error when it fails. */
async function step<T>(name: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (error) {
    throw new Error(`${name}: ${error instanceof Error ? error.message : String(error)}`, { cause: error })
  }
}

/** Every record of `topic` from its start up to its end offsets at call time, read as the admin (super user). */
async function readAll(runtime: Runtime, topic: string): Promise<InRecord[]> {
  const client = createKafkaClient('platformatic', runtime.kafka)
  const admin = await client.admin()
  const ends = await admin.endOffsets(topic)
  await admin.close()
  const total = [...ends.values()].reduce((a, b) => a + b, 0n)
  if (total === 0n) return []
  const records: InRecord[] = []
  const consumer = await client.consumer({ topics: [topic], fromBeginning: true, readCommitted: false })
  await consumer.run((batch) => {
    records.push(...batch)
    if (BigInt(records.length) >= total) void consumer.close()
  })
  return records
}

describe('secured broker (TLS + SASL/SCRAM-SHA-512 + ACLs)', () => {
  it('refuses every intruder, lets nothing of theirs land in any topic, and lets each client do only its job', async () => {
    const runtime = await createRuntime({ kind: 'local', runDir: dir, logDir: join(dir, 'logs'), brokerProfile: 'functional', brokerReadyTimeoutMs: 180_000, partitions: 1, brokerSecurity: { tls: true, sasl: 'scram-sha-512', acls: true }, log: () => undefined })
    try {
      const security = runtime.security
      if (security === null) throw new Error('the runtime is not secured')
      const admin = await createKafkaClient('platformatic', runtime.kafka).admin()
      await admin.createTopics(topics, 1)
      await admin.createAcls(runAcls(prefix, 'sec', { generator: security.usernameOf('generator'), engine: security.usernameOf('engine'), measurer: security.usernameOf('measurer') }))

      const report = await step('intruder check', () => runIntruderCheck({ kind: 'platformatic', intruders: security.intruders(), admin, cdrTopic: `${prefix}cdr`, billsTopic: `${prefix}bills`, marker: 'intruder-sec' }))
      expect(report.attempts).toHaveLength(6)
      for (const attempt of report.attempts) expect(attempt, `${attempt.intruder} ${attempt.action}: ${attempt.detail}`).toMatchObject({ refused: true })
      expect(report.landed).toBe(0)

      // The generator may write the input, not the output; the measuring consumer may read the output, not the input.
      const generator = await step('generator producer', () => createKafkaClient('platformatic', security.connectionFor('generator')).producer({ idempotent: true, acks: 'all' }))
      await step('generator writes cdr', () => generator.send(`${prefix}cdr`, [{ key: 'k', value: 'legit' }]))
      await expect(generator.send(`${prefix}bills`, [{ key: 'k', value: 'not-allowed' }])).rejects.toThrow()
      await generator.close()
      const measurer = createKafkaClient('platformatic', security.connectionFor('measurer'))
      // Refused when the consumer looks the topic up (its start offsets), before any fetch.
      const readInput = measurer.consumer({ topics: [`${prefix}cdr`], fromBeginning: true, readCommitted: false }).then(async (c) => {
        try {
          await c.run(() => undefined)
        } finally {
          await c.close()
        }
      })
      await expect(readInput).rejects.toThrow()
      await admin.close()

      for (const topic of topics) {
        const records = await step(`read back ${topic}`, () => readAll(runtime, topic))
        expect(records.filter((r) => r.value.toString().includes('intruder-sec') || r.key === 'intruder-sec'), topic).toEqual([])
      }
      expect((await readAll(runtime, `${prefix}cdr`)).map((r) => r.value.toString())).toEqual(['legit'])
      const log = security.authorizerLog
      expect(log !== null && existsSync(log)).toBe(true)
      expect(countDenied(readFileSync(log ?? '', 'utf8'))).toBeGreaterThan(0)
    } finally {
      await runtime.close()
    }
    expect(liveProcessCount()).toBe(0)
  })
})
