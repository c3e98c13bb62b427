import type { Comparison, MetricComparison } from '../../harness/compare/index.ts'
import { toleranceText } from '../../harness/compare/index.ts'
import { differenceLines, mismatchWarnings, outcomeText } from './text.ts'

/** The version of the `--json` document's shape (docs/ci.md "JSON"); bumped when a key changes meaning. */
export const comparisonJsonVersion = 1

function metricJson(m: MetricComparison): Record<string, unknown> {
  return {
    name: m.metric.name,
    unit: m.metric.unit,
    direction: m.metric.direction,
    class: m.metric.class,
    baseline: m.baseline.value,
    candidate: m.candidate.value,
    baseline_runs: m.baseline.runs,
    candidate_runs: m.candidate.runs,
    change: m.change?.absolute ?? null,
    relative_change: m.change?.relative ?? null,
    test: m.test,
    rule: m.rule === null ? null : { text: m.rule.text, tolerance: toleranceText(m.rule) },
    verdict: m.verdict,
    note: m.note,
  }
}

/** The comparison as a JSON document for programs: every metric with its values, test, rule and verdict. */
export function renderComparisonJson(c: Comparison): string {
  const common = { compare_version: comparisonJsonVersion, state: c.state, outcome: outcomeText(c), baseline: c.baseline, candidate: c.candidate }
  const doc =
    c.state === 'not-comparable'
      ? { ...common, passed: false, differences: c.differences, difference_lines: differenceLines(c.differences) }
      : { ...common, passed: c.regressions.length === 0, mode: c.mode, options: c.options, warnings: mismatchWarnings(c), mismatches: c.mismatches, regressions: c.regressions.map((m) => m.metric.name), metrics: c.metrics.map(metricJson) }
  return `${JSON.stringify(doc, null, 2)}\n`
}
