import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { readRun } from '../../harness/results/index.ts'
import { processesMentioning, runCli } from '../helpers.ts'

const resultsDir = mkdtempSync(join(tmpdir(), 'telcobench-abort-'))
afterAll(() => {
  rmSync(resultsDir, { recursive: true, force: true })
})

describe('an abortOnFail threshold (real Kafka + real Spark)', () => {
  it('stops the load when it fails, drains, writes the run with reason aborted and exits 4', async () => {
    // No latency is under 1 ms end to end: the threshold fails at its first check after the 10 s warm-up.
    const r = await runCli(['run', 'scenarios/ci-smoke.yaml', '--no-batch', '--set', 'thresholds.pipeline_e2e_latency_ms=[{ threshold: "p(99)<1", abortOnFail: true }]', '--results', resultsDir, '--broker-profile', 'functional'])
    const runs = readdirSync(resultsDir)
    expect(runs).toHaveLength(1)
    const runDir = join(resultsDir, runs[0] ?? '')
    const { results, manifest } = readRun(runDir)
    expect(results.state).toBe('aborted')
    const [first] = results.verdict.reasons
    expect(first?.code).toBe('aborted')
    const stoppedAtS = Number(/^the load was stopped at ([\d.]+) s: threshold pipeline_e2e_latency_ms 'p\(99\)<1' \(abortOnFail\) failed: observed [\d.]+ over 10–\d+ s$/.exec(first?.message ?? '')?.[1])
    expect(stoppedAtS).toBeGreaterThanOrEqual(10)
    expect(stoppedAtS).toBeLessThan(Number(manifest.plan['durationS']))
    expect(r.stderr).toContain(`Stopping the load at ${stoppedAtS.toFixed(1)} s`)
    // What was sent before the stop is drained and accounted for like any run's.
    const a = results.accounting
    expect(a.rated_once + a.dlq + a.late_dropped + a.lost + a.duplicated + a.unprocessed).toBe(a.generated)
    expect(a.generated).toBeGreaterThan(0)
    expect(a.lost).toBe(0)
    expect(results.batch).toBeNull()
    expect(r.exitCode).toBe(4)
    expect(r.stdout.trimEnd().split('\n').at(-1)).toMatch(/ · exit code 4 \(aborted\)$/)
    expect(processesMentioning(runDir)).toEqual([])
  })
})
