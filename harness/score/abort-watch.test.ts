import type { Histogram } from 'hdr-histogram-js'
import { describe, expect, it } from 'vitest'
import { newHistogram } from '../measure/histograms.ts'
import { AbortWatch, type AbortThreshold } from './abort-watch.ts'
import { expr, fastUs, slowUs } from './test-thresholds.ts'

/** 100 values a second from 0 to `toS`, fast until `slowFromS`, slow from then on. */
function arriving(toS: number, slowFromS: number): Map<number, Histogram> {
  const intervals = new Map<number, Histogram>()
  for (let t = 0; t < toS; t++) {
    const h = newHistogram()
    h.recordValueWithCount(t >= slowFromS ? slowUs : fastUs, 100)
    intervals.set(t, h)
  }
  return intervals
}

const threshold = (source: string, intervals: Map<number, Histogram>, windowS: number | null = null, delayS = 0): AbortThreshold => ({ metric: 'pipeline_e2e_latency_ms', expr: expr(source), windowS, delayS, intervals })

describe('abortOnFail thresholds checked as the load runs', () => {
  it('fail once the seconds after the warm-up merged so far break the bound, counting only complete seconds', () => {
    // Slow from second 20: after the 10 s warm-up, p99 over [10, t) turns slow once more than 1 % of it is slow.
    const watch = new AbortWatch([threshold('p(99)<5000', arriving(40, 20))], 10)
    for (const now of [5, 12.5, 20.9]) expect(watch.check(now)).toBeNull()
    // At 21.2 s second 20 is complete: 100 of 1,100 values slow.
    expect(watch.check(21.2)).toEqual({ metric: 'pipeline_e2e_latency_ms', expr: 'p(99)<5000', windowS: null, observed: 8388.607, atS: 21.2, fromS: 10, toS: 21 })
  })

  it('wait for delayAbortEval before the first check, whatever the data says', () => {
    const watch = new AbortWatch([threshold('p(99)<5000', arriving(40, 0), null, 15)], 10)
    expect(watch.check(12)).toBeNull()
    expect(watch.check(14.9)).toBeNull()
    expect(watch.check(15)).toMatchObject({ observed: 8388.607, atS: 15, fromS: 10, toS: 15 })
  })

  it('check a windowed one on each window as it completes, and name the window', () => {
    // Slow from 34 s: the window [30, 40) is 60 % slow; [20, 30) is fast.
    const watch = new AbortWatch([threshold('p(99)<5000', arriving(50, 34), 10)], 10)
    expect(watch.check(30.5)).toBeNull()
    expect(watch.check(39.99)).toBeNull()
    expect(watch.check(40.01)).toEqual({ metric: 'pipeline_e2e_latency_ms', expr: 'p(99)<5000', windowS: 10, observed: 8388.607, atS: 40.01, fromS: 30, toS: 40 })
  })

  it('report the first failing threshold in the scenario order, and nothing while every one holds', () => {
    const intervals = arriving(30, 100)
    const watch = new AbortWatch([threshold('p(99)<5000', intervals), threshold('p(50)<1000', intervals), threshold('max<100', intervals)], 10)
    expect(watch.check(10.5)).toBeNull()
    expect(watch.check(11.5)).toMatchObject({ expr: 'p(50)<1000', observed: 1048.575 })
    const holding = new AbortWatch([threshold('p(99)<5000', intervals)], 10)
    expect(holding.check(29)).toBeNull()
  })
})
