import * as hdr from 'hdr-histogram-js'
import { describe, expect, it } from 'vitest'
import { fixtureRun } from './test-runs.ts'
import { latencySeries, rateSeries, type Blocks, type WindowedSeries } from './windows.ts'

function series(s: WindowedSeries | { why: string }): WindowedSeries {
  if ('why' in s) throw new Error(s.why)
  return s
}

const blocks = (pairs: [number, number][]): Blocks => ({ starts: Int32Array.from(pairs.map(([s]) => s)), lengths: Int32Array.from(pairs.map(([, l]) => l)), count: pairs.length })

describe('per-second windows', () => {
  const run = fixtureRun()
  const intervals = (run.histograms['schedule_delay']?.intervals ?? []).filter((i) => i.t_s >= 15).sort((a, b) => a.t_s - b.t_s)

  /** The percentile HdrHistogram itself gives for the windows at these positions, merged (a window may repeat). */
  function merged(positions: number[], percentile: number): number {
    const h = hdr.build({ bitBucketSize: 64, autoResize: true, numberOfSignificantValueDigits: 3, useWebAssembly: false })
    for (const p of positions) {
      const window = intervals[p]
      if (window !== undefined) h.add(window.histogram)
    }
    return h.getValueAtPercentile(percentile) / 1000
  }

  it('hold the seconds of a latency stream after the warm-up, seconds without values left out', () => {
    expect(series(latencySeries(run, 'schedule_delay', [99])).length).toBe(16)
    expect(series(latencySeries(run, 'rated', [99])).length).toBe(9)
    expect(latencySeries(run, 'dlq', [99])).toEqual({ why: 'no dlq values after the warm-up' })
  })

  it('give the percentiles of the merged histograms of any blocks of windows, as HdrHistogram merges them', () => {
    const delay = series(latencySeries(run, 'schedule_delay', [50, 95, 99, 99.9]))
    const all = Array.from({ length: 16 }, (_, i) => i)
    expect(delay.statistics(blocks([[0, 16]]))).toEqual([50, 95, 99, 99.9].map((p) => merged(all, p)))
    // Two blocks that overlap: windows 3, 4, 5, 4, 5, 6.
    expect(delay.statistics(blocks([[3, 3], [4, 3]]))).toEqual([50, 95, 99, 99.9].map((p) => merged([3, 4, 5, 4, 5, 6], p)))
    expect(delay.perWindow[2]?.[7]).toBe(merged([7], 99))
  })

  it('hold each second of the load after the warm-up for a rate, whose statistic is the mean', () => {
    const acked = series(rateSeries(run, 'acked'))
    const points = (run.timeline?.points ?? []).filter((p) => p.t_s >= 15 && p.t_s < 30).map((p) => p.acked)
    expect(acked.perWindow).toEqual([points])
    expect(acked.statistics(blocks([[0, 15]]))).toEqual([points.reduce((s, v) => s + v, 0) / 15])
    expect(acked.statistics(blocks([[2, 2], [2, 2]]))).toEqual([((points[2] ?? 0) + (points[3] ?? 0)) / 2])
    expect(rateSeries({ ...run, timeline: null }, 'acked')).toEqual({ why: 'the run wrote no timeline.json' })
  })
})
