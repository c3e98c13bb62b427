import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { writeCapacityFile, type CapacityFile, type CapacityRun } from '../../harness/results/index.ts'
import { chartMarks, chromiumPath, openOffline } from '../../test/browser.ts'
import { renderCapacityMarkdown, writeCapacityReport } from './index.ts'

const work = mkdtempSync(join(tmpdir(), 'telcobench-capacity-report-'))
afterAll(() => {
  rmSync(work, { recursive: true, force: true })
})

function run(folder: string, offered: number, p99: number, outcome: CapacityRun['outcome']): CapacityRun {
  return { folder, outcome, reasons: outcome === 'pass' ? [] : ['slo: rated p99<3000 does not hold (observed 4200 ms)'], offered_eps: offered, achieved_eps: offered, p99_ms: { rated: p99 }, lag_state: 'steady', lag_trend_eps: 1, schedule_delay_p99_ms: 20, produce_response_p99_ms: 30, trigger_p50_ms: { rating: 900 }, cpu_cores: { harness: 0.3, broker: 0.3, spark: 1.1 }, harness_cpu_ms_per_1000_events: 80, machine_busy: false }
}

/** A finished three-level search over cores with its USL family, as runCapacity writes it. */
const capacity: CapacityFile = {
  schema_version: 1,
  telcobench: { version: '0.1.0', git_sha: 'abc', dirty: false },
  capacity_id: 'rating-capacity-capacity-20261130-120000-abcd',
  scenario: 'rating-capacity',
  scenario_file: 'scenarios/rating-capacity.yaml',
  started_at: '2026-11-30T12:00:00.000Z',
  finished_at: '2026-11-30T12:40:00.000Z',
  runtime: 'local',
  machine: { cores: 2, memory_gib: 24, cpu: 'test cpu', load_avg_start: [1, 1, 1], load_avg_end: [2, 2, 2] },
  search: { slos: ['rated p99<3000'], vary: { cores: ['1', '2', '3'] }, repeat: 1, start_eps: 1000, max_eps: 1e6, resolution: 0.1, load_wall_s: 40 },
  points: [
    { config: 'cores=1', rate_eps: 1000, verdict: 'pass', runs: [run('cores=1/r1', 1001, 1500, 'pass')] },
    { config: 'cores=1', rate_eps: 2000, verdict: 'fail', runs: [run('cores=1/r2', 1998, 4200, 'fail')] },
    { config: 'cores=2', rate_eps: 1800, verdict: 'pass', runs: [run('cores=2/r1', 1801, 1700, 'pass')] },
    { config: 'cores=3', rate_eps: 2400, verdict: 'pass', runs: [run('cores=3/r1', 2399, 1900, 'pass')] },
  ],
  configurations: ['1', '2', '3'].map((n, i) => ({ config: `cores=${n}`, settings: { cores: n }, capacity_eps: [1000, 1800, 2400][i] ?? 0, limit_eps: null, stopped_by: 'slo' as const, bottleneck: { component: 'spark' as const, summary: 'Spark: the rating query is slow', evidence: ['trigger p50 1200 ms'] }, p99_at_capacity_ms: { rated: 1500 } })),
  scalability: [{ family: 'all', resource: 'cores', points: [{ resources: 1, capacity_eps: 1000 }, { resources: 2, capacity_eps: 1800 }, { resources: 3, capacity_eps: 2400 }], fit: { parameters: { lambda: 1000, sigma: 0.1, kappa: 0.01 }, stderr: null, r_squared: 1, degrees_of_freedom: 0, peak_resources: 9.5, curve: [1, 2, 3, 4, 5, 6].map((n) => ({ resources: n, capacity_eps: 900 * n })) }, held_out: null, caveats: ['3 points for 3 parameters: the curve passes through them exactly and says nothing about its own error'] }],
  answers: [{ target_eps: 2000, answer: 'To hold 2,000 ev/s at rated p99<3000 you need cores=3 (measured capacity 2,400 ev/s).' }],
}

describe('the capacity report', () => {
  it('capacity.md: the answers, the capacity table, the evidence, the USL with its caveat, every point', () => {
    const md = renderCapacityMarkdown(capacity)
    expect(md).toContain('- To hold 2,000 ev/s at rated p99<3000 you need cores=3 (measured capacity 2,400 ev/s).')
    expect(md).toContain('| cores=3 | 2,400 |')
    expect(md).toContain('\n- trigger p50 1200 ms\n')
    expect(md).toContain('Caveat: 3 points for 3 parameters')
    expect(md.match(/^\| cores=\d \| [\d,.]+ \| (pass|fail) \|/gm)).toHaveLength(4)
  })

  describe.skipIf(chromiumPath() === null)('capacity.html in headless Chromium, network off (skipped: chromium is not installed)', () => {
    it('opens without a console error and draws the rate-vs-p99 and USL charts', async () => {
      const dir = join(work, 'capacity')
      writeCapacityFile(dir, capacity)
      const { html } = await writeCapacityReport(dir)
      expect(readFileSync(html, 'utf8')).toContain('data-target="2000"')
      const page = await openOffline(chromiumPath() ?? '', html, join(dir, 'capacity.png'))
      expect(page.consoleMessages).toEqual([])
      const marks = chartMarks(page.dom)
      expect([...marks.keys()]).toEqual(['rate-latency', 'usl'])
      for (const [name, m] of marks) expect(m.paths, name).toBeGreaterThan(0)
    }, 120_000)
  })
})
