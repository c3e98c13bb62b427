import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { readCapacity, readRun } from '../../harness/results/index.ts'
import { processesMentioning, runCli } from '../helpers.ts'

const resultsDir = mkdtempSync(join(tmpdir(), 'telcobench-capacity-'))
afterAll(() => {
  rmSync(resultsDir, { recursive: true, force: true })
})

describe('telcobench capacity (real Kafka + real Spark)', () => {
  it('runs a two-point search: every point a real run folder, capacity.json valid, the report written', async () => {
    // 100 then 140 ev/s (the --max-rate), resolution 0.5 so no bisection follows; a generous SLO, since a test
    // asserts behaviour, never a speed.
    const r = await runCli(['capacity', 'test/fixtures/small.yaml', '--slo', 'rated p99<60000', '--start-rate', '100', '--max-rate', '140', '--resolution', '0.5', '--repeat', '1', '--load', '15', '--results', resultsDir, '--target', '120'])
    expect(r.exitCode).toBe(0)
    const entries = readdirSync(resultsDir)
    expect(entries).toHaveLength(1)
    expect(entries[0]).toMatch(/^e2e-small-capacity-\d{8}-\d{6}-[0-9a-f]{4}$/)
    const dir = join(resultsDir, entries[0] ?? '')
    const capacity = readCapacity(dir)
    expect(capacity.finished_at).not.toBeNull()
    expect(capacity.search).toMatchObject({ slos: ['rated p99<60000'], repeat: 1, start_eps: 100, max_eps: 140, resolution: 0.5, load_wall_s: 15 })
    // A busy machine may make the first point unmeasurable (invalid): then the search stops there, as it must.
    const first = capacity.points[0]
    expect(capacity.points.map((p) => p.rate_eps)).toEqual(first?.verdict === 'invalid' ? [100] : [100, 140])
    for (const point of capacity.points) {
      expect(point.runs).toHaveLength(1)
      for (const run of point.runs) {
        // A run that ended without results names its error here (and the CLI printed it on stderr).
        expect(run.folder, `${run.reasons.join('; ')}\n${r.stderr.split('\n').filter((l) => l.startsWith('telcobench:')).join('\n')}`).not.toBeNull()
        const { results } = readRun(join(dir, run.folder ?? ''))
        expect(Math.abs(results.throughput.offered_eps / point.rate_eps - 1)).toBeLessThan(0.05)
        expect(run.offered_eps).toBe(results.throughput.offered_eps)
        expect(run.p99_ms['rated']).toBe(results.latency['rated']?.p99 ?? null)
      }
    }
    const [config] = capacity.configurations
    expect(capacity.configurations).toHaveLength(1)
    expect(config?.config).toBe('default')
    expect(capacity.answers.map((a) => a.target_eps)).toEqual([120])
    expect(existsSync(join(dir, 'capacity.md'))).toBe(true)
    expect(existsSync(join(dir, 'capacity.html'))).toBe(true)
    expect(r.stdout.trimEnd().split('\n').at(-1)).toMatch(/^capacity: \S+ \(capacity\.json, capacity\.md, capacity\.html, one folder per configuration\)$/)
    expect(processesMentioning(dir)).toEqual([])
  })
})
