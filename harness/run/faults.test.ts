import { describe, expect, it } from 'vitest'
import { loadBesideFaults, needsNetworkProxy, runFaultTimeline, unsupportedFaults } from './faults.ts'
import type { PlannedFault } from './plan.ts'
import type { Impairment } from '../runtime/tcp-proxy.ts'
import type { SparkClusterControl } from '../runtime/runtime.ts'

const fault = (kind: PlannedFault['kind'], extra: Partial<PlannedFault> = {}): PlannedFault => ({ name: kind, kind, atS: 0, durationS: 0.05, ...extra })

describe('network faults', () => {
  it('only network kinds need the proxy', () => {
    expect(needsNetworkProxy([fault('broker-kill'), fault('pipeline-crash')])).toBe(false)
    expect(needsNetworkProxy([fault('broker-kill'), fault('network-loss', { lossPercent: 5 })])).toBe(true)
  })

  it('a runtime without the proxy (external, `up`) refuses them with the reason', () => {
    const problems = unsupportedFaults([fault('network-delay', { delayMs: 200 }), fault('network-partition'), fault('generator-restart')], true, false, true)
    expect(problems).toHaveLength(2)
    expect(problems[0]).toContain('network-delay needs the run\'s TCP proxy')
    expect(unsupportedFaults([fault('network-delay', { delayMs: 200 })], true, true, true)).toEqual([])
    expect(unsupportedFaults([fault('store-kill')], true, true, false)[0]).toContain('store-kill needs a Cassandra node this run starts')
    expect(unsupportedFaults([fault('store-kill')], true, true, true)).toEqual([])
  })

  it('impairs the network for the fault\'s duration, then heals it', async () => {
    const calls: (Impairment | 'heal')[] = []
    const network = { impair: (i: Impairment) => { calls.push(i) }, heal: () => { calls.push('heal') }, stats: { connections: 0, reset: 0, chunks: 0, bytes: 0, lossHeldChunks: 0, lossHeldMs: 0 } }
    const records = await runFaultTimeline([fault('network-delay', { delayMs: 200 }), fault('network-loss', { atS: 0.1, lossPercent: 3 }), fault('network-partition', { atS: 0.2 })], process.hrtime.bigint(), { broker: null, network, store: null, job: () => null, restartGenerator: () => undefined, log: () => undefined }, new AbortController().signal)
    expect(calls).toEqual([{ kind: 'delay', delayMs: 200 }, 'heal', { kind: 'loss', lossPercent: 3 }, 'heal', { kind: 'partition' }, 'heal'])
    for (const r of records) {
      expect(r.error).toBeNull()
      expect(r.target).toBe('network')
      expect((r.lifted_at_s ?? 0) - (r.injected_at_s ?? 0)).toBeGreaterThanOrEqual(0.04)
    }
  })
})

describe('a load that fails', () => {
  it('stops the fault timeline and waits for it: the fault under way is lifted, no later fault touches the broker', async () => {
    const calls: string[] = []
    const record = (call: string) => (): Promise<void> => {
      calls.push(call)
      return Promise.resolve()
    }
    const broker = { kill: record('kill'), restart: record('restart'), pause: () => undefined, resume: () => undefined, pid: null }
    const stop = new AbortController()
    // A broker kill held for 5 s, then a second one at 0.3 s after it: the load fails 0.1 s into the first.
    const done = runFaultTimeline([fault('broker-kill', { durationS: 5 }), fault('broker-kill', { atS: 5.3, durationS: 0.05 })], process.hrtime.bigint(), { broker, network: null, store: null, job: () => null, restartGenerator: () => undefined, log: () => undefined }, stop.signal)
    const load = new Promise<never>((_, reject) => setTimeout(() => { reject(new Error('metadata failed 4 times')) }, 100))
    await expect(loadBesideFaults(load, { done, stop })).rejects.toThrow('metadata failed 4 times')
    // Everything the timeline did happened before the error reached the run's teardown.
    expect(calls).toEqual(['kill', 'restart'])
    await new Promise((r) => setTimeout(r, 400))
    expect(calls).toEqual(['kill', 'restart'])
  })
})

describe('Spark standalone faults', () => {
  /** A cluster of two workers whose executors are pids 100+worker, replaced by 200+worker after a kill. */
  function fakeSpark(): { control: SparkClusterControl; calls: string[] } {
    const calls: string[] = []
    const running = new Map<number, number>([
      [1, 101],
      [2, 102],
    ])
    const control: SparkClusterControl = {
      workerIds: [1, 2],
      killExecutor: (n) => {
        calls.push(`kill executor on ${n}`)
        const pid = running.get(n)
        running.set(n, 200 + n)
        return Promise.resolve(pid === undefined ? null : { executorId: String(n - 1), pid })
      },
      waitForExecutor: (n, gone) => {
        calls.push(`wait on ${n} for a pid not in ${[...gone].join(',')}`)
        const pid = running.get(n)
        return Promise.resolve(pid !== undefined && !gone.has(pid))
      },
      killWorker: (n) => {
        calls.push(`kill worker ${n}`)
        const pid = running.get(n)
        running.delete(n)
        return Promise.resolve(pid === undefined ? [] : [pid])
      },
      restartWorker: (n) => {
        calls.push(`restart worker ${n}`)
        running.set(n, 300 + n)
        return Promise.resolve()
      },
      pids: () => ({}),
    }
    return { control, calls }
  }

  it('executor-kill kills the executor of the target worker and lasts until the worker runs a new one; worker-kill restarts the worker after the duration', async () => {
    const { control, calls } = fakeSpark()
    const records = await runFaultTimeline([fault('executor-kill', { worker: 2 }), fault('worker-kill', { atS: 0.05, worker: 1 })], process.hrtime.bigint(), { broker: null, network: null, store: null, spark: control, job: () => null, restartGenerator: () => undefined, log: () => undefined }, new AbortController().signal)
    expect(calls).toEqual(['kill executor on 2', 'wait on 2 for a pid not in 102', 'kill worker 1', 'restart worker 1', 'wait on 1 for a pid not in 101'])
    expect(records.map((r) => [r.kind, r.target, r.nodes, r.error])).toEqual([
      ['executor-kill', 'pipeline', [2], null],
      ['worker-kill', 'pipeline', [1], null],
    ])
    for (const r of records) expect(r.restarted_at_s).not.toBeNull()
    const workerKill = records[1]
    expect((workerKill?.restarted_at_s ?? 0) - (workerKill?.injected_at_s ?? 0)).toBeGreaterThanOrEqual(0.04)
  })

  it('a worker that never runs a new executor fails the fault with the reason; without a standalone cluster the kinds are refused before the run', async () => {
    const { control } = fakeSpark()
    const stuck: SparkClusterControl = { ...control, waitForExecutor: () => Promise.resolve(false) }
    const [r] = await runFaultTimeline([fault('executor-kill', { worker: 1 })], process.hrtime.bigint(), { broker: null, network: null, store: null, spark: stuck, job: () => null, restartGenerator: () => undefined, log: () => undefined }, new AbortController().signal)
    expect(r?.error).toBe('Spark worker 1 launched no new executor after the kill')
    expect(r?.restarted_at_s).toBeNull()
    expect(unsupportedFaults([fault('executor-kill'), fault('worker-kill')], true, true, true, false, false)).toEqual([
      'executor-kill: executor-kill needs a Spark standalone cluster this run starts (local runtime, spark.mode standalone, Spark engine)',
      'worker-kill: worker-kill needs a Spark standalone cluster this run starts (local runtime, spark.mode standalone, Spark engine)',
    ])
    expect(unsupportedFaults([fault('executor-kill')], true, true, true, false, true)).toEqual([])
  })
})
