import { describe, expect, it } from 'vitest'
import { analyzeRecovery, firstGapSymptomS, outputCadenceS } from './recovery.ts'
import type { TimelinePoint } from './timeline.ts'

/** A timeline from per-second offered and accounted counts (acked = offered) and per-second rated p99. */
function timeline(offered: number[], accounted: number[], p99: (number | null)[] = []): TimelinePoint[] {
  let o = 0
  let a = 0
  return offered.map((off, t) => {
    o += off
    a += accounted[t] ?? 0
    return { t_s: t, offered: off, acked: off, accounted: accounted[t] ?? 0, rated: accounted[t] ?? 0, bills: 0, alerts: 0, dlq: 0, rated_p50_ms: null, rated_p99_ms: p99[t] ?? null, backlog: o - a, e2e_backlog: o - a, produce_failed: 0, under_replicated: null }
  })
}

const repeat = (n: number, v: number): number[] => Array.from({ length: n }, () => v)
/** One output batch per second, mid-second, while output flows. */
const arrivals = (accounted: number[]): number[] => accounted.flatMap((n, t) => (n > 0 ? [t + 0.5] : []))

describe('cadence', () => {
  it('the analysis window is the shortest in which every pre-fault window had output', () => {
    expect(outputCadenceS([10, 10, 10, 10], 10)).toBe(1)
    expect(outputCadenceS([20, 0, 20, 0, 20, 0], 10)).toBe(2)
    expect(outputCadenceS([0, 0, 0], 5)).toBe(5)
  })

  it('an output gap is a symptom once it exceeds the threshold', () => {
    // batches every 0.5 s until 10.5, then nothing until 20.5
    const a = [9.5, 10, 10.5, 20.5, 21]
    expect(firstGapSymptomS(a, 10.2, 2, 30)).toBeCloseTo(12.5)
    expect(firstGapSymptomS([9.5, 10, 10.5, 11, 11.5], 10.2, 2, 12)).toBeNull()
    // no output after the fault until the end
    expect(firstGapSymptomS([9.5, 10], 10.2, 2, 30)).toBeCloseTo(12)
  })
})

describe('analyzeRecovery', () => {
  const noP99 = (): number | null => null

  it('a 5 s outage: detect by backlog, recover and drain after the catch-up, restart time to the first output', () => {
    // 100 ev/s offered throughout; output stops at 40 s for 5 s, then the pipeline catches up at 200 ev/s
    const offered = repeat(80, 100)
    const accounted = [...repeat(40, 100), ...repeat(5, 0), ...repeat(5, 200), ...repeat(30, 100)]
    const points = timeline(offered, accounted)
    const r = analyzeRecovery(points, arrivals(accounted), { injectedAtS: 40, liftedAtS: 44, restartedAtS: 44, notBeforeS: 10, untilS: null }, noP99)
    expect(r.pre_fault).toEqual({ from_s: 10, to_s: 40, reference: 'before-fault', output_eps: 100, backlog_p95: 0, backlog_p99: 0 })
    expect(r.window_s).toBe(1)
    // the backlog is above the pre-fault p99 at the end of second 40
    expect(r.time_to_detect_s).toBe(1)
    expect(r.detected_by).toBe('backlog')
    // first of 3 windows at ≥ 95 ev/s starts at 45 s
    expect(r.time_to_recover_s).toBe(5)
    // backlog 500 at 44, drained by 200/s −100/s → 0 at the end of second 49
    expect(r.time_to_drain_s).toBe(10)
    expect(r.restart_time_s).toBeCloseTo(1.5)
  })

  it('a fault that never hurts: detect null, recover and drain 0', () => {
    const offered = repeat(60, 100)
    const points = timeline(offered, offered)
    const r = analyzeRecovery(points, arrivals(offered), { injectedAtS: 30, liftedAtS: 35, restartedAtS: null, notBeforeS: 0, untilS: null }, noP99)
    expect(r.time_to_detect_s).toBeNull()
    expect(r.time_to_recover_s).toBe(0)
    expect(r.time_to_drain_s).toBe(0)
    expect(r.restart_time_s).toBeNull()
  })

  it('output that never comes back: recover and drain null, detected by the growing backlog', () => {
    const offered = repeat(60, 100)
    const accounted = [...repeat(30, 100), ...repeat(30, 0)]
    const r = analyzeRecovery(timeline(offered, accounted), arrivals(accounted), { injectedAtS: 30, liftedAtS: 35, restartedAtS: null, notBeforeS: 0, untilS: null }, noP99)
    expect(r.time_to_detect_s).toBe(1)
    expect(r.time_to_recover_s).toBeNull()
    expect(r.time_to_drain_s).toBeNull()
  })

  it('a stalled producer: the e2e backlog grows while Kafka holds nothing, so the fault is still detected', () => {
    // the broker is paused: nothing is acknowledged and nothing comes out, but the schedule goes on
    const offered = repeat(60, 100)
    const accounted = [...repeat(30, 100), ...repeat(4, 0), 500, ...repeat(25, 100)]
    const r = analyzeRecovery(timeline(offered, accounted), arrivals(accounted), { injectedAtS: 30.2, liftedAtS: 34, restartedAtS: null, notBeforeS: 0, untilS: null }, noP99)
    expect(r.detected_by).toBe('backlog')
    expect(r.time_to_detect_s).toBeCloseTo(0.8)
    expect(r.time_to_drain_s).toBeCloseTo(4.8)
  })

  it('micro-batches every 2 s: the window widens so a normal empty second is not an outage', () => {
    const offered = repeat(80, 100)
    const pattern = (n: number): number[] => Array.from({ length: n }, (_, i) => (i % 2 === 0 ? 200 : 0))
    const accounted = [...pattern(40), ...repeat(6, 0), 600, 0, ...pattern(32)]
    const r = analyzeRecovery(timeline(offered, accounted), arrivals(accounted), { injectedAtS: 40, liftedAtS: 46, restartedAtS: null, notBeforeS: 0, untilS: null }, noP99)
    expect(r.window_s).toBe(2)
    expect(r.time_to_recover_s).toBe(6)
  })

  it('latency spike: pre-fault p99 from the merged histograms, peak and area above it', () => {
    const offered = repeat(60, 100)
    const p99 = [...repeat(30, 50), 50, 250, 450, 150, ...repeat(26, 50)]
    const r = analyzeRecovery(timeline(offered, offered, p99), arrivals(offered), { injectedAtS: 30, liftedAtS: 33, restartedAtS: null, notBeforeS: 0, untilS: null }, () => 50)
    // no backlog: the spike range runs from one window before the fault to one after its lift (29..33)
    expect(r.latency_spike).toEqual({ pre_fault_p99_ms: 50, peak_p99_ms: 450, area_above_ms_s: 700 })
  })

  it('no pre-fault window (fault in the warm-up): only the restart time', () => {
    const offered = repeat(20, 100)
    const r = analyzeRecovery(timeline(offered, offered), arrivals(offered), { injectedAtS: 5, liftedAtS: 6, restartedAtS: 6, notBeforeS: 4, untilS: null }, noP99)
    expect(r.pre_fault).toBeNull()
    expect(r.time_to_recover_s).toBeNull()
    expect(r.restart_time_s).toBeCloseTo(0.5)
  })
})
