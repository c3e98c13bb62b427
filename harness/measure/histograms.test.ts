import { describe, expect, it } from 'vitest'
import { decodeHistogram, encodeHistogram, LatencyRecorder, mergeHistograms, newHistogram, summarize } from './histograms.ts'

describe('latency histograms', () => {
  it('reports percentiles in ms from µs recordings', () => {
    const recorder = new LatencyRecorder('rated', 0n)
    for (let i = 1; i <= 1000; i++) recorder.record(i * 1_000_000, BigInt(i) * 1_000_000n)
    const s = recorder.summary()
    if (s === null) throw new Error('a stream with values summarises')
    expect(s.count).toBe(1000)
    expect(s.p50).toBeCloseTo(500, -1)
    expect(s.p99).toBeCloseTo(990, -1)
    expect(s.max).toBeCloseTo(1000, -1)
    expect([...recorder.intervals.keys()]).toEqual([0, 1])
  })

  it('keeps values above the trackable range instead of clamping them', () => {
    const h = newHistogram()
    h.recordValue(120_000_000)
    expect(summarize(h)?.max).toBeGreaterThanOrEqual(119_000)
  })

  it('summarises an empty stream as null, and never reports a percentile above the exact max', () => {
    expect(summarize(newHistogram())).toBeNull()
    const h = newHistogram()
    for (let i = 0; i < 10; i++) h.recordValue(123_456)
    const s = summarize(h)
    expect(s?.max).toBe(123.456)
    expect(s?.p50).toBeLessThanOrEqual(s?.max ?? 0)
    expect(s?.p999).toBeLessThanOrEqual(s?.max ?? 0)
  })

  it('merges histograms and round-trips the compressed encoding', () => {
    const a = newHistogram()
    const b = newHistogram()
    a.recordValue(1000)
    b.recordValue(3000)
    const merged = mergeHistograms([a, b])
    expect(merged.totalCount).toBe(2)
    const decoded = decodeHistogram(encodeHistogram(merged))
    expect(decoded.totalCount).toBe(2)
    expect(decoded.maxValue).toBeGreaterThanOrEqual(2990)
  })
})
