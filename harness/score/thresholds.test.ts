import { describe, expect, it } from 'vitest'
import { newHistogram } from '../measure/histograms.ts'
import { parseThreshold } from '../../generators/index.ts'
import { compare, observe, observeWindows, windowStarts } from './thresholds.ts'
import { expr, fastUs, slowUs } from './test-thresholds.ts'
import type { Histogram } from 'hdr-histogram-js'

describe('k6 threshold grammar', () => {
  it('parses percentiles, aggregations and every operator', () => {
    expect(parseThreshold('p(99)<2000')).toMatchObject({ aggregation: { kind: 'percentile', p: 99 }, operator: '<', value: 2000 })
    expect(parseThreshold('p(99.9) <= 50')).toMatchObject({ aggregation: { kind: 'percentile', p: 99.9 }, operator: '<=' })
    expect(parseThreshold('count==0')).toMatchObject({ aggregation: { kind: 'count' }, operator: '==', value: 0 })
    expect(parseThreshold('max<0.0001')).toMatchObject({ aggregation: { kind: 'max' }, value: 0.0001 })
  })

  it('names the side that failed to parse', () => {
    expect(parseThreshold('p99<2000')).toMatchObject({ error: expect.stringContaining('left hand side') as unknown })
    expect(parseThreshold('p(99)<abc')).toMatchObject({ error: expect.stringContaining('right hand side') as unknown })
    expect(parseThreshold('p(99) 2000')).toMatchObject({ error: expect.stringContaining('operator') as unknown })
  })

  it('reads trend metrics in ms and scalars as they are', () => {
    const h = newHistogram()
    for (let i = 1; i <= 100; i++) h.recordValue(i * 1000)
    const p99 = parseThreshold('p(99)<2000')
    if ('error' in p99) throw new Error(p99.error)
    expect(observe(p99, { kind: 'trend', histogram: h })).toBeCloseTo(99, 0)
    const count = parseThreshold('count==0')
    if ('error' in count) throw new Error(count.error)
    expect(observe(count, { kind: 'scalar', value: 3 })).toBe(3)
    expect(compare(3, '==', 0)).toBe(false)
  })
})


/** Per-second histograms: `count` values of `fastUs` in each second of [fromS, toS), plus `extra` values at chosen seconds. */
function seconds(fromS: number, toS: number, count: number, extra: Record<number, { us: number; count: number }> = {}): Map<number, Histogram> {
  const intervals = new Map<number, Histogram>()
  for (let t = fromS; t < toS; t++) {
    const h = newHistogram()
    h.recordValueWithCount(fastUs, count)
    const add = extra[t]
    if (add !== undefined) h.recordValueWithCount(add.us, add.count)
    intervals.set(t, h)
  }
  return intervals
}

describe('windowed thresholds', () => {
  it('tile the whole seconds of the load after the warm-up with full windows only', () => {
    expect(windowStarts(10, 72, 10)).toEqual([10, 20, 30, 40, 50, 60])
    expect(windowStarts(10.5, 40, 10)).toEqual([11, 21])
    expect(windowStarts(5, 14.9, 10)).toEqual([])
    expect(windowStarts(0, 3, 1)).toEqual([0, 1, 2])
  })

  it('fail on a collapse in the last window although the whole-run p99 passes', () => {
    // 62 s of 1,000 fast values a second; second 65 adds 200 slow ones: 1.96 % of its window, 0.32 % of the run.
    const intervals = seconds(10, 72, 1000, { 65: { us: slowUs, count: 200 } })
    const whole = newHistogram()
    for (const h of intervals.values()) whole.add(h)
    const p99 = expr('p(99)<5000')
    expect(observe(p99, { kind: 'trend', histogram: whole })).toBe(1048.575)
    expect(observeWindows(p99, intervals, 10, 10, 72)).toEqual({ observed: 8388.607, window: { from_s: 60, to_s: 70 }, passed: false })
    // The same run passes when every window holds.
    expect(observeWindows(p99, seconds(10, 72, 1000), 10, 10, 72)).toEqual({ observed: 1048.575, window: { from_s: 10, to_s: 20 }, passed: true })
  })

  it('merge the seconds of a window: a slow second inside a window of fast ones moves p99 only by its share', () => {
    // Second 25 is slow throughout (100 values), its window [20, 30) holds 900 fast ones besides: 10 % slow.
    const intervals = seconds(10, 40, 100)
    const slowSecond = newHistogram()
    slowSecond.recordValueWithCount(slowUs, 100)
    intervals.set(25, slowSecond)
    expect(observeWindows(expr('p(99)<5000'), intervals, 10, 10, 40)).toEqual({ observed: 8388.607, window: { from_s: 20, to_s: 30 }, passed: false })
    expect(observeWindows(expr('p(50)<5000'), intervals, 10, 10, 40)).toEqual({ observed: 1048.575, window: { from_s: 10, to_s: 20 }, passed: true })
  })

  it('report the window with the least room whichever way the operator points', () => {
    // count>=950: the window with the fewest values is the worst; second 33 has 500 fewer.
    const intervals = seconds(10, 40, 100)
    const thin = newHistogram()
    thin.recordValueWithCount(fastUs, 50)
    intervals.set(33, thin)
    expect(observeWindows(expr('count>=950'), intervals, 10, 10, 40)).toEqual({ observed: 950, window: { from_s: 30, to_s: 40 }, passed: true })
    expect(observeWindows(expr('count>950'), intervals, 10, 10, 40)).toEqual({ observed: 950, window: { from_s: 30, to_s: 40 }, passed: false })
    expect(observeWindows(expr('count==1000'), intervals, 10, 10, 40)).toEqual({ observed: 950, window: { from_s: 30, to_s: 40 }, passed: false })
  })

  it('skip windows without values and fail when no window has one', () => {
    const intervals = seconds(20, 30, 10)
    expect(observeWindows(expr('max<2000'), intervals, 10, 10, 40)).toEqual({ observed: 1048.575, window: { from_s: 20, to_s: 30 }, passed: true })
    expect(observeWindows(expr('max<2000'), new Map(), 10, 10, 40)).toEqual({ observed: null, window: null, passed: false })
    // Values only in the warm-up or after the load are in no window.
    expect(observeWindows(expr('max<2000'), seconds(0, 10, 10), 5, 10, 40)).toEqual({ observed: null, window: null, passed: false })
  })
})
