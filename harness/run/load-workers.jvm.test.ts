import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, inject, it } from 'vitest'
import { createEventStream, validateScenarioText, type ResolvedScenario, type Topic } from '../../generators/index.ts'
import { createKafkaClient } from '../kafka/index.ts'
import type { LoadBook } from './load-source.ts'
import { GeneratorWorkerPool, WorkerLoad } from './load-workers.ts'
import { TruthRecorder } from './truth-recorder.ts'

const bootstrap = inject('kafkaBootstrap')
const kafka = { bootstrap: [bootstrap], clientId: 'tb-test-workers' }
const scratch = mkdtempSync(join(tmpdir(), 'telcobench-workers-'))
afterAll(() => {
  rmSync(scratch, { recursive: true, force: true })
})

// About 4 s of wall load, so a restart and an abort land in the middle of it.
const yaml = `version: 1
name: load-workers
seed: 3
startTime: "2026-01-09T17:00:00Z"
duration: 40m
timeCompression: 600
population: { subscribers: 1500 }
topology: { sites: 2 }
badInput: { malformedJson: 0.02 }
`

function scenario(): ResolvedScenario {
  const r = validateScenarioText(yaml, 'load-workers.jvm.test.yaml')
  if (!r.ok) throw new Error(r.errors.map((e) => e.message).join('\n'))
  return r.scenario
}

function countingBook(): LoadBook & { usage: number; handedAll: number; unparsable: number } {
  const book = {
    usage: 0,
    handedAll: 0,
    unparsable: 0,
    handed: (_topic: Topic, n: number) => {
      book.handedAll += n
    },
    usageHanded: (_id: string, _offset: number, bad: string | null) => {
      book.usage++
      if (bad !== null) book.unparsable++
    },
    acked: () => undefined,
    usageUnsent: () => undefined,
    attemptFailed: () => undefined,
  }
  return book
}

async function topics(prefix: string): Promise<void> {
  const admin = await createKafkaClient('platformatic', kafka).admin()
  await admin.createTopics(['cdr', 'pm', 'alarms'].map((t) => `${prefix}${t}`), 2)
  await admin.close()
}

async function produceWithWorkers(name: string, during: (load: WorkerLoad, stop: AbortController) => void): Promise<{ load: WorkerLoad; book: ReturnType<typeof countingBook>; truthDir: string; total: number }> {
  const s = scenario()
  const prefix = `tb-test-workers.${name}.${Date.now()}.`
  await topics(prefix)
  const truthDir = join(scratch, name)
  const truth = new TruthRecorder(truthDir)
  const pool = new GeneratorWorkerPool(2)
  await pool.ready
  const stop = new AbortController()
  const book = countingBook()
  const workerLoad = new WorkerLoad(pool, { scenario: s, runStartNs: process.hrtime.bigint(), warmupNs: 0n, topicPrefix: prefix, kafkaClient: 'platformatic', kafka, producer: { idempotent: true, acks: 'all', lingerMs: 5 }, signal: stop.signal }, truth, book)
  during(workerLoad, stop)
  await workerLoad.run()
  await truth.close()
  let total = 0
  const stream = createEventStream(s, {})
  while (stream.next().done !== true) total++
  return { load: workerLoad, book, truthDir, total }
}

describe('WorkerLoad on a real broker (2 worker threads)', () => {
  it('sends every record of the stream, restarts every worker producer on request and merges their histograms', async () => {
    const { load, book, truthDir, total } = await produceWithWorkers('restart', (l) => {
      setTimeout(() => {
        l.requestProducerRestart()
      }, 1500)
    })
    const r = load.report
    expect(r.sent).toBe(total)
    expect(book.handedAll).toBe(total)
    expect(r.sendErrors).toBe(0)
    // One session per worker, and one more per worker after the restart.
    expect(r.producerSessions).toBe(4)
    expect(r.scheduleDelay.whole.totalCount).toBe(total)
    expect(r.produceResponse.whole.totalCount).toBe(total)
    expect([...r.scheduleDelay.intervals.values()].reduce((n, h) => n + h.totalCount, 0)).toBe(total)
    expect(book.unparsable).toBeGreaterThan(0)
    const summary = JSON.parse(readFileSync(join(truthDir, 'summary.jsonl'), 'utf8')) as { events: number; shard: unknown }
    expect(summary).toMatchObject({ events: total, shard: { index: 0, count: 1 } })
  })

  it('stops every worker when the load is aborted, without a whole-stream summary', async () => {
    const { load, book, truthDir, total } = await produceWithWorkers('abort', (_, stop) => {
      setTimeout(() => {
        stop.abort()
      }, 1500)
    })
    expect(load.report.sent).toBeGreaterThan(0)
    expect(load.report.sent).toBeLessThan(total)
    expect(book.handedAll).toBe(load.report.sent)
    expect(() => readFileSync(join(truthDir, 'summary.jsonl'), 'utf8')).toThrow()
  })
})
