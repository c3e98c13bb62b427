import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import type { UnplannedExit } from '../results/index.ts'
import { spawnManaged, stopAll, waitFor, type ManagedProcess } from '../runtime/processes.ts'
import type { StreamingJob } from '../runtime/runtime.ts'
import { DeathWatch, describeExit, unplannedExit } from './deaths.ts'
import { runFaultTimeline } from './faults.ts'

const dir = mkdtempSync(join(tmpdir(), 'tb-deaths-'))
afterAll(() => {
  rmSync(dir, { recursive: true, force: true })
})

const watches: DeathWatch[] = []
afterEach(async () => {
  for (const w of watches.splice(0)) w.close()
  await stopAll(1000)
})

/** A stand-in for a JVM: a shell that sleeps (or exits with `code`) under the name the watch knows. */
function child(name: string, script = 'exec sleep 30'): ManagedProcess {
  return spawnManaged({ name, command: 'sh', args: ['-c', script], logFile: join(dir, `${name}.log`) })
}

function watch(): { watch: DeathWatch; lines: string[]; heardAt: number[] } {
  const lines: string[] = []
  const heardAt: number[] = []
  const w = new DeathWatch(() => 41.2, (line) => {
    lines.push(line)
    heardAt.push(Date.now())
  })
  watches.push(w)
  return { watch: w, lines, heardAt }
}

describe('classifying an exit', () => {
  const exit = { name: 'spark-streaming', pid: 1, code: null, signal: 'SIGKILL' as const, requested: false }

  it('an exit nobody asked for of a watched process is unplanned; a requested one, or another process, is not', () => {
    expect(unplannedExit(exit, 41.2)).toEqual({ process: 'spark-streaming', at_s: 41.2, exit_code: null, signal: 'SIGKILL' })
    expect(unplannedExit({ ...exit, requested: true }, 41.2)).toBeNull()
    expect(unplannedExit({ ...exit, name: 'spark-batch' }, 41.2)).toBeNull()
  })

  it('names what died, when and how', () => {
    expect(describeExit({ process: 'spark-streaming', at_s: 41.2, exit_code: null, signal: 'SIGKILL' })).toBe('Spark streaming driver died at 41 s (signal SIGKILL), not a planned fault')
    expect(describeExit({ process: 'kafka-broker', at_s: 7.6, exit_code: 137, signal: null })).toBe('Kafka broker died at 8 s (exit code 137), not a planned fault')
  })
})

describe('DeathWatch on real child processes', () => {
  it('hears a driver killed from outside at once and logs it', async () => {
    const { watch: w, lines, heardAt } = watch()
    const driver = child('spark-streaming')
    const killedAt = Date.now()
    process.kill(driver.pid, 'SIGKILL')
    await driver.exited
    expect(w.exits).toEqual([{ process: 'spark-streaming', at_s: 41.2, exit_code: null, signal: 'SIGKILL' }])
    expect(lines).toEqual(['Spark streaming driver died at 41 s (signal SIGKILL), not a planned fault'])
    expect((heardAt[0] ?? Infinity) - killedAt).toBeLessThan(1000)
    expect(w.deadNow()?.process).toBe('spark-streaming')
    expect(w.isDead('spark-streaming')).toBe(true)
    expect(w.isDead('kafka-broker')).toBe(false)
  })

  it('records a crash by its exit code', async () => {
    const { watch: w } = watch()
    const broker = child('kafka-broker', 'exit 3')
    await broker.exited
    expect(w.exits).toEqual([{ process: 'kafka-broker', at_s: 41.2, exit_code: 3, signal: null }])
  })

  it('ignores the kills and stops the harness asks for', async () => {
    const { watch: w, lines } = watch()
    await child('spark-streaming').kill()
    await child('kafka-broker').stop(1000)
    expect(w.exits).toEqual([])
    expect(lines).toEqual([])
    expect(w.deadNow()).toBeNull()
  })

  it('ignores processes it does not watch', async () => {
    const { watch: w } = watch()
    const batch = child('spark-batch')
    process.kill(batch.pid, 'SIGKILL')
    await batch.exited
    expect(w.exits).toEqual([])
  })

  it('a process started again after its death is alive, the death stays recorded', async () => {
    const { watch: w } = watch()
    const first = child('spark-streaming', 'exit 1')
    await first.exited
    expect(w.deadNow()).not.toBeNull()
    child('spark-streaming')
    expect(w.deadNow()).toBeNull()
    expect(w.exits).toHaveLength(1)
  })

  it('tells listeners of every unplanned death, and nothing after close', async () => {
    const { watch: w } = watch()
    const heard: UnplannedExit[] = []
    w.onUnplannedExit((e) => heard.push(e))
    const broker = child('kafka-broker')
    process.kill(broker.pid, 'SIGTERM')
    await broker.exited
    expect(heard.map((e) => [e.process, e.signal])).toEqual([['kafka-broker', 'SIGTERM']])
    w.close()
    const again = child('kafka-broker', 'exit 2')
    await again.exited
    expect(heard).toHaveLength(1)
    expect(w.exits).toHaveLength(1)
  })
})

describe('planned faults against unplanned deaths', () => {
  /** A streaming job whose driver is a child process, killed and restarted the way the Spark job is. */
  function fakeJob(): StreamingJob & { current: ManagedProcess } {
    const job = {
      current: child('spark-streaming'),
      startupMs: 0,
      restarts: 0,
      get process() {
        return { pid: job.current.pid }
      },
      start: async () => {
        job.current = child('spark-streaming')
        await Promise.resolve()
      },
      kill: () => job.current.kill(),
      restart: async () => {
        job.restarts++
        await job.start()
      },
      stop: () => job.current.stop(1000),
    }
    return job
  }

  it('a planned pipeline crash (kill, then restart) is not an unplanned death; a kill from outside after it is', async () => {
    const { watch: w } = watch()
    const job = fakeJob()
    const fault = { name: 'crash', kind: 'pipeline-crash' as const, atS: 0, durationS: 0.2 }
    const records = await runFaultTimeline([fault], process.hrtime.bigint(), { broker: null, network: null, store: null, job: () => job, restartGenerator: () => undefined, log: () => undefined }, new AbortController().signal)
    expect(records[0]?.error).toBeNull()
    expect(job.restarts).toBe(1)
    expect(w.exits).toEqual([])
    expect(w.deadNow()).toBeNull()

    process.kill(job.current.pid, 'SIGKILL')
    expect(await waitFor(() => w.exits.length === 1, 2000, 20)).toBe(true)
    expect(w.exits[0]).toMatchObject({ process: 'spark-streaming', signal: 'SIGKILL' })
    expect(w.deadNow()).not.toBeNull()
  })

  it('a planned broker kill and a broker pause are not unplanned deaths', async () => {
    const { watch: w } = watch()
    let broker = child('kafka-broker')
    const control = {
      kill: () => broker.kill(),
      restart: async () => {
        broker = child('kafka-broker')
        await Promise.resolve()
      },
      pause: () => { broker.signal('SIGSTOP') },
      resume: () => { broker.signal('SIGCONT') },
      get pid() {
        return broker.pid
      },
    }
    const faults = [{ name: 'kill', kind: 'broker-kill' as const, atS: 0, durationS: 0.1 }, { name: 'pause', kind: 'broker-pause' as const, atS: 0.2, durationS: 0.1 }]
    const records = await runFaultTimeline(faults, process.hrtime.bigint(), { broker: control, network: null, store: null, job: () => null, restartGenerator: () => undefined, log: () => undefined }, new AbortController().signal)
    expect(records.map((r) => r.error)).toEqual([null, null])
    expect(broker.isRunning()).toBe(true)
    expect(w.exits).toEqual([])
  })
})
