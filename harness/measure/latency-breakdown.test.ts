import { describe, expect, it } from 'vitest'
import { LatencyBreakdownRecorder } from './latency-breakdown.ts'

// One clock for the test: monotonic ns = (wall ms − offset) × 1e6.
const offsetMs = 1_000_000
const monoNs = (wallMs: number): number => (wallMs - offsetMs) * 1e6
const recorder = (warmupNs = 0n): LatencyBreakdownRecorder => new LatencyBreakdownRecorder(0n, warmupNs, offsetMs)

describe('LatencyBreakdownRecorder', () => {
  it('splits a micro-batch record into its five stages, which add up to its latency', () => {
    const r = recorder()
    const t = 5_000_000
    // intended t, appended +12, batch +400, parsed +450, handed to the producer +900, read +1,000
    r.add({ appendMs: t + 12, batchMs: t + 400, pickupMs: t + 450 }, t + 900, monoNs(t), BigInt(monoNs(t + 1000)))
    const s = r.summary()
    expect(s?.records).toBe(1)
    expect(s?.stages.map((x) => [x.stage, x.mean_ms])).toEqual([
      ['to_broker', 12],
      ['wait_for_trigger', 388],
      ['batch_start', 50],
      ['processing', 450],
      ['delivery', 100],
    ])
    expect(s?.e2e_mean_ms).toBe(1000)
    expect(s?.stage_mean_sum_ms).toBe(1000)
    expect(s?.stages[1]?.p50_ms).toBeCloseTo(388, 0)
  })

  it('uses the record-at-a-time stages when records carry no batch time', () => {
    const r = recorder()
    const t = 5_000_000
    r.add({ appendMs: t + 5, pickupMs: t + 25 }, t + 40, monoNs(t), BigInt(monoNs(t + 60)))
    expect(r.summary()?.stages.map((x) => [x.stage, x.mean_ms])).toEqual([
      ['to_broker', 5],
      ['to_engine', 20],
      ['processing', 15],
      ['delivery', 20],
    ])
  })

  it('counts records without marks and leaves out the warm-up', () => {
    const r = recorder(BigInt(monoNs(6_000_000)))
    const t = 5_000_000
    r.add({ appendMs: t + 5, batchMs: t + 6, pickupMs: t + 7 }, t + 8, monoNs(t), BigInt(monoNs(t + 9)))
    expect(r.summary()).toBeNull()
    const u = 7_000_000
    r.add({}, u + 8, monoNs(u), BigInt(monoNs(u + 9)))
    r.add({ appendMs: u + 1, batchMs: 'late', pickupMs: u + 2 }, u + 3, monoNs(u), BigInt(monoNs(u + 4)))
    expect(r.summary()?.unmarked).toBe(1)
    expect(r.summary()?.records).toBe(1)
  })

  it('keeps a negative stage in the mean and counts it, and finds where the slowest records spend their time', () => {
    const r = recorder()
    for (let i = 0; i < 200; i++) {
      const t = 5_000_000 + i * 10
      const slow = i === 7 ? 3000 : 0
      // the batch started 2 ms after the append, but the record was parsed "before" the batch time in one case
      r.add({ appendMs: t + 10, batchMs: t + 12, pickupMs: i === 3 ? t + 11 : t + 20 }, t + 100 + slow, monoNs(t), BigInt(monoNs(t + 150 + slow)))
    }
    const s = r.summary()
    expect(s?.stages.find((x) => x.stage === 'batch_start')?.below_zero).toBe(1)
    expect(s?.stage_mean_sum_ms).toBeCloseTo(s?.e2e_mean_ms ?? 0, 6)
    expect(s?.slowest_1pct.records).toBe(2)
    expect(s?.stages.find((x) => x.stage === 'processing')?.slowest_1pct_mean_ms).toBeGreaterThan(1500)
    expect(s?.stages.find((x) => x.stage === 'delivery')?.slowest_1pct_mean_ms).toBe(50)
  })

  it('samples evenly over a long run, never more than its capacity', () => {
    const r = recorder()
    for (let i = 0; i < 100_000; i++) {
      const t = 5_000_000 + i
      r.add({ appendMs: t + 1, batchMs: t + 2, pickupMs: t + 3 }, t + 4, monoNs(t), BigInt(monoNs(t + 5)))
    }
    const s = r.summary()
    expect(s?.records).toBe(100_000)
    expect(s?.slowest_1pct.sampled).toBeLessThan(20_000)
    expect(s?.slowest_1pct.sampled).toBeGreaterThan(5_000)
  })
})
