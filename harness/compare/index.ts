/**
 * The compare module: a candidate run (or set of runs) against a baseline, metric by metric, with a statistical
 * test where runs vary and exact checks where they must not, and gate rules that decide what is a regression
 * (docs/ci.md). Reads runs only through harness/results.
 */
export { compareSides, type Comparison, type CompareOptions, type MetricComparison, type SideSummary, type SideValue } from './compare.ts'
export { readSide } from './sides.ts'
export { runMetrics } from './metrics.ts'
export { parseGateRule, toleranceText, defaultStatisticalTolerance, type GateRule } from './gates.ts'
export { defaultConfidence, defaultResamples, defaultSeed, minimumWindows, type TestOutcome } from './statistics.ts'
export type { Difference } from './comparable.ts'
export type { Verdict } from './verdict.ts'
export type { Direction, MetricClass, MetricDefinition, MetricUnit } from './types.ts'
