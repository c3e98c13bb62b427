import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { adoptProcess, liveProcessCount, onChildStarted, spawnManaged, stopAll, type StartedChild } from './processes.ts'
import { ended, sleepers } from './test-sleepers.ts'

const sleeping = sleepers()
afterEach(() => {
  sleeping.killAll()
})

describe('spawnManaged', () => {
  it('keeps the harness alive when the log file cannot be opened (its folder is gone): the child runs and ends as usual', async () => {
    // Before the fix, the log stream's open error was an uncaught exception (vitest reports it as an unhandled error).
    const logFile = join(tmpdir(), `telcobench-no-such-folder-${process.pid}`, 'child.log')
    const child = spawnManaged({ name: 'short-child', command: process.execPath, args: ['-e', 'console.log("hello")'], logFile })
    expect(await child.exited).toBe(0)
  })
})

describe('adoptProcess (a process another child started, e.g. a Spark executor)', () => {
  it('is counted, announced to the run lock, and stopped by stopAll (SIGKILL when it ignores SIGTERM)', async () => {
    const before = liveProcessCount()
    const stubborn = sleeping.start({ ignoreTerm: true, announce: true })
    await new Promise((resolve) => stubborn.stdout?.once('data', resolve))
    const announced: StartedChild[] = []
    const stopListening = onChildStarted((c) => announced.push(c))
    const handle = adoptProcess(stubborn.pid, 'spark-executor-0')
    stopListening()
    expect(handle?.isRunning()).toBe(true)
    expect(announced.map((c) => [c.name, c.pid])).toEqual([['spark-executor-0', stubborn.pid]])
    expect(liveProcessCount()).toBe(before + 1)
    const gone = ended(stubborn)
    await stopAll(300)
    expect(await gone).toBe('SIGKILL')
    expect(handle?.isRunning()).toBe(false)
    expect(liveProcessCount()).toBe(before)
  })

  it('kill() ends it with SIGKILL; a process that has already ended is not adopted', async () => {
    const child = sleeping.start()
    const handle = adoptProcess(child.pid, 'spark-executor-1')
    const gone = ended(child)
    await handle?.kill()
    expect(await gone).toBe('SIGKILL')
    expect(handle?.isRunning()).toBe(false)
    expect(adoptProcess(child.pid, 'spark-executor-1')).toBeNull()
  })
})
