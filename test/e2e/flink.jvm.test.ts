import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { readRun } from '../../harness/results/index.ts'
import { processesMentioning, runCli } from '../helpers.ts'

const resultsDir = mkdtempSync(join(tmpdir(), 'telcobench-flink-'))
afterAll(() => {
  for (const pid of processesMentioning(resultsDir)) process.kill(pid, 'SIGKILL')
  rmSync(resultsDir, { recursive: true, force: true })
})

/** Verdict codes that say the pipeline's output was wrong, as opposed to the machine being busy. */
const correctnessCodes = ['accounting_broken', 'lost_events', 'duplicates_under_exactly_once', 'unexpected_ids', 'pipeline_died', 'unprocessed_events']

describe('telcobench run --engine flink (real Kafka + real Flink)', () => {
  it('runs the scenario on Flink exactly-once through a crash: every record rated once, bills exact, restarted from its checkpoint', async () => {
    const r = await runCli(['run', 'test/fixtures/flink-crash.yaml', '--results', resultsDir, '--broker-profile', 'functional', '--no-batch'])
    expect(r.stderr).toContain('Flink streaming job ready')
    const runs = readdirSync(resultsDir)
    expect(runs).toHaveLength(1)
    const runDir = join(resultsDir, runs[0] ?? '')
    const { results, manifest } = readRun(runDir)
    expect(manifest.engine.kind).toBe('flink')
    expect(manifest.engine.job_config['flink']).toMatchObject({ checkpointIntervalMs: 1000 })
    expect(results.verdict.reasons.map((x) => x.code).filter((c) => correctnessCodes.includes(c))).toEqual([])
    const a = results.accounting
    expect(a.generated).toBeGreaterThan(1000)
    expect(a.lost).toBe(0)
    expect(a.duplicated).toBe(0)
    expect(a.rated_once + a.dlq + a.late_dropped + a.lost + a.duplicated + a.unprocessed).toBe(a.generated)
    expect(results.billing?.exact_match_ratio).toBe(1)
    expect(results.billing?.bill_exact_match_ratio).toBe(1)
    expect(results.faults.map((f) => f.kind)).toEqual(['pipeline-crash'])
    expect(readFileSync(join(runDir, 'logs', 'flink-streaming.log'), 'utf8')).toMatch(/resuming from checkpoint .*chk-\d+/)
    expect(Object.keys(results.resources)).toContain('flink')
    expect(Object.keys(results.engine).sort()).toEqual(['fraud', 'network', 'rating'])
    // Flink has no micro-batch: its records carry the append and parse marks only.
    const b = results.latency_breakdown
    expect(b?.stages.map((s) => s.stage)).toEqual(['to_broker', 'to_engine', 'processing', 'delivery'])
    expect(Math.abs((b?.stage_mean_sum_ms ?? 0) - (b?.e2e_mean_ms ?? -1))).toBeLessThanOrEqual(0.05 * (b?.e2e_mean_ms ?? 0))
    expect(processesMentioning(runDir)).toEqual([])
  }, 600_000)
})
