import { describe, expect, it } from 'vitest'
import { needsNetworkProxy, runFaultTimeline, unsupportedFaults } from './faults.ts'
import type { PlannedFault } from './plan.ts'
import type { Impairment } from '../runtime/tcp-proxy.ts'

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
