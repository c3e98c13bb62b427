import { describe, expect, it } from 'vitest'
import { decodeHistogram, drainRecorder, encodeHistogram, LatencyRecorder, mergeHistograms, mergeRecorderPart, newHistogram, summarize } from './histograms.ts'

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

  it('merges drained parts of several recorders into the recorder that saw every value', () => {
    const originNs = 1_000_000_000n
    const warmupNs = 2_000_000_000n
    const all = new LatencyRecorder('schedule_delay', originNs, warmupNs)
    const merged = new LatencyRecorder('schedule_delay', originNs, warmupNs)
    const workers = [new LatencyRecorder('schedule_delay', originNs, warmupNs), new LatencyRecorder('schedule_delay', originNs, warmupNs)]
    for (let i = 0; i < 5000; i++) {
      const atNs = originNs + BigInt(i) * 1_000_000n
      const valueNs = ((i * 7919) % 50_000) * 1000 + 1000
      all.record(valueNs, atNs)
      workers[i % 2]?.record(valueNs, atNs)
      // Parts leave at odd moments, across interval boundaries, and through structured clone like a postMessage.
      if (i % 997 === 0) for (const w of workers) mergeRecorderPart(merged, structuredClone(drainRecorder(w)))
    }
    for (const w of workers) mergeRecorderPart(merged, structuredClone(drainRecorder(w)))
    expect(merged.whole.totalCount).toBe(all.whole.totalCount)
    expect(merged.warmup.totalCount).toBe(all.warmup.totalCount)
    expect(all.warmup.totalCount).toBeGreaterThan(0)
    // The encoding carries bucket counts, not the exact largest value: a merged max is its bucket's top (3 digits).
    const { max: mergedMax, ...mergedRest } = merged.summary() ?? { max: NaN }
    const { max: allMax, ...allRest } = all.summary() ?? { max: NaN }
    expect(mergedRest).toEqual(allRest)
    expect(Math.abs(mergedMax / allMax - 1)).toBeLessThan(1e-3)
    expect([...merged.intervals.keys()].sort()).toEqual([...all.intervals.keys()].sort())
    for (const [second, h] of all.intervals) expect(merged.intervals.get(second)?.getValueAtPercentile(99)).toBe(h.getValueAtPercentile(99))
    for (const w of workers) expect(drainRecorder(w)).toEqual({ whole: null, warmup: null, intervals: [] })
  })
})
