import { describe, expect, it } from 'vitest'
import type { FaultRecord } from '../run/faults.ts'
import { faultWindows, mergeOutsideFaults } from './fault-windows.ts'
import { newHistogram } from './histograms.ts'

const fault = (over: Partial<FaultRecord>): FaultRecord => ({ name: 'f', kind: 'broker-kill', target: 'broker', at_s: 10, injected_at_s: 10, lifted_at_s: 20, restarted_at_s: 15, recovered_after_s: null, recovery: null, availability: null, error: null, nodes: [], ...over })
const recovery = (drain: number | null, recover: number | null): FaultRecord['recovery'] => ({ until_s: 100, pre_fault: null, window_s: 1, time_to_detect_s: 1, detected_by: 'backlog', time_to_recover_s: recover, time_to_drain_s: drain, restart_time_s: null, latency_spike: null })

describe('fault windows', () => {
  it('run from injection to the later of lift and drain; an unrecovered fault covers the rest of the run', () => {
    expect(faultWindows([fault({ recovery: recovery(30, 25) })])).toEqual([{ fromS: 10, toS: 40 }])
    expect(faultWindows([fault({ recovery: recovery(null, 5) })])).toEqual([{ fromS: 10, toS: 20 }])
    expect(faultWindows([fault({ recovery: recovery(null, null) })])).toEqual([{ fromS: 10, toS: Infinity }])
    expect(faultWindows([fault({ kind: 'generator-restart', lifted_at_s: 10.2, recovery: null })])).toEqual([{ fromS: 10, toS: 10.2 }])
    expect(faultWindows([fault({ injected_at_s: null })])).toEqual([])
  })

  it('merge only the seconds after the warm-up that no fault window touches', () => {
    const intervals = new Map([0, 5, 9, 10, 15, 40, 41].map((s) => {
      const h = newHistogram()
      h.recordValue(1000 * (s + 1))
      return [s, h] as const
    }))
    const merged = mergeOutsideFaults(intervals, 5, [{ fromS: 9.5, toS: 40 }])
    expect(merged.totalCount).toBe(3)
    expect(merged.maxValue).toBeGreaterThanOrEqual(42_000)
    expect(merged.minNonZeroValue).toBeLessThan(6_100)
  })
})
