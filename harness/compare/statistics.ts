import { blockBootstrapDifference, seriesBlockLength, type BootstrapInterval } from './block-bootstrap.ts'
import { mannWhitneyU } from './rank-test.ts'
import type { ComparedRun, MetricDefinition, WindowSource } from './types.ts'
import { latencySeries, rateSeries, type WindowedSeries } from './windows.ts'

/** How a statistical metric is tested. */
export interface StatisticsOptions {
  /** Confidence level; a difference is significant when the test rejects "no difference" at 1 − confidence. */
  confidence: number
  /** Bootstrap resamples. */
  resamples: number
  /** Seed of the bootstrap's random source, so every comparison of the same folders gives the same result. */
  seed: number
  /** Windows (seconds) per bootstrap block; chosen from the data when not given. */
  blockLength?: number
}

/** 95 %: the usual level for calling a difference real. */
export const defaultConfidence = 0.95
/**
 * 2,000 resamples put 50 draws in each 2.5 % tail of a 95 % percentile interval, the count Efron & Tibshirani
 * (1993, §19.3) give for stable interval ends. Comparing two ten-minute runs (seven latency streams, 250 values a
 * second) took 4.2 s in all on the shared 2-core machine, two one-hour runs 22 s.
 */
export const defaultResamples = 2000
export const defaultSeed = 1

/**
 * Below this many per-second windows a side is not bootstrapped: its resamples would be few distinct series, and
 * the interval would say more about the resampling than about the run.
 */
export const minimumWindows = 10

/** What the test of one metric found. */
export type TestOutcome =
  | { test: 'mann-whitney-u'; significant: boolean; pValue: number; smallestPValue: number; method: 'exact' | 'normal'; runs: { baseline: number; candidate: number } }
  | { test: 'block-bootstrap'; significant: boolean; interval: BootstrapInterval }
  | { test: 'exact' }
  | { test: 'none'; reason: string }

/** One metric's value in every run of a side (null where a run did not measure it). */
export interface SideRuns {
  runs: readonly ComparedRun[]
  values: readonly (number | null)[]
}

/** A metric measured on both sides, to be tested. */
export interface MetricSides {
  metric: MetricDefinition
  baseline: SideRuns
  candidate: SideRuns
}

const measured = (values: readonly (number | null)[]): number[] => values.filter((v): v is number => v !== null)

function rankTest(baseline: SideRuns, candidate: SideRuns, alpha: number): TestOutcome {
  const x = measured(baseline.values)
  const y = measured(candidate.values)
  const r = mannWhitneyU(x, y)
  return { test: 'mann-whitney-u', significant: r.pValue < alpha, pValue: r.pValue, smallestPValue: r.smallestPValue, method: r.method, runs: { baseline: x.length, candidate: y.length } }
}

/** The metrics that share one series of windows (a stream's percentiles) are bootstrapped together, from the same resamples. */
const seriesKey = (w: WindowSource): string => (w.kind === 'latency' ? `latency:${w.stream}` : `rate:${w.field}`)

function seriesOf(run: ComparedRun, source: WindowSource, percentiles: readonly number[]): WindowedSeries | { why: string } {
  return source.kind === 'latency' ? latencySeries(run, source.stream, percentiles) : rateSeries(run, source.field)
}

/** Bootstraps one series of windows of the two runs, giving each statistic's outcome in order. */
function bootstrapGroup(base: ComparedRun, cand: ComparedRun, source: WindowSource, percentiles: readonly number[], o: StatisticsOptions): TestOutcome[] {
  const untested = (reason: string): TestOutcome[] => percentiles.map(() => ({ test: 'none', reason }))
  const baseSeries = seriesOf(base, source, percentiles)
  const candSeries = seriesOf(cand, source, percentiles)
  if ('why' in baseSeries) return untested(`baseline: ${baseSeries.why}`)
  if ('why' in candSeries) return untested(`candidate: ${candSeries.why}`)
  const blockLength = o.blockLength ?? Math.max(seriesBlockLength(baseSeries), seriesBlockLength(candSeries))
  const needed = Math.max(minimumWindows, 2 * blockLength)
  if (baseSeries.length < needed || candSeries.length < needed) {
    return untested(`too few per-second windows to bootstrap (${baseSeries.length} baseline, ${candSeries.length} candidate; ${needed} needed for blocks of ${blockLength})`)
  }
  return blockBootstrapDifference(baseSeries, candSeries, { confidence: o.confidence, resamples: o.resamples, seed: o.seed, blockLength }).map((interval) => ({ test: 'block-bootstrap', significant: interval.low > 0 || interval.high < 0, interval }))
}

/**
 * Tests metrics measured on both sides, in their order. Exact metrics are not tested (any worsening counts). With
 * two or more runs on a side, a statistical metric's per-run values go into a two-sided Mann–Whitney U test. With
 * one run a side, the runs' per-second windows are resampled in blocks (docs/ci.md "Statistics"), which needs a
 * per-second series and enough seconds; the percentiles of one stream share their resamples.
 */
export function testMetrics(list: readonly MetricSides[], o: StatisticsOptions): TestOutcome[] {
  const alpha = 1 - o.confidence
  const outcomes: (TestOutcome | null)[] = list.map(({ metric, baseline, candidate }) => {
    if (metric.class === 'exact') return { test: 'exact' }
    if (baseline.runs.length > 1 || candidate.runs.length > 1) return rankTest(baseline, candidate, alpha)
    if (metric.windows === null) return { test: 'none', reason: 'one run a side and no per-second series: repeat the runs to test it' }
    return null
  })
  const groups = new Map<string, number[]>()
  list.forEach(({ metric }, i) => {
    if (outcomes[i] !== null || metric.windows === null) return
    const key = seriesKey(metric.windows)
    groups.set(key, [...(groups.get(key) ?? []), i])
  })
  for (const members of groups.values()) {
    const first = list[members[0] ?? 0]
    const [base] = first?.baseline.runs ?? []
    const [cand] = first?.candidate.runs ?? []
    const source = first?.metric.windows
    if (base === undefined || cand === undefined || source === undefined || source === null) continue
    const percentiles = members.map((i) => {
      const w = list[i]?.metric.windows
      return w?.kind === 'latency' ? w.percentile : 0
    })
    bootstrapGroup(base, cand, source, percentiles, o).forEach((outcome, k) => {
      outcomes[members[k] ?? 0] = outcome
    })
  }
  return outcomes.map((outcome) => outcome ?? { test: 'none', reason: 'no per-second series' })
}
