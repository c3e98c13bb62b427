import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { readRun, writeRunFiles, type Manifest, type Results } from '../../harness/results/index.ts'
import { repoRoot, runCli } from '../helpers.ts'

const fixture = join(repoRoot, 'test', 'fixtures', 'run-quickstart')
const work = mkdtempSync(join(tmpdir(), 'telcobench-compare-'))
afterAll(() => {
  rmSync(work, { recursive: true, force: true })
})

/** A copy of the stored quickstart run, changed through the results module so it stays schema-valid. */
function copyOfRun(name: string, change: { results?: (r: Results) => Results; manifest?: (m: Manifest) => Manifest } = {}): string {
  const dir = join(work, name)
  cpSync(fixture, dir, { recursive: true })
  const run = readRun(dir)
  writeRunFiles(dir, { results: change.results?.(run.results) ?? run.results, manifest: change.manifest?.(run.manifest) ?? run.manifest, timeline: run.timeline })
  return dir
}

const lossy = (r: Results): Results => ({ ...r, accounting: { ...r.accounting, lost: 5, rated_once: r.accounting.rated_once - 5 } })
const otherScenario = (m: Manifest): Manifest => ({ ...m, scenario_sha256: 'f'.repeat(64) })
const noGithub = { GITHUB_ACTIONS: '' }

describe('telcobench compare (the stored quickstart run, no JVM)', () => {
  it('exits 0 for a run against a copy of itself', async () => {
    const r = await runCli(['compare', copyOfRun('same-a'), copyOfRun('same-b')], noGithub)
    expect(r.stderr).toBe('')
    expect(r.exitCode).toBe(0)
    expect(r.stdout).toContain('█ COMPARE  candidate 1 run (quickstart-20261130-085523-7a92) on spark vs baseline 1 run (quickstart-20261130-085523-7a92) on spark')
    expect(r.stdout).toMatch(/\n█ no regression \(\d+ metrics: /)
  }, 60_000)

  it('exits 1 and names the metric when the candidate lost events; writes JSON, JUnit and Markdown; annotates under GitHub Actions', async () => {
    const json = join(work, 'lossy.json')
    const junit = join(work, 'lossy.xml')
    const markdown = join(work, 'lossy.md')
    const r = await runCli(['compare', copyOfRun('base'), copyOfRun('lossy', { results: lossy }), '--json', json, '--junit', junit, '--markdown', markdown], { GITHUB_ACTIONS: 'true' })
    expect(r.exitCode).toBe(1)
    expect(r.stdout).toMatch(/\n {2}accounting\.lost_events +0 +5 +\+5 +REGRESSED \(beyond default \+0\)/)
    expect(r.stdout).toContain('█ 1 regression: accounting.lost_events')
    expect(r.stdout).toContain('::error title=telcobench compare%3A accounting.lost_events regressed::0 → 5 (+5), REGRESSED (beyond default +0); exact (any worsening counts)')
    expect((JSON.parse(readFileSync(json, 'utf8')) as { regressions: string[] }).regressions).toEqual(['accounting.lost_events'])
    expect(readFileSync(junit, 'utf8')).toContain('<failure message="accounting.lost_events REGRESSED (beyond default +0): +5" type="regression">')
    expect(readFileSync(markdown, 'utf8')).toContain('## ❌ telcobench compare: 1 regression: accounting.lost_events')
    expect(r.stdout).toContain(`json: ${json}\njunit: ${junit}\nmarkdown: ${markdown}`)
  }, 60_000)

  it('exits 5 and lists the difference when the scenarios differ; --allow-mismatch compares them with a warning', async () => {
    const base = copyOfRun('hash-base')
    const other = copyOfRun('hash-other', { manifest: otherScenario })
    const baseHash = readRun(base).manifest.scenario_sha256
    const refused = await runCli(['compare', base, other], noGithub)
    expect(refused.exitCode).toBe(5)
    expect(refused.stdout).toContain(`✗ scenario content (sha256 of scenario.resolved.json): baseline ${baseHash}; candidate ${'f'.repeat(64)}`)
    const allowed = await runCli(['compare', base, other, '--allow-mismatch'], noGithub)
    expect(allowed.exitCode).toBe(0)
    expect(allowed.stdout).toContain(`⚠ compared although the runs differ (--allow-mismatch): scenario content (sha256 of scenario.resolved.json): baseline ${baseHash}; candidate ${'f'.repeat(64)}`)
  }, 60_000)

  it('reads set folders (run sub-folders, as run --repeat writes them) and --baseline/--candidate lists', async () => {
    const set = (name: string): string => {
      const dir = join(work, name)
      mkdirSync(dir)
      for (const run of ['run-1', 'run-2']) cpSync(fixture, join(dir, run), { recursive: true })
      mkdirSync(join(dir, 'run-3'))
      return dir
    }
    const bySets = await runCli(['compare', set('set-a'), set('set-b')], noGithub)
    expect(bySets.exitCode).toBe(0)
    expect(bySets.stdout).toContain('candidate 2 runs (quickstart-20261130-085523-7a92, quickstart-20261130-085523-7a92) on spark vs baseline 2 runs')
    expect(bySets.stdout).toContain(`skipped ${join(work, 'set-a', 'run-3')}: no results.json (the run did not finish)`)
    expect(bySets.stdout).toContain('Mann–Whitney U, 2+2 runs, p = 1')
    const invalid = (r: Results): Results => ({ ...r, state: 'invalid', verdict: { ...r.verdict, passed: false, reasons: [{ code: 'not_settled', message: 'no steady state after the warm-up' }] } })
    const withInvalid = join(work, 'set-c')
    mkdirSync(withInvalid)
    cpSync(fixture, join(withInvalid, 'run-1'), { recursive: true })
    cpSync(copyOfRun('invalid-run', { results: invalid }), join(withInvalid, 'run-2'), { recursive: true })
    const leftOut = await runCli(['compare', set('set-d'), withInvalid], noGithub)
    expect(leftOut.exitCode).toBe(0)
    expect(leftOut.stdout).toContain(`skipped ${join(withInvalid, 'run-2')}: the run is invalid (not_settled)`)
    expect(leftOut.stdout).toContain('candidate 1 run (quickstart-20261130-085523-7a92) on spark vs baseline 2 runs')
    const named = await runCli(['compare', join(work, 'set-d', 'run-1'), join(withInvalid, 'run-2')], noGithub)
    expect(named.exitCode).toBe(5)
    const onlyInvalid = join(work, 'set-e')
    mkdirSync(onlyInvalid)
    cpSync(join(withInvalid, 'run-2'), join(onlyInvalid, 'run-1'), { recursive: true })
    const none = await runCli(['compare', set('set-f'), onlyInvalid], noGithub)
    expect(none.exitCode).toBe(2)
    expect(none.stderr).toContain('the candidate has no run to compare')
    const byFlags = await runCli(['compare', '--baseline', join(work, 'set-a', 'run-1'), join(work, 'set-a', 'run-2'), '--candidate', join(work, 'set-b', 'run-1')], noGithub)
    expect(byFlags.exitCode).toBe(0)
    expect(byFlags.stdout).toContain('candidate 1 run (quickstart-20261130-085523-7a92) on spark vs baseline 2 runs')
  }, 60_000)
})
