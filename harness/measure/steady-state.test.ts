import { describe, expect, it } from 'vitest'
import { assessSteadyState } from './steady-state.ts'

describe('assessSteadyState', () => {
  const offered = 1000 // threshold 10 ev/s
  const series = (n: number, f: (t: number) => number): number[] => Array.from({ length: n }, (_, t) => f(t))

  it('a flat lag after the warm-up is steady', () => {
    const s = assessSteadyState(series(60, () => 500), 10, 60, offered)
    expect(s.state).toBe('steady')
    expect(s.settled_at_s).toBe(10)
    expect(s.threshold_eps).toBe(10)
  })

  it('a micro-batch sawtooth is steady', () => {
    const s = assessSteadyState(series(40, (t) => (t % 2 === 0 ? 1000 : 100)), 10, 40, offered)
    expect(s.state).toBe('steady')
  })

  it('a lag that grows by 5% of the offered rate never settles', () => {
    const s = assessSteadyState(series(60, (t) => 50 * t), 10, 60, offered)
    expect(s.state).toBe('never-settled')
    expect(s.lag_trend_eps).toBeCloseTo(50)
    expect(s.reason).toContain('does not keep up')
  })

  it('a lag still draining a start-up backlog passes (the reference rule) and the reason says so', () => {
    // 3000 events of start-up backlog drain at 200 ev/s until 25 s, then flat
    const s = assessSteadyState(series(60, (t) => Math.max(100, 3000 - 200 * (t - 10))), 10, 60, offered)
    expect(s.state).toBe('steady')
    expect(s.lag_trend_eps).toBeLessThan(-10)
    expect(s.reason).toContain('drain of a start-up backlog')
  })

  it('a lag that grows after the warm-up and stops later settles late, and says how long the warm-up should be', () => {
    // state builds up: the lag grows 200 ev/s until 25 s, then stays flat
    const s = assessSteadyState(series(60, (t) => Math.min(3000, 100 + 200 * Math.max(0, t - 10))), 10, 60, offered)
    expect(s.state).toBe('settled-late')
    // the trend from there on does not grow beyond 2 standard errors (the tail of the growth is inside the noise)
    expect(s.settled_at_s).toBeGreaterThan(10)
    expect(s.settled_at_s).toBeLessThanOrEqual(25)
    expect(s.reason).toContain('measurement.warmup')
  })

  it('a segment shorter than 10 s is not assessed', () => {
    const s = assessSteadyState(series(60, () => 0), 10, 15, offered)
    expect(s.state).toBe('not-assessed')
  })

  it('the segment stops at the first fault', () => {
    // flat until the fault at 40 s, then growing: still steady, the fault is not held against the pipeline
    const s = assessSteadyState(series(80, (t) => (t < 40 ? 200 : 200 + 100 * (t - 40))), 10, 40, offered)
    expect(s.state).toBe('steady')
    expect(s.to_s).toBe(40)
  })
})
