import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { processStartTime } from './process-identity.ts'
import { spawnManaged } from './processes.ts'
import { ended, sleepers } from './test-sleepers.ts'
import { abortedFileName, claimRunFolder, cleanStaleRuns, parseRunLock, runLockFileName, type AbortedRun, type RunLockContent } from './run-lock.ts'

let root = ''
const pool = sleepers()
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'telcobench-run-lock-'))
})
afterEach(() => {
  pool.killAll()
  rmSync(root, { recursive: true, force: true })
})

/** A run folder with a lock; the harness is this very process under another start time, i.e. a dead one whose pid came back. */
function staleRun(name: string, children: RunLockContent['children'], harness: RunLockContent['harness'] = { pid: process.pid, start_time: '1' }): string {
  const runDir = join(root, name)
  mkdirSync(join(runDir, 'tmp'), { recursive: true })
  const lock: RunLockContent = { harness, started_at: '2026-01-05T10:00:00.000Z', children }
  writeFileSync(join(runDir, runLockFileName), JSON.stringify(lock))
  return runDir
}

const abortedOf = (runDir: string): AbortedRun => JSON.parse(readFileSync(join(runDir, abortedFileName), 'utf8')) as AbortedRun

describe('parseRunLock', () => {
  const valid: RunLockContent = { harness: { pid: 42, start_time: '123' }, started_at: '2026-01-05T10:00:00.000Z', children: [{ name: 'kafka-broker', pid: 43, start_time: '124' }, { name: 'spark-streaming', pid: 44, start_time: null }] }

  it('reads what claimRunFolder writes', () => {
    expect(parseRunLock(JSON.stringify(valid))).toEqual(valid)
  })

  it('refuses half-written or foreign content instead of guessing pids from it', () => {
    expect(parseRunLock('{"harness": {"pid": 42')).toBeNull()
    expect(parseRunLock('')).toBeNull()
    expect(parseRunLock('[]')).toBeNull()
    expect(parseRunLock(JSON.stringify({ ...valid, harness: { pid: -1, start_time: null } }))).toBeNull()
    expect(parseRunLock(JSON.stringify({ ...valid, harness: { pid: 1.5, start_time: null } }))).toBeNull()
    expect(parseRunLock(JSON.stringify({ ...valid, children: [{ name: 'x', pid: '43', start_time: null }] }))).toBeNull()
    expect(parseRunLock(JSON.stringify({ ...valid, children: [{ name: 'x', pid: 43, start_time: 'yesterday' }] }))).toBeNull()
    expect(parseRunLock(JSON.stringify({ harness: valid.harness, children: [] }))).toBeNull()
  })
})

describe('cleanStaleRuns', () => {
  it('stops the orphans of a run whose harness is gone, removes its temp folder and marks it aborted', async () => {
    const runDir = join(root, 'e2e-small-20260105-100000-beef')
    // The orphan's command line names the run folder, as every JVM of a run does.
    const orphan = pool.start({ args: [join(runDir, 'spark-job.json')] })
    staleRun('e2e-small-20260105-100000-beef', [{ name: 'spark-streaming', pid: orphan.pid, start_time: processStartTime(orphan.pid) }])
    const lines: string[] = []
    const cleaned = await cleanStaleRuns(root, (l) => lines.push(l))
    expect(await ended(orphan)).toBe('SIGTERM')
    expect(cleaned).toHaveLength(1)
    expect(existsSync(join(runDir, runLockFileName))).toBe(false)
    expect(existsSync(join(runDir, 'tmp'))).toBe(false)
    const aborted = abortedOf(runDir)
    expect(aborted).toMatchObject({ run_dir: runDir, found_by_pid: process.pid, results_written: false, removed: ['tmp'], children: [{ name: 'spark-streaming', pid: orphan.pid, fate: 'stopped' }] })
    expect(lines.join('\n')).toContain(`stopped spark-streaming (pid ${orphan.pid})`)
  })

  it('never signals a reused pid: another command line, or another start time', async () => {
    // Right start time, but its command line does not name the run folder.
    const stranger = pool.start({ args: ['--not-a-telcobench-child'] })
    const strangerRun = staleRun('quickstart-20260105-100000-0001', [{ name: 'kafka-broker', pid: stranger.pid, start_time: processStartTime(stranger.pid) }])
    // Names the run folder, but started at another time than the child the lock recorded.
    const namesTheFolder = pool.start({ args: [join(root, 'quickstart-20260105-100000-0002', 'spark-job.json')] })
    const laterRun = staleRun('quickstart-20260105-100000-0002', [{ name: 'spark-streaming', pid: namesTheFolder.pid, start_time: '1' }])
    await cleanStaleRuns(root)
    expect(processStartTime(stranger.pid)).not.toBeNull()
    expect(processStartTime(namesTheFolder.pid)).not.toBeNull()
    expect(abortedOf(strangerRun).children).toEqual([{ name: 'kafka-broker', pid: stranger.pid, fate: 'pid reused by another process' }])
    expect(abortedOf(laterRun).children).toEqual([{ name: 'spark-streaming', pid: namesTheFolder.pid, fate: 'pid reused by another process' }])
  })

  it('records children that already ended', async () => {
    const gone = pool.start()
    gone.kill('SIGKILL')
    await ended(gone)
    const runDir = staleRun('gone-20260105-100000-0003', [{ name: 'spark-batch', pid: gone.pid, start_time: '1' }])
    await cleanStaleRuns(root)
    expect(abortedOf(runDir).children).toEqual([{ name: 'spark-batch', pid: gone.pid, fate: 'already gone' }])
  })

  it('leaves a run whose harness still runs, a folder without a lock and an unreadable lock alone', async () => {
    const live = staleRun('live-20260105-100000-0004', [], { pid: process.pid, start_time: processStartTime(process.pid) })
    const finished = join(root, 'finished-20260105-100000-0005')
    mkdirSync(finished)
    writeFileSync(join(finished, 'results.json'), '{}')
    const unreadable = join(root, 'odd-20260105-100000-0006')
    mkdirSync(unreadable)
    writeFileSync(join(unreadable, runLockFileName), 'not json')
    writeFileSync(join(root, 'a-file.txt'), '')
    const lines: string[] = []
    expect(await cleanStaleRuns(root, (l) => lines.push(l))).toEqual([])
    expect(existsSync(join(live, runLockFileName))).toBe(true)
    for (const dir of [live, finished, unreadable]) expect(existsSync(join(dir, abortedFileName))).toBe(false)
    expect(lines).toEqual([`warning: ${join(unreadable, runLockFileName)} is not a run lock telcobench can read; left as it is`])
  })

  it('does nothing when the results folder does not exist yet', async () => {
    expect(await cleanStaleRuns(join(root, 'missing'))).toEqual([])
  })
})

describe('claimRunFolder', () => {
  it('cleans stale runs beside it, records every child started until release, and removes the lock on release', async () => {
    const stale = staleRun('old-20260105-100000-0007', [])
    const runDir = join(root, 'new-20260105-100000-0008')
    mkdirSync(runDir)
    const lock = await claimRunFolder(runDir, () => undefined)
    expect(existsSync(join(stale, abortedFileName))).toBe(true)
    const child = spawnManaged({ name: 'sleeper', command: process.execPath, args: ['-e', 'setInterval(() => {}, 1000)', runDir], logFile: join(runDir, 'sleeper.log') })
    try {
      const content = parseRunLock(readFileSync(join(runDir, runLockFileName), 'utf8'))
      expect(content?.harness).toEqual({ pid: process.pid, start_time: processStartTime(process.pid) })
      expect(content?.children).toEqual([{ name: 'sleeper', pid: child.pid, start_time: processStartTime(child.pid) }])
      // A later run does not take a live run for a stale one.
      expect(await cleanStaleRuns(root)).toEqual([])
    } finally {
      await child.stop(1_000)
      lock.release()
    }
    expect(existsSync(join(runDir, runLockFileName))).toBe(false)
    expect(existsSync(join(runDir, abortedFileName))).toBe(false)
  })
})
