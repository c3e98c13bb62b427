import { percentile } from '../stats/index.ts'
import { differences, type Difference } from './comparable.ts'
import { rulesByMetric, type GateRule } from './gates.ts'
import { runMetrics } from './metrics.ts'
import { testMetrics, type MetricSides, type StatisticsOptions, type TestOutcome } from './statistics.ts'
import type { MetricDefinition, MetricValue, Side, SkippedRun } from './types.ts'
import { decide, worsening, type Verdict } from './verdict.ts'

/** One side's value of a metric: the figure compared, and each run's own. */
export interface SideValue {
  /**
   * One run: its value. Several: the median run's for a statistical metric (nearest rank, so with an even count the
   * lower middle run's: a percentile is never averaged), the worst run's for an exact one.
   */
  value: number | null
  runs: (number | null)[]
}

/** A metric set against itself across the two sides. */
export interface MetricComparison {
  metric: MetricDefinition
  baseline: SideValue
  candidate: SideValue
  /** candidate − baseline, and that as a fraction of |baseline| (null when the baseline is 0); null when a side has no value. */
  change: { absolute: number; relative: number | null } | null
  /** Null when a side did not measure the metric. */
  test: TestOutcome | null
  /** The rule that decided the verdict (the one exceeded, else the first that applies). */
  rule: GateRule | null
  verdict: Verdict
  /** Why there is no verdict (`not-measured`, `untested`). */
  note: string | null
}

export interface CompareOptions extends StatisticsOptions {
  /** `--fail-on` rules, parsed. */
  rules: readonly GateRule[]
  /** Compare even when the runs' settings differ; each output then carries the differences as a warning. */
  allowMismatch: boolean
}

export interface SideSummary {
  /** Each run with the stream processor it tested (manifest `engine.kind`): compare sets Spark against Flink too. */
  runs: { dir: string; run_id: string; engine: string }[]
  skipped: SkippedRun[]
}

/** What `telcobench compare` found: either the settings that keep the sides apart, or every metric's verdict. */
export type Comparison =
  | { state: 'not-comparable'; baseline: SideSummary; candidate: SideSummary; differences: Difference[] }
  | {
      state: 'compared'
      baseline: SideSummary
      candidate: SideSummary
      /** `pair`: one run a side (block bootstrap); `sets`: several on a side (Mann–Whitney U). */
      mode: 'pair' | 'sets'
      options: { confidence: number; resamples: number; seed: number; blockLength: number | null }
      /** Differences compared anyway (`--allow-mismatch`); every output warns about them. */
      mismatches: Difference[]
      metrics: MetricComparison[]
      regressions: MetricComparison[]
    }

function sideValue(metric: MetricDefinition, values: (number | null)[]): number | null {
  const known = values.filter((v): v is number => v !== null)
  if (known.length === 0) return null
  if (metric.class === 'statistical') return percentile(known, 50)
  // The worst run: one bad candidate run fails the gate, and a baseline that already had it does not blame the candidate.
  return known.reduce((worst, v) => (worsening(metric, worst, v) > 0 ? v : worst))
}

function summary(side: Side): SideSummary {
  return { runs: side.runs.map((r) => ({ dir: r.dir, run_id: r.results.run_id, engine: r.manifest.engine.kind })), skipped: side.skipped }
}

/** Metric names in the order the first run that has each gives them, with every run's value (null where it has none). */
function valuesByMetric(sides: readonly Side[]): Map<string, { definition: MetricDefinition; perSide: (number | null)[][] }> {
  const table = new Map<string, { definition: MetricDefinition; perSide: (number | null)[][] }>()
  sides.forEach((side, s) => {
    side.runs.forEach((run, r) => {
      for (const m of runMetrics(run.results)) {
        const { value, ...definition }: MetricValue = m
        let entry = table.get(m.name)
        if (entry === undefined) {
          entry = { definition, perSide: sides.map((other) => other.runs.map(() => null)) }
          table.set(m.name, entry)
        }
        const row = entry.perSide[s]
        if (row !== undefined) row[r] = value
      }
    })
  })
  return table
}

/** Compares a candidate side with a baseline side: comparability first, then every metric (docs/ci.md). */
export function compareSides(baseline: Side, candidate: Side, o: CompareOptions): Comparison {
  const found = differences(baseline, candidate)
  if (found.length > 0 && !o.allowMismatch) return { state: 'not-comparable', baseline: summary(baseline), candidate: summary(candidate), differences: found }
  const table = valuesByMetric([baseline, candidate])
  const definitions = [...table.values()].map((e) => e.definition)
  const rules = rulesByMetric(o.rules, definitions)
  const measuredBoth: (MetricSides & { base: number; cand: number })[] = []
  const notMeasured: MetricComparison[] = []
  for (const { definition: metric, perSide } of table.values()) {
    const [baseRuns = [], candRuns = []] = perSide
    const base = sideValue(metric, baseRuns)
    const cand = sideValue(metric, candRuns)
    if (base !== null && cand !== null) measuredBoth.push({ metric, baseline: { runs: baseline.runs, values: baseRuns }, candidate: { runs: candidate.runs, values: candRuns }, base, cand })
    else if (base !== null || cand !== null) {
      notMeasured.push({ metric, baseline: { value: base, runs: baseRuns }, candidate: { value: cand, runs: candRuns }, change: null, test: null, rule: rules.get(metric.name)?.[0] ?? null, verdict: 'not-measured', note: `not measured on the ${base === null ? 'baseline' : 'candidate'}` })
    }
  }
  const tests = testMetrics(measuredBoth, o)
  const tested = measuredBoth.map(({ metric, baseline: b, candidate: c, base, cand }, i): MetricComparison => {
    const test = tests[i] ?? { test: 'none', reason: 'not tested' }
    const { verdict, rule } = decide(metric, base, cand, test, rules.get(metric.name) ?? [])
    return { metric, baseline: { value: base, runs: [...b.values] }, candidate: { value: cand, runs: [...c.values] }, change: { absolute: cand - base, relative: base === 0 ? null : (cand - base) / Math.abs(base) }, test, rule, verdict, note: test.test === 'none' ? test.reason : null }
  })
  // In the order the runs give the metrics.
  const order = new Map([...table.keys()].map((name, i) => [name, i]))
  const metrics = [...tested, ...notMeasured].sort((a, b) => (order.get(a.metric.name) ?? 0) - (order.get(b.metric.name) ?? 0))
  return {
    state: 'compared',
    baseline: summary(baseline),
    candidate: summary(candidate),
    mode: baseline.runs.length > 1 || candidate.runs.length > 1 ? 'sets' : 'pair',
    options: { confidence: o.confidence, resamples: o.resamples, seed: o.seed, blockLength: o.blockLength ?? null },
    mismatches: found,
    metrics,
    regressions: metrics.filter((m) => m.verdict === 'regressed'),
  }
}
