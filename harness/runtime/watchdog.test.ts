import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import { pidExists, processStartTime } from './process-identity.ts'
import { waitFor } from './processes.ts'
import { ended, sleepers } from './test-sleepers.ts'
import { startWatchdog } from './watchdog.ts'

const pool = sleepers()
/** Stand-in harness processes the tests start besides the sleepers. */
const harnesses: ChildProcess[] = []
afterEach(() => {
  pool.killAll()
  for (const h of harnesses.splice(0)) if (h.exitCode === null && h.signalCode === null) h.kill('SIGKILL')
})

describe('the child-process watchdog', () => {
  it('SIGTERMs a watched child once the pipe from its harness closes (what the kernel does when the harness dies)', async () => {
    const watchdog = startWatchdog(5_000)
    const child = pool.start({ announce: true })
    watchdog.watch(child.pid, processStartTime(child.pid), 'sleeper')
    watchdog.closePipe()
    expect(await ended(child)).toBe('SIGTERM')
    await watchdog.exited
  })

  it('SIGKILLs a child that ignores SIGTERM once the grace period is over', async () => {
    const watchdog = startWatchdog(500)
    const child = pool.start({ ignoreTerm: true, announce: true })
    await new Promise((resolve) => child.stdout?.once('data', resolve))
    watchdog.watch(child.pid, processStartTime(child.pid), 'stubborn')
    const began = Date.now()
    watchdog.closePipe()
    expect(await ended(child)).toBe('SIGKILL')
    expect(Date.now() - began).toBeGreaterThanOrEqual(400)
  })

  it('leaves alone a child that was unwatched, and a pid whose start time is not the registered one (a reused pid)', async () => {
    const watchdog = startWatchdog(500)
    const unwatched = pool.start({ announce: true })
    const reused = pool.start({ announce: true })
    watchdog.watch(unwatched.pid, processStartTime(unwatched.pid), 'unwatched')
    watchdog.unwatch(unwatched.pid)
    watchdog.watch(reused.pid, '1', 'reused')
    watchdog.closePipe()
    await watchdog.exited
    expect(pidExists(unwatched.pid)).toBe(true)
    expect(pidExists(reused.pid)).toBe(true)
  })
})

describe('spawnManaged with a harness killed by SIGKILL', () => {
  it('its children are stopped within seconds, by the watchdog alone', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'telcobench-watchdog-'))
    try {
      const processes = fileURLToPath(new URL('./processes.ts', import.meta.url))
      // A stand-in harness: starts one managed child, prints its pid, then waits to be killed.
      const harnessScript = `
        import { spawnManaged } from ${JSON.stringify(processes)}
        const child = spawnManaged({ name: 'sleeper', command: process.execPath, args: ['-e', 'setInterval(() => {}, 1000)'], logFile: ${JSON.stringify(join(dir, 'sleeper.log'))} })
        console.log(child.pid)
        setInterval(() => {}, 1000)
      `
      const harness = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', harnessScript], { stdio: ['ignore', 'pipe', 'inherit'] })
      harnesses.push(harness)
      const childPid = await new Promise<number>((resolve, reject) => {
        harness.stdout?.once('data', (chunk: Buffer) => {
          resolve(Number(chunk.toString().trim()))
        })
        harness.once('exit', () => {
          reject(new Error('the stand-in harness exited before starting its child'))
        })
      })
      const childStart = processStartTime(childPid)
      expect(childStart).not.toBeNull()
      harness.kill('SIGKILL')
      await ended(harness)
      // Gone, or a zombie waiting for whoever inherited it to reap it: either way no longer running.
      expect(await waitFor(() => processStartTime(childPid) !== childStart, 10_000, 100)).toBe(true)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }, 30_000)
})
