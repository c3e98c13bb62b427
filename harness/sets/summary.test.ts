import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { readRun, readSet, roundToCarriedPrecision, setMetricNames, writeSetFile, type SetMetricName } from '../results/index.ts'
import { runFigures, summarizeSet, worstExitCode, type RunFigures, type SetRunInput } from './summary.ts'

const dir = mkdtempSync(join(tmpdir(), 'tb-set-'))
afterAll(() => {
  rmSync(dir, { recursive: true, force: true })
})

const header = { telcobench: { version: '0.1.0', git_sha: 'abc', dirty: false }, set_id: 'ci-smoke-set-20261130-120000-0001', scenario: 'ci-smoke', scenario_file: 'scenarios/ci-smoke.yaml', started_at: '2026-11-30T12:00:00.000Z', repeat: 4 }

/** A run's figures: every figure null but those given. */
function figures(state: RunFigures['state'], given: Partial<Record<SetMetricName, number>>, busy = false): RunFigures {
  const all = Object.fromEntries(setMetricNames.map((name) => [name, given[name] ?? null])) as Record<SetMetricName, number | null>
  return { runId: `run-${state}-${given.rated_p99_ms ?? 0}`, state, reasons: state === 'failed' ? ['threshold_failed'] : [], machineBusy: { busy, reason: busy ? 'other processes used 0.80 cores' : 'quiet' }, figures: all }
}

const run = (index: number, exitCode: number, f: RunFigures): SetRunInput => ({ index, folder: f.runId, exitCode, run: f })

describe('the statistics of a set', () => {
  const runs: SetRunInput[] = [
    run(1, 0, figures('passed', { rated_p99_ms: 2000, lost_events: 0, fraud_recall: 1 })),
    run(2, 1, figures('failed', { rated_p99_ms: 5200, lost_events: 3, fraud_recall: 0.5 }, true)),
    // An invalid run is shown but not counted: its figures do not describe the system.
    run(3, 5, figures('invalid', { rated_p99_ms: 90_000, lost_events: 0, fraud_recall: 0 })),
    run(4, 0, figures('passed', { rated_p99_ms: 2400, lost_events: 0 })),
  ]
  const set = summarizeSet(header, runs, false)

  it('lists every run value, then median, min–max and the interval of the median over the counted runs', () => {
    expect(set.metrics.rated_p99_ms).toMatchObject({ unit: 'ms', values: [2000, 5200, null, 2400], n: 3, median: 2400, min: 2000, max: 5200, ci: { low: 2000, high: 5200 } })
    expect(set.metrics.rated_p99_ms.ci?.level).toBeCloseTo(0.75, 12)
    expect(set.metrics.lost_events).toMatchObject({ unit: 'events', values: [0, 3, null, 0], n: 3, median: 0, min: 0, max: 3 })
    // A figure a counted run does not have (recall without fraud in its truth) is left out, not read as 0.
    expect(set.metrics.fraud_recall).toMatchObject({ values: [1, 0.5, null, null], n: 2, median: 0.75, min: 0.5, max: 1 })
    expect(set.metrics.bills_p50_ms).toEqual({ unit: 'ms', values: [null, null, null, null], n: 0, median: null, min: null, max: null, ci: null })
  })

  it('keeps each run verdict, exit code and machine flag, and exits with the worst code', () => {
    expect(set.runs.map((r) => [r.index, r.state, r.exit_code, r.counted, r.machine_busy?.busy])).toEqual([
      [1, 'passed', 0, true, false],
      [2, 'failed', 1, true, true],
      [3, 'invalid', 5, false, false],
      [4, 'passed', 0, true, false],
    ])
    expect(set.runs[1]?.reasons).toEqual(['threshold_failed'])
    expect(set.exit_code).toBe(5)
    expect(set).toMatchObject({ interrupted: false, ci_method: 'order-statistic', ci_target_level: 0.95, repeat: 4 })
  })

  it('records a run that ended in an error with its exit code, and an interrupted set as 130', () => {
    const broken = summarizeSet(header, [runs[0] ?? run(1, 0, figures('passed', {})), { index: 2, exitCode: 3, error: 'port 9092 is already in use' }], false)
    expect(broken.runs[1]).toEqual({ index: 2, run_id: null, folder: null, state: null, exit_code: 3, counted: false, reasons: [], machine_busy: null, error: 'port 9092 is already in use' })
    expect(broken.metrics.rated_p99_ms.values).toEqual([2000, null])
    expect(broken.exit_code).toBe(3)
    expect(summarizeSet(header, runs.slice(0, 2), true).exit_code).toBe(130)
  })

  it('is written as set.json and read back through readSet, which refuses another schema version', () => {
    const setDir = join(dir, header.set_id)
    writeSetFile(setDir, set)
    const read = readSet(setDir)
    expect(read.set).toEqual(roundToCarriedPrecision(set))
    expect(read.runDirs).toEqual(runs.map((r) => join(setDir, 'folder' in r ? r.folder : '')))
    writeFileSync(join(setDir, 'set.json'), JSON.stringify({ ...set, schema_version: 0 }))
    expect(() => readSet(setDir)).toThrow(`${join(setDir, 'set.json')} has schema_version 0; this telcobench reads version 1`)
    expect(() => readSet(join(dir, 'nowhere'))).toThrow(/set\.json does not exist/)
  })
})

describe('the exit code of a set', () => {
  it('is the worst of its runs: 70 > 2 > 3 > 5 > 4 > 1 > 0, an unknown code counting as a bug', () => {
    expect(worstExitCode([])).toBe(0)
    expect(worstExitCode([0, 1, 0])).toBe(1)
    expect(worstExitCode([1, 5, 0])).toBe(5)
    expect(worstExitCode([5, 3, 1])).toBe(3)
    expect(worstExitCode([3, 70])).toBe(70)
    expect(worstExitCode([1, 4])).toBe(4)
    expect(worstExitCode([5, 4])).toBe(5)
    expect(worstExitCode([2, 3])).toBe(2)
    expect(worstExitCode([0, 42])).toBe(70)
  })
})

describe('a run figures', () => {
  it('come from results.json: latency percentiles, accounting, billing, detection and the median time to detect', () => {
    const { results } = readRun(new URL('../../test/fixtures/run-quickstart/', import.meta.url).pathname)
    const f = runFigures(results)
    expect(f.figures.rated_p99_ms).toBe(results.latency['rated']?.p99)
    expect(f.figures.bills_p50_ms).toBe(results.latency['bills']?.p50)
    expect(f.figures.achieved_rate_eps).toBe(results.throughput.achieved_eps)
    expect(f.figures.lost_events).toBe(results.accounting.lost)
    expect(f.figures.duplicated_events).toBe(results.accounting.duplicated)
    expect(f.figures.billing_error_ratio).toBe(results.billing?.billing_error_ratio)
    expect(f.figures.fraud_recall).toBe(results.detection_summary.fraud.recall)
    const ttd = Object.values(results.detection).flatMap((d) => d.ttd_s).sort((a, b) => a - b)
    expect(ttd.length).toBeGreaterThan(0)
    expect(f.figures.ttd_p50_s).toBe(ttd[Math.ceil(ttd.length / 2) - 1])
    expect(f).toMatchObject({ runId: results.run_id, state: results.state, reasons: results.verdict.reasons.map((r) => r.code), machineBusy: results.machine_busy })
  })
})
