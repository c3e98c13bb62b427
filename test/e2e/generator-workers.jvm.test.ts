import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, inject, it } from 'vitest'
import { createEventStream, type TruthKind } from '../../generators/index.ts'
import { readRun } from '../../harness/results/index.ts'
import { loadScenario } from '../../harness/run/scenario-source.ts'
import { createKafkaClient } from '../../harness/kafka/index.ts'
import { processesMentioning, runCli, startCli } from '../helpers.ts'

const resultsDir = mkdtempSync(join(tmpdir(), 'telcobench-e2e-workers-'))
afterAll(() => {
  rmSync(resultsDir, { recursive: true, force: true })
})

// 10 s of load with bad input, so injected duplicates and unparsable records (DLQ without an id) cross the threads too.
const overrides = ['duration=6m', 'badInput.malformedJson=0.02', 'badInput.exactDuplicates=0.02', 'badInput.negativeDuration=0.02']

/** Each truth file's lines, sorted: the content a run must write whatever the number of workers (the order is the workers'). */
function truthOf(write: (sink: { write: (kind: TruthKind, record: object) => void }) => void): Record<string, string[]> {
  const lines: Record<string, string[]> = {}
  write({
    write: (kind, record) => {
      ;(lines[kind] ??= []).push(JSON.stringify(record))
    },
  })
  for (const list of Object.values(lines)) list.sort()
  return lines
}

describe('telcobench run --generator-workers 2 (real Kafka + real Spark)', () => {
  it('accounts for and bills every usage record exactly, with the truth a one-thread load writes', async () => {
    const r = await runCli(['run', 'test/fixtures/small.yaml', '--generator-workers', '2', '--no-batch', '--broker-profile', 'functional', '--results', resultsDir, ...overrides.flatMap((o) => ['--set', o])])
    const runs = readdirSync(resultsDir)
    expect(runs).toHaveLength(1)
    const runDir = join(resultsDir, runs[0] ?? '')
    expect(r.stderr).toContain('Producing for 10 s from 2 generator worker threads')
    const { results } = readRun(runDir)
    expect(results.throughput.generator_workers).toBe(2)
    expect(results.throughput.producer_sessions).toBe(2)
    expect(results.throughput.harness_cpu_ms_per_1000_events).toBeGreaterThan(0)
    const a = results.accounting
    expect(a.generated).toBeGreaterThan(300)
    expect(a.dlq).toBeGreaterThan(0)
    expect(a.rated_once + a.dlq + a.late_dropped + a.lost + a.duplicated + a.unprocessed).toBe(a.generated)
    expect({ lost: a.lost, duplicated: a.duplicated, unprocessed: a.unprocessed, unexpected: a.unexpected }).toEqual({ lost: 0, duplicated: 0, unprocessed: 0, unexpected: 0 })
    expect(results.billing?.exact_match_ratio).toBe(1)
    expect(results.billing?.bill_exact_match_ratio).toBe(1)
    // Every schedule-delay value of both workers reached the merged histograms: one per record sent.
    expect((results.latency['schedule_delay']?.count ?? 0) + (results.latency_warmup.streams['schedule_delay']?.count ?? 0)).toBe(Math.round(results.throughput.offered_eps * 10))
    // The truth files hold what the whole stream generated in one thread holds.
    const scenario = loadScenario('test/fixtures/small.yaml', { overrides })
    const expected = truthOf((sink) => {
      const stream = createEventStream(scenario.resolved, { truth: sink })
      while (stream.next().done !== true);
    })
    const written = Object.fromEntries(readdirSync(join(runDir, 'truth')).map((f) => [f.replace(/\.jsonl$/, ''), readFileSync(join(runDir, 'truth', f), 'utf8').split('\n').filter((l) => l !== '').sort()]))
    expect(written).toEqual(expected)
    expect(processesMentioning(runDir)).toEqual([])
  })
})

describe('telcobench run with a generator agent (`telcobench produce --join`) on the shared broker', () => {
  it('accounts for and bills every record the agent produced, with the whole stream\'s truth, and removes the reply topic', async () => {
    const bootstrap = inject('kafkaBootstrap')
    const into = join(resultsDir, 'remote')
    const agent = startCli(['produce', '--join', bootstrap, '--agent', '1/1', '--once'])
    const runOverrides = [...overrides, 'load.remoteGenerators=1']
    const r = await runCli(['run', 'test/fixtures/small.yaml', '--runtime', 'external', '--bootstrap', bootstrap, '--no-batch', '--results', into, ...runOverrides.flatMap((o) => ['--set', o])])
    const served = await agent.done
    expect(served.exitCode, served.stderr).toBe(0)
    expect(served.stderr).toMatch(/joined; producing shard 2\/2 of test\/fixtures\/small\.yaml/)
    expect(r.stderr).toMatch(/Generator agents joined: 1\/1 on \S+/)
    const runId = readdirSync(into)[0] ?? ''
    const { results } = readRun(join(into, runId))
    const a = results.accounting
    expect(a.rated_once + a.dlq + a.late_dropped + a.lost + a.duplicated + a.unprocessed).toBe(a.generated)
    expect({ lost: a.lost, duplicated: a.duplicated, unprocessed: a.unprocessed, unexpected: a.unexpected }).toEqual({ lost: 0, duplicated: 0, unprocessed: 0, unexpected: 0 })
    expect(results.billing?.bill_exact_match_ratio).toBe(1)
    // The agent's half of the schedule-delay values reached the run's histograms: one per record sent.
    expect((results.latency['schedule_delay']?.count ?? 0) + (results.latency_warmup.streams['schedule_delay']?.count ?? 0)).toBe(Math.round(results.throughput.offered_eps * 10))
    // Its records were timed on the run's clock: no rated latency below zero or above the run's length.
    expect(results.latency['rated']?.p50).toBeGreaterThan(0)
    expect(results.latency['rated']?.p99).toBeLessThan(30_000)
    const scenario = loadScenario('test/fixtures/small.yaml', { overrides: runOverrides })
    const expected = truthOf((sink) => {
      const stream = createEventStream(scenario.resolved, { truth: sink })
      while (stream.next().done !== true);
    })
    const written = Object.fromEntries(readdirSync(join(into, runId, 'truth')).map((f) => [f.replace(/\.jsonl$/, ''), readFileSync(join(into, runId, 'truth', f), 'utf8').split('\n').filter((l) => l !== '').sort()]))
    expect(written).toEqual(expected)
    const admin = await createKafkaClient('platformatic', { bootstrap: [bootstrap], clientId: 'test' }).admin()
    const left = (await admin.listTopics()).filter((t) => t.startsWith(`tb.${runId}.`))
    await admin.close()
    expect(left).toEqual([])
  })
})
