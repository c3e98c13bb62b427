import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { runCli } from '../helpers.ts'

// Where a refused run could write (a run refused for want of Java has made its folder and logs): removed afterwards.
const scratch = mkdtempSync(join(tmpdir(), 'telcobench-cli-errors-'))
afterAll(() => {
  rmSync(scratch, { recursive: true, force: true })
})

describe('telcobench CLI errors', () => {
  it('reports every scenario problem with line and column, exit 2, before any JVM starts', async () => {
    const r = await runCli(['run', 'test/fixtures/invalid.yaml'])
    expect(r.exitCode).toBe(2)
    expect(r.stderr).toContain('test/fixtures/invalid.yaml:5:1  descripton  unknown key  (did you mean "description"?)')
    expect(r.stderr).toContain('test/fixtures/invalid.yaml:6:18  timeCompression  expected a number, got "fast"')
    expect(r.stderr).toMatch(/test\/fixtures\/invalid\.yaml:15:16 {2}faults\.late-kill\.startTime {2}fault starts at 2h, outside the run/)
    expect(r.stderr).not.toContain('Kafka ready')
    expect(r.stderr).not.toMatch(/\n\s+at /)
  }, 30_000)

  it('validate exits 2 on the same file and lists all problems', async () => {
    const r = await runCli(['validate', 'test/fixtures/invalid.yaml'])
    expect(r.exitCode).toBe(2)
    expect(r.stderr.split('\n').filter((l) => l.startsWith('test/fixtures/invalid.yaml:')).length).toBeGreaterThanOrEqual(3)
  }, 30_000)

  it('names the cause and the fix in one line when Java is missing, exit 3, no stack trace', async () => {
    const r = await runCli(['run', 'test/fixtures/small.yaml', '--results', scratch], { JAVA_HOME: '/nonexistent/jdk' })
    expect(r.exitCode).toBe(3)
    expect(r.stderr).toContain('telcobench: Java was not found (tried /nonexistent/jdk/bin/java)')
    expect(r.stderr).toContain('fix: install a JDK 17 or newer')
    expect(r.stderr).not.toMatch(/\n\s+at /)
  }, 30_000)

  it('rejects a bad --shard with a usage error', async () => {
    const r = await runCli(['generate', 'test/fixtures/small.yaml', '--out', scratch, '--shard', '4/3'])
    expect(r.exitCode).toBe(2)
    expect(r.stderr).toContain("option '--shard <i/n>' argument '4/3' is invalid. Write i/n with 1 ≤ i ≤ n")
  }, 30_000)

  it.each([['validate'], ['run']])('%s: a YAML alias bomb is exit 2 "too many YAML aliases" with the file, line and a fix, no stack trace', async (verb) => {
    const r = await runCli([verb, 'test/fixtures/alias-bomb.yaml', ...(verb === 'run' ? ['--results', scratch] : [])])
    expect(r.exitCode).toBe(2)
    expect(r.stderr).toContain('test/fixtures/alias-bomb.yaml:9:10  (root)  YAML: too many YAML aliases')
    expect(r.stderr).toContain('(write the values out, or refer to each &anchor only a few times)')
    expect(r.stderr).not.toMatch(/\n\s+at /)
  }, 30_000)

  it('validate refuses what run refuses: a threshold on an unknown metric, set with --set', async () => {
    for (const verb of ['validate', 'run']) {
      const r = await runCli([verb, 'test/fixtures/small.yaml', '--set', 'thresholds.lost_event=["count==0"]', ...(verb === 'run' ? ['--results', scratch] : [])])
      expect(r.exitCode).toBe(2)
      expect(r.stderr).toContain('test/fixtures/small.yaml (--set thresholds.lost_event=["count==0"])  thresholds.lost_event  unknown metric "lost_event"  (did you mean "lost_events"?)')
    }
  }, 60_000)

  it('reproduce: a broken suite file is exit 2 with every problem as file:line:col, before anything starts', async () => {
    const r = await runCli(['reproduce', '--quick', '--suite', 'test/fixtures/broken-suite.yaml', '--out', scratch])
    expect(r.exitCode).toBe(2)
    expect(r.stderr).toContain('test/fixtures/broken-suite.yaml:22:9  questions[0].experiments[0].figurs  unknown key  (did you mean "figures"?)')
    expect(r.stderr).toContain('test/fixtures/broken-suite.yaml: 2 error(s)')
    expect(r.stderr).not.toMatch(/\n\s+at /)
    expect(readdirSync(scratch).filter((f) => f.startsWith('broken-'))).toEqual([])
  }, 30_000)
})
