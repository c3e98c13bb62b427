import { describe, expect, it } from 'vitest'
import { newTimelineCounters } from '../measure/timeline.ts'
import type { FaultRecord } from './faults.ts'
import { analyzeTimeline } from './timeline-report.ts'

const faultAt = (name: string, injected: number, lifted: number, kind: FaultRecord['kind'] = 'pipeline-crash'): FaultRecord => ({ name, kind, target: 'pipeline', at_s: injected, injected_at_s: injected, lifted_at_s: lifted, restarted_at_s: kind === 'pipeline-crash' ? lifted - 1 : null, recovered_after_s: null, recovery: null, availability: null, nodes: [], error: null })

describe('analyzeTimeline', () => {
  it('steady before the first fault; each fault gets its recovery and recovered_after_s', () => {
    const c = newTimelineCounters()
    const arrivals: number[] = []
    // 100 usage records/s for 120 s; output stops 40–44 and 80–84, then catches up over 5 s
    const outage = (t: number): boolean => (t >= 40 && t < 45) || (t >= 80 && t < 85)
    const catchUp = (t: number): boolean => (t >= 45 && t < 50) || (t >= 85 && t < 90)
    for (let t = 0; t < 120; t++) {
      c.offered.add(t, 100)
      c.acked.add(t, 100)
      const out = outage(t) ? 0 : catchUp(t) ? 200 : 100
      c.accounted.add(t, out)
      if (out > 0) arrivals.push(t + 0.5)
    }
    const report = analyzeTimeline({ counters: c, ratedIntervals: new Map(), arrivalsS: arrivals, lastSecond: 119, warmupS: 10, loadS: 120, offeredEps: 100, faults: [faultAt('second', 80, 84), faultAt('first', 40, 44)] })
    expect(report.points).toHaveLength(120)
    expect(report.steadyState.state).toBe('steady')
    expect(report.steadyState.to_s).toBe(40)
    const [second, first] = report.faults
    expect(first?.recovered_after_s).toBe(5)
    expect(first?.recovery?.time_to_drain_s).toBe(10)
    // restarted at 43 s, first output batch at 45.5 s
    expect(first?.recovery?.restart_time_s).toBeCloseTo(2.5)
    // the second fault's pre-fault window starts after the first one drained (50 s), not inside it
    expect(second?.recovery?.pre_fault?.from_s).toBe(50)
    expect(second?.recovered_after_s).toBe(5)
  })

  it('a fault\'s analysis stops at the next fault; when it had not recovered by then, the next is measured against the last clean window', () => {
    const c = newTimelineCounters()
    const arrivals: number[] = []
    // output stops at 40 s and only comes back at 70 s; a second fault is injected at 50 s
    for (let t = 0; t < 100; t++) {
      c.offered.add(t, 100)
      c.acked.add(t, 100)
      const out = t >= 40 && t < 70 ? 0 : t >= 70 && t < 80 ? 400 : 100
      c.accounted.add(t, out)
      if (out > 0) arrivals.push(t + 0.5)
    }
    const report = analyzeTimeline({ counters: c, ratedIntervals: new Map(), arrivalsS: arrivals, lastSecond: 99, warmupS: 10, loadS: 100, offeredEps: 100, faults: [faultAt('first', 40, 44), faultAt('second', 50, 52, 'generator-restart')] })
    const [first, second] = report.faults
    expect(first?.recovery?.until_s).toBe(50)
    expect(first?.recovery?.time_to_detect_s).toBe(1)
    expect(first?.recovered_after_s).toBeNull()
    expect(first?.recovery?.time_to_drain_s).toBeNull()
    expect(second?.recovery?.pre_fault).toMatchObject({ from_s: 10, to_s: 40, reference: 'earlier-window', output_eps: 100 })
    // the output is still down when the second fault comes: the gap is a symptom at once; back at 70 s (20 s after it)
    expect(second?.recovery?.time_to_detect_s).toBe(0)
    expect(second?.recovery?.detected_by).toBe('output-gap')
    expect(second?.recovered_after_s).toBe(20)
  })

  it('assesses the steady state only up to an unplanned death: a dead pipeline\'s growing lag is not "does not keep up"', () => {
    const c = newTimelineCounters()
    // Steady for 40 s, then the driver dies: no more output while the load goes on to 90 s.
    for (let t = 0; t < 90; t++) {
      c.offered.add(t, 100)
      c.acked.add(t, 100)
      c.accounted.add(t, t < 40 ? 100 : 0)
    }
    const input = { counters: c, ratedIntervals: new Map(), arrivalsS: [], lastSecond: 89, warmupS: 10, loadS: 90, offeredEps: 100, faults: [] }
    expect(analyzeTimeline(input).steadyState.state).toBe('never-settled')
    const report = analyzeTimeline({ ...input, deathsAtS: [40.3] })
    expect(report.steadyState).toMatchObject({ state: 'steady', to_s: 40 })
  })
})
