import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { processCommandLine, processStartTime } from '../../harness/runtime/process-identity.ts'
import { waitFor } from '../../harness/runtime/processes.ts'
import { abortedFileName, cleanStaleRuns, parseRunLock, runLockFileName, type AbortedRun } from '../../harness/runtime/run-lock.ts'
import { processesMentioning, startCli } from '../helpers.ts'

const resultsDir = mkdtempSync(join(tmpdir(), 'telcobench-killed-'))
afterAll(() => {
  // Should the test fail, no JVM of its run may outlive it.
  for (const pid of processesMentioning(resultsDir)) process.kill(pid, 'SIGKILL')
  rmSync(resultsDir, { recursive: true, force: true })
})

/** The bound: 15 s after the harness died, none of its JVMs runs. */
const orphanBoundMs = 15_000

describe('telcobench run killed with SIGKILL mid-run', () => {
  it('leaves no broker or Spark JVM running 15 s later, and the next run marks its folder aborted', async () => {
    let killedAt = 0
    let jvmsAtKill: string[] = []
    const { done } = startCli(['run', 'test/fixtures/small.yaml', '--results', resultsDir, '--no-batch', '--broker-profile', 'functional'], {}, (line, child) => {
      if (killedAt === 0 && line.includes('Spark streaming job ready')) {
        jvmsAtKill = processesMentioning(resultsDir).map((pid) => processCommandLine(pid) ?? '')
        killedAt = Date.now()
        child.kill('SIGKILL')
      }
    })
    const r = await done
    expect(killedAt, r.stderr).toBeGreaterThan(0)
    expect(r.signal).toBe('SIGKILL')
    const runs = readdirSync(resultsDir)
    expect(runs).toHaveLength(1)
    const runDir = join(resultsDir, runs[0] ?? '')
    // Both JVMs were running when the harness died.
    expect(jvmsAtKill.some((c) => c.includes('kafka.Kafka'))).toBe(true)
    expect(jvmsAtKill.some((c) => c.includes('telcobench.spark.StreamingApp'))).toBe(true)

    // The dead harness could not finish its folder: the lock names both JVMs, and there are no results.
    const lock = parseRunLock(readFileSync(join(runDir, runLockFileName), 'utf8'))
    const children = lock?.children ?? []
    expect(children.map((c) => c.name)).toEqual(['kafka-broker', 'spark-streaming'])
    expect(existsSync(join(runDir, 'results.json'))).toBe(false)

    // Gone means more than a command line that no longer names the folder (an exiting JVM shows an empty one
    // while it frees its heap): the recorded pids no longer run.
    const stillRunning = (): string[] => [
      ...processesMentioning(runDir).map((pid) => processCommandLine(pid) ?? String(pid)),
      ...children.filter((c) => processStartTime(c.pid) === c.start_time).map((c) => `${c.name} (pid ${c.pid})`),
    ]
    await waitFor(() => stillRunning().length === 0, orphanBoundMs - (Date.now() - killedAt), 250)
    const leftAfterMs = Date.now() - killedAt
    expect(stillRunning(), `still running ${leftAfterMs} ms after the SIGKILL`).toEqual([])
    expect(leftAfterMs).toBeLessThanOrEqual(orphanBoundMs)

    const cleaned = await cleanStaleRuns(resultsDir)
    expect(cleaned.map((a) => a.run_dir)).toEqual([runDir])
    const aborted = JSON.parse(readFileSync(join(runDir, abortedFileName), 'utf8')) as AbortedRun
    // The watchdog had already stopped them: nothing was left for the cleanup to stop.
    expect(aborted.children.map((c) => [c.name, c.fate])).toEqual([
      ['kafka-broker', 'already gone'],
      ['spark-streaming', 'already gone'],
    ])
    expect(aborted.results_written).toBe(false)
    expect(existsSync(join(runDir, runLockFileName))).toBe(false)
    expect(existsSync(join(runDir, 'tmp'))).toBe(false)
  })
})
