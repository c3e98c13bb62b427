import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { exitCodeForRun } from '../../harness/errors.ts'
import { readRun, readSet } from '../../harness/results/index.ts'
import { countedStates, worstExitCode } from '../../harness/sets/index.ts'
import { processesMentioning, runCli } from '../helpers.ts'
import { behaviourVerdict } from '../run-verdict.ts'

const resultsDir = mkdtempSync(join(tmpdir(), 'telcobench-repeat-'))
afterAll(() => {
  rmSync(resultsDir, { recursive: true, force: true })
})

describe('telcobench run --repeat (real Kafka + real Spark)', () => {
  it('runs a scenario twice into one set folder with set.json, set.md and both run folders, and exits with the worst run', async () => {
    // The single-run e2e test's scenario: 25 s of load at ~100 ev/s, no latency threshold (a test never asserts a
    // speed). ci-smoke's 35 ev/s over 40 s was too short to judge its lag on a busy CI machine (docs/ci.md).
    const r = await runCli(['run', 'test/fixtures/small.yaml', '--repeat', '2', '--no-batch', '--results', resultsDir, '--broker-profile', 'functional'])
    const entries = readdirSync(resultsDir)
    expect(entries).toHaveLength(1)
    expect(entries[0]).toMatch(/^e2e-small-set-\d{8}-\d{6}-[0-9a-f]{4}$/)
    const setDir = join(resultsDir, entries[0] ?? '')
    const { set, runDirs } = readSet(setDir)
    expect(set).toMatchObject({ scenario: 'e2e-small', scenario_file: 'test/fixtures/small.yaml', repeat: 2, interrupted: false })
    expect(set.runs.map((run) => run.index)).toEqual([1, 2])
    expect(runDirs).toHaveLength(2)
    expect(readdirSync(setDir).sort()).toEqual([...set.runs.map((run) => run.folder ?? ''), 'set.json', 'set.md'].sort())
    const exitCodes: number[] = []
    for (const [i, dir] of runDirs.entries()) {
      const { results, manifest } = readRun(dir)
      const entry = set.runs[i]
      expect(entry).toMatchObject({ run_id: results.run_id, state: results.state, exit_code: exitCodeForRun(results.state, results.verdict.reasons.map((reason) => reason.code)), machine_busy: results.machine_busy })
      // Neither run may lose or misbill a record, as in the single-run test (speed is printed: test/run-verdict.ts).
      const verdict = behaviourVerdict(results)
      expect(verdict.behaviour).toEqual([])
      exitCodes.push(verdict.exitCode)
      // A run judged invalid (e.g. not_settled on a busy CI machine) is shown, not counted: its figures are null.
      const counted = countedStates.includes(results.state)
      expect(entry?.counted).toBe(counted)
      expect(set.metrics.rated_p99_ms.values[i]).toBe(counted ? results.latency['rated']?.p99 : null)
      expect(set.metrics.lost_events.values[i]).toBe(counted ? 0 : null)
      expect(manifest.machine_load.before?.steal_ratio).not.toBeNull()
      expect(manifest.machine_load.during?.samples).toBeGreaterThan(10)
      expect(existsSync(join(dir, 'report.html'))).toBe(true)
    }
    expect(set.metrics.rated_p99_ms.n).toBe(set.runs.filter((run) => run.counted).length)
    // The set exits with its worst run's code.
    expect(set.exit_code).toBe(worstExitCode(exitCodes))
    expect(r.exitCode).toBe(set.exit_code)
    expect(r.stdout).toContain('█ SET  e2e-small')
    const last = r.stdout.trimEnd().split('\n').at(-1) ?? ''
    expect(last).toMatch(new RegExp(`^set: \\S+ \\(set\\.json, set\\.md, one folder per run\\) · [\\d.]+ s wall in all · exit code ${set.exit_code}$`))
    expect(processesMentioning(setDir)).toEqual([])
  })
})
