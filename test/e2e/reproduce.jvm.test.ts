import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { readEvaluation, readRun, readSet } from '../../harness/results/index.ts'
import { processesMentioning, repoRoot, runCli } from '../helpers.ts'

const work = mkdtempSync(join(tmpdir(), 'telcobench-reproduce-'))
afterAll(() => {
  rmSync(work, { recursive: true, force: true })
})

// Two measured experiments of one run each on the e2e scenario shortened to ~17 s of load (the CI budget), and one
// the build cannot run (the model detectors): its check must come out "not measured", not faked.
const miniSuite = `version: 1
name: mini
title: A two-experiment suite
paper: the e2e test
sizes:
  quick: { description: one short run each, repeats: 1 }
  full: { description: the same with three runs each, repeats: 3 }
threats: [one machine]
questions:
  - id: RQ1
    title: Rates
    question: Does it hold?
    claim: { quote: It holds., where: here }
    experiments:
      - id: plain
        title: the plain run
        kind: run
        scenario: ${join(repoRoot, 'test/fixtures/small.yaml')}
        set: [duration=10m]
        batch: false
        figures: [rated.p99, accounting.lost_events, throughput.achieved_eps]
      - id: second
        title: the same with another seed
        kind: run
        scenario: ${join(repoRoot, 'test/fixtures/small.yaml')}
        set: [duration=10m, seed=12]
        batch: false
        figures: [rated.p99, accounting.lost_events]
      - id: models
        title: the models
        kind: run
        scenario: ${join(repoRoot, 'test/fixtures/small.yaml')}
        requires: [ml-detectors]
        figures: [fraud.recall]
    checks:
      - says: nothing is lost
        experiment: plain
        figure: accounting.lost_events
        holds: "== 0"
      - says: the second run's p99 is within 100 times the first's
        experiment: second
        figure: rated.p99
        relativeTo: { experiment: plain, figure: rated.p99 }
        holds: "< 100"
      - says: models find fraud
        experiment: models
        figure: fraud.recall
        holds: ">= 0.8"
        condition: for rules only
`

describe('telcobench reproduce (real Kafka + real Spark)', () => {
  it('runs a two-experiment suite into one suite folder with the provenance, the figures, the verdict and the report', async () => {
    const suiteFile = join(work, 'mini.yaml')
    writeFileSync(suiteFile, miniSuite)
    const out = join(work, 'out')
    const r = await runCli(['reproduce', '--quick', '--suite', suiteFile, '--out', out])
    expect(r.stderr).toMatch(/Suite mini \(--quick\): 3 experiments; estimated at most \d+ min/)
    expect(r.exitCode).toBe(0)
    const [folder, ...others] = readdirSync(out)
    expect(others).toEqual([])
    expect(folder).toMatch(/^mini-quick-\d{8}-\d{6}-[0-9a-f]{4}$/)
    const dir = join(out, folder ?? '')
    expect(readdirSync(dir).sort()).toEqual(['evaluation.html', 'evaluation.json', 'evaluation.md', 'plain', 'second', 'suite.yaml'])
    expect(readFileSync(join(dir, 'suite.yaml'), 'utf8')).toBe(miniSuite)
    const e = readEvaluation(dir)
    expect(e).toMatchObject({ suite: 'mini', size: 'quick', interrupted: false, runtime: 'local', suite_file: 'suite.yaml' })
    expect(e.telcobench.git_sha).toMatch(/^[0-9a-f]{40}$/)
    expect(e.provenance.versions['kafka']).toBe('4.2.0')
    expect(e.provenance.command_line).toContain('reproduce')
    expect(e.finished_at).not.toBeNull()

    for (const id of ['plain', 'second']) {
      const x = e.experiments.find((ex) => ex.id === id)
      expect(x?.status).toBe('measured')
      const { set, runDirs } = readSet(join(dir, x?.folder ?? ''))
      expect(set.repeat).toBe(1)
      expect(runDirs).toHaveLength(1)
      const { results, manifest } = readRun(runDirs[0] ?? '')
      expect(x?.runs).toEqual([{ folder: `${x?.folder ?? ''}/${set.runs[0]?.folder ?? ''}`, state: results.state, counted: true }])
      // Every figure is the run's own value (one run: the median is that value).
      expect(x?.figures['rated.p99']).toMatchObject({ values: [results.latency['rated']?.p99], median: results.latency['rated']?.p99, n: 1, ci: null })
      expect(x?.figures['accounting.lost_events']?.median).toBe(results.accounting.lost)
      expect(manifest.invocation.set).toContain('duration=10m')
      expect(existsSync(join(runDirs[0] ?? '', 'report.html'))).toBe(true)
    }
    expect(e.experiments.find((x) => x.id === 'models')).toMatchObject({ status: 'not-measured', reason: 'the suite has no training step for the learned detectors yet: train one with `telcobench train` and score it with `run --model` (docs/ml.md)', runs: [] })

    const [question] = e.questions
    expect(question?.checks.map((c) => c.outcome)).toEqual(['holds', 'holds', 'not-measured'])
    expect(question?.verdict).toBe('supported-with-conditions')
    expect(question?.conditions).toEqual(['for rules only (not measured: models: the suite has no training step for the learned detectors yet: train one with `telcobench train` and score it with `run --model` (docs/ml.md))'])
    const md = readFileSync(join(dir, 'evaluation.md'), 'utf8')
    expect(md).toContain('| RQ1: Rates | Supported with conditions |')
    expect(readFileSync(join(dir, 'evaluation.html'), 'utf8')).toContain('data-verdict="supported-with-conditions"')
    expect(r.stdout).toContain('RQ1  Supported with conditions')
    expect(processesMentioning(dir)).toEqual([])
  })
})
