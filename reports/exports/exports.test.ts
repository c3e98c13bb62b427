import { HistogramLogReader, listTags } from 'hdr-histogram-js'
import type { Histogram } from 'hdr-histogram-js'
import { describe, expect, it } from 'vitest'
import { roundToCarriedPrecision } from '../../harness/results/index.ts'
import { fixtureRun } from '../test-fixture.ts'
import { timelineCsv } from './csv.ts'
import { afterWarmupTag, hlogOf, warmupTag } from './hlog.ts'

/** results.json's p99: HdrHistogram's value at 99 % in ms, never above the exact max, to the 6 digits results.json carries. */
const p99Ms = (h: Histogram): unknown => roundToCarriedPrecision(Math.min(Math.round(h.maxValue) / 1000, Math.round(h.getValueAtPercentile(99)) / 1000))

describe('the .hlog export', () => {
  const run = fixtureRun()

  it.each(['rated', 'bills', 'produce_response'])('of %s reads back with HdrHistogram\'s log reader and gives results.json\'s p99', (stream) => {
    const histograms = run.histograms[stream]
    if (histograms === undefined) throw new Error(`fixture without ${stream}`)
    const log = hlogOf(histograms, run.results.run_id, run.results.latency_warmup.warmup_s)
    expect(listTags(log).sort()).toEqual([afterWarmupTag, warmupTag, 'NO TAG'].sort())
    const reader = new HistogramLogReader(log)
    const intervals: Histogram[] = []
    let afterWarmup: Histogram | null = null
    let warmup: Histogram | null = null
    for (let h = reader.nextIntervalHistogram(); h !== null; h = reader.nextIntervalHistogram()) {
      if (h.tag === afterWarmupTag) afterWarmup = h
      else if (h.tag === warmupTag) warmup = h
      else intervals.push(h)
    }
    expect(intervals).toHaveLength(histograms.intervals.length)
    if (afterWarmup === null || warmup === null) throw new Error('the tagged lines are missing')
    expect(p99Ms(afterWarmup)).toBe(run.results.latency[stream]?.p99)
    expect(afterWarmup.totalCount).toBe(run.results.latency[stream]?.count)
    // The per-second lines hold every value, the warm-up's too.
    expect(intervals.reduce((n, h) => n + h.totalCount, 0)).toBe(afterWarmup.totalCount + warmup.totalCount)
  })
})

describe('timeline.csv', () => {
  it('has a row per second with the counters and each process\'s CPU and memory', () => {
    const run = fixtureRun()
    const timeline = run.timeline
    if (timeline === null) throw new Error('fixture without a timeline')
    const rows = timelineCsv(timeline).trimEnd().split('\n')
    expect(rows[0]).toBe('t_s,offered,acked,accounted,rated,bills,alerts,dlq,rated_p50_ms,rated_p99_ms,backlog,e2e_backlog,produce_failed,under_replicated,cpu_cores_broker,rss_bytes_broker,cpu_cores_harness,rss_bytes_harness,cpu_cores_spark,rss_bytes_spark')
    expect(rows).toHaveLength(timeline.points.length + 1)
    const first = timeline.points[0]
    expect(rows[1]?.startsWith(`0,${first?.offered},${first?.acked},`)).toBe(true)
    expect(rows.slice(1).every((row) => row.split(',').length === 20)).toBe(true)
  })
})
