import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { readRun } from '../../harness/results/index.ts'
import { processesMentioning, runCli } from '../helpers.ts'

const resultsDir = mkdtempSync(join(tmpdir(), 'telcobench-standalone-'))
afterAll(() => {
  for (const pid of processesMentioning(resultsDir)) process.kill(pid, 'SIGKILL')
  rmSync(resultsDir, { recursive: true, force: true })
})

/** Verdict codes that say the pipeline's output was wrong, as opposed to the machine being busy. */
const correctnessCodes = ['accounting_broken', 'lost_events', 'duplicates_under_exactly_once', 'unexpected_ids', 'pipeline_died', 'unprocessed_events']

describe('telcobench run with spark.mode standalone (real Kafka + a real Spark master, workers and executors)', () => {
  it('rates every record once under exactly-once through an executor kill and a worker kill, and leaves no JVM behind', async () => {
    const r = await runCli(['run', 'test/fixtures/standalone-kills.yaml', '--results', resultsDir, '--broker-profile', 'functional', '--no-batch'])
    expect(r.stderr).toMatch(/Spark master spark:\/\/127\.0\.0\.1:\d+ ready with 2 worker\(s\)/)
    expect(r.stderr).toMatch(/fault kill-executor: killed executor \d+ \(pid \d+\) on Spark worker 1/)
    expect(r.stderr).toContain('fault kill-worker: killed Spark worker 2 and its 1 executor(s)')
    const runs = readdirSync(resultsDir)
    expect(runs).toHaveLength(1)
    const runDir = join(resultsDir, runs[0] ?? '')
    const { results, manifest } = readRun(runDir)
    expect(manifest.runtime).toMatchObject({ sparkCluster: { workers: 2, executorCores: 1 } })
    expect(results.verdict.reasons.map((x) => x.code).filter((c) => correctnessCodes.includes(c))).toEqual([])
    const a = results.accounting
    expect(a.generated).toBeGreaterThan(500)
    expect(a.lost).toBe(0)
    expect(a.duplicated).toBe(0)
    expect(a.duplicate_copies).toBe(0)
    expect(a.unprocessed).toBe(0)
    expect(a.rated_once + a.dlq + a.late_dropped).toBe(a.generated)
    expect(results.billing?.bill_exact_match_ratio).toBe(1)
    // Each fault completed: the killed executor was replaced, the killed worker came back with a new executor.
    expect(results.faults.map((f) => [f.kind, f.nodes, f.error])).toEqual([
      ['executor-kill', [1], null],
      ['worker-kill', [2], null],
    ])
    for (const f of results.faults) expect(f.restarted_at_s).not.toBeNull()
    expect(results.unplanned_exits).toEqual([])
    // Two executors at the start and one replacement for each kill, each with its own log.
    const logs = readdirSync(join(runDir, 'logs'))
    expect(logs.filter((f) => /^spark-executor-app-.+\.log$/.test(f)).length).toBeGreaterThanOrEqual(4)
    for (const f of ['spark-master.log', 'spark-worker-1.log', 'spark-worker-2.log', 'spark-streaming.log']) expect(logs).toContain(f)
    expect(Object.keys(results.resources)).toEqual(expect.arrayContaining(['spark-master', 'spark-worker-1', 'spark-executor-w1']))
    // No master, worker or executor outlives the run, and the cluster's folder (Spark home, work folders) is gone.
    expect(processesMentioning(runDir)).toEqual([])
    expect(existsSync(join(runDir, 'spark-cluster'))).toBe(false)
    expect(existsSync(join(runDir, 'tmp'))).toBe(false)
  }, 600_000)
})
