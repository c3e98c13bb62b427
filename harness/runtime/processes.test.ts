import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { spawnManaged } from './processes.ts'

describe('spawnManaged', () => {
  it('keeps the harness alive when the log file cannot be opened (its folder is gone): the child runs and ends as usual', async () => {
    // Before the fix, the log stream's open error was an uncaught exception (vitest reports it as an unhandled error).
    const logFile = join(tmpdir(), `telcobench-no-such-folder-${process.pid}`, 'child.log')
    const child = spawnManaged({ name: 'short-child', command: process.execPath, args: ['-e', 'console.log("hello")'], logFile })
    expect(await child.exited).toBe(0)
  })
})
