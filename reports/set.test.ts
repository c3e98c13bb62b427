import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { setMetricNames, writeSetFile, type SetFile, type SetMetric } from '../harness/results/index.ts'
import { intervalText, renderSetMarkdown, renderSetSummary, writeSetMarkdown } from './set.ts'

const work = mkdtempSync(join(tmpdir(), 'telcobench-set-report-'))
afterAll(() => {
  rmSync(work, { recursive: true, force: true })
})

const empty: SetMetric = { unit: 'ms', values: [null, null], n: 0, median: null, min: null, max: null, ci: null }

/** A set of two runs: the second failed on a busy machine. */
const set: SetFile = {
  schema_version: 1,
  telcobench: { version: '0.1.0', git_sha: '0123456789abcdef', dirty: false },
  set_id: 'ci-smoke-set-20261130-120000-0001',
  scenario: 'ci-smoke',
  scenario_file: 'scenarios/ci-smoke.yaml',
  started_at: '2026-11-30T12:00:00.000Z',
  repeat: 2,
  interrupted: false,
  exit_code: 1,
  ci_method: 'order-statistic',
  ci_target_level: 0.95,
  runs: [
    { index: 1, run_id: 'ci-smoke-20261130-120001-aaaa', folder: 'ci-smoke-20261130-120001-aaaa', state: 'passed', exit_code: 0, counted: true, reasons: [], machine_busy: { busy: false, reason: 'quiet' }, error: null },
    { index: 2, run_id: 'ci-smoke-20261130-120131-bbbb', folder: 'ci-smoke-20261130-120131-bbbb', state: 'failed', exit_code: 1, counted: true, reasons: ['threshold_failed'], machine_busy: { busy: true, reason: 'CPU steal 8.0 % on average over the load (above 5.0 %)' }, error: null },
  ],
  metrics: {
    ...(Object.fromEntries(setMetricNames.map((name) => [name, empty])) as SetFile['metrics']),
    rated_p99_ms: { unit: 'ms', values: [2400, 5210.5], n: 2, median: 3805.25, min: 2400, max: 5210.5, ci: { low: 2400, high: 5210.5, level: 0.5 } },
    lost_events: { unit: 'events', values: [0, 1200], n: 2, median: 600, min: 0, max: 1200, ci: { low: 0, high: 1200, level: 0.5 } },
  },
}

describe('a set report', () => {
  it('writes the interval of the median with its level, and says when there are too few runs for 95 %', () => {
    expect(intervalText(set.metrics.rated_p99_ms, 0.95)).toBe('2,400–5,211 (50.0 %), too few runs for 95 %')
    expect(intervalText({ ...set.metrics.lost_events, ci: { low: 0, high: 3, level: 0.96875 } }, 0.95)).toBe('0–3 (96.9 %)')
    expect(intervalText({ ...empty, n: 1, values: [5, null], median: 5, min: 5, max: 5 }, 0.95)).toBe('n/a (1 run)')
  })

  it('set.md lists the runs with their verdict and machine, then each figure with a column per run', () => {
    const md = renderSetMarkdown(set)
    expect(md.startsWith('## ❌ ci-smoke: 2 of 2 runs, exit code 1\n')).toBe(true)
    expect(md).toContain('| 2 | `ci-smoke-20261130-120131-bbbb` | failed | 1 | busy: CPU steal 8.0 % on average over the load (above 5.0 %) |')
    expect(md).toContain('| figure | median | min–max | interval of the median | run 1 | run 2 |')
    expect(md).toContain('| rated_p99_ms (ms) | 3,805 | 2,400–5,211 | 2,400–5,211 (50.0 %), too few runs for 95 % | 2,400 | 5,211 |')
    expect(md).toContain('| lost_events (events) | 600 | 0–1,200 | 0–1,200 (50.0 %), too few runs for 95 % | 0 | 1,200 |')
    expect(md).toContain('| bills_p50_ms (ms) | n/a | n/a | n/a | n/a | n/a |')
  })

  it('the terminal block names each run and flags the busy one', () => {
    const text = renderSetSummary(set, false)
    expect(text).toContain('█ SET  ci-smoke (ci-smoke-set-20261130-120000-0001) · 2 of 2 runs · exit code 1')
    expect(text).toMatch(/\n {2}run {3}2 {2}ci-smoke-20261130-120131-bbbb +failed +exit 1 · ! machine busy: CPU steal 8\.0 %/)
    expect(text).toMatch(/\n {2}rated_p99_ms \(ms\) +3,805 +2,400–5,211 +2,400–5,211 \(50\.0 %\), too few runs for 95 % +2,400 +5,211\n/)
  })

  it('writes set.md beside set.json, read through the results module', () => {
    const dir = join(work, set.set_id)
    writeSetFile(dir, set)
    const file = writeSetMarkdown(dir)
    expect(file).toBe(join(dir, 'set.md'))
    expect(readFileSync(file, 'utf8')).toBe(renderSetMarkdown(set))
  })
})
