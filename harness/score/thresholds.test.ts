import { describe, expect, it } from 'vitest'
import { newHistogram } from '../measure/histograms.ts'
import { parseThreshold } from '../../generators/index.ts'
import { compare, observe } from './thresholds.ts'

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
