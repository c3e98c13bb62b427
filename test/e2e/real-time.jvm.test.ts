import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { readRun } from '../../harness/results/index.ts'
import { processesMentioning, runCli } from '../helpers.ts'
import { behaviourVerdict } from '../run-verdict.ts'

const resultsDir = mkdtempSync(join(tmpdir(), 'telcobench-rtm-'))
afterAll(() => {
  rmSync(resultsDir, { recursive: true, force: true })
})

/**
 * Billing every 10 s: its last batch runs up to 10 s after the last rated record, long after the 2 s the drain
 * gives late output. The drain must wait for it, or the last seconds of usage go unbilled.
 */
const realTime = 'pipeline.trigger={kind: real-time, checkpointInterval: 30s, interval: 10s}'

describe("Spark's real-time mode on the embedded runtime", () => {
  it('rates every record once in rating-rt and bills them all exactly, waiting for the last billing batch', async () => {
    const r = await runCli(['run', 'test/fixtures/small.yaml', '--results', resultsDir, '--no-batch', '--broker-profile', 'functional', '--set', 'pipeline.partitions=1', '--set', realTime])
    const runs = readdirSync(resultsDir)
    expect(runs, r.stderr).toHaveLength(1)
    const runDir = join(resultsDir, runs[0] ?? '')
    const { results, manifest } = readRun(runDir)
    expect(behaviourVerdict(results).behaviour, r.stderr).toEqual([])
    expect(manifest.plan.trigger).toMatchObject({ kind: 'real-time', checkpointIntervalMs: 30_000, intervalMs: 10_000 })
    expect(Object.keys(results.engine)).toContain('billing')

    const a = results.accounting
    expect(a.generated).toBeGreaterThan(1000)
    expect(a.rated_once).toBe(a.generated)
    expect(a.lost + a.unprocessed + a.duplicated).toBe(0)
    expect(results.billing?.bill_records_exact_match_ratio).toBe(1)
    expect(results.billing?.billed_minor).toBe(results.billing?.expected_minor)
    // Rated records come from the long-running task, with no wait for a trigger or a batch start.
    expect(results.latency_breakdown?.stages.map((s) => s.stage)).toEqual(['to_broker', 'to_engine', 'processing', 'delivery'])
    expect(processesMentioning(runDir)).toEqual([])
  })
})
