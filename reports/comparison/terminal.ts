import type { Comparison, MetricComparison } from '../../harness/compare/index.ts'
import { paint } from '../summary/terminal.ts'
import { changeText, differenceLines, methodText, mismatchWarnings, outcomeText, sidesText, testText, valueText, verdictText } from './text.ts'

/** Left-aligned columns, each as wide as its widest cell. */
function columns(rows: readonly (readonly string[])[]): string[] {
  const widths = rows.reduce<number[]>((w, row) => row.map((cell, i) => Math.max(w[i] ?? 0, cell.length)), [])
  return rows.map((row) => `  ${row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  ')}`.trimEnd())
}

function row(m: MetricComparison, confidence: number): string[] {
  return [m.metric.name, valueText(m.metric.unit, m.baseline.value), valueText(m.metric.unit, m.candidate.value), changeText(m), verdictText(m), testText(m.test, m.metric.unit, confidence)]
}

/**
 * The comparison for the terminal: which runs, how they were tested, one line per metric (baseline, candidate,
 * change, verdict, test), then the outcome. A comparison made despite differing settings says so first and last.
 */
export function renderComparisonTerminal(c: Comparison, useColor: boolean): string {
  const { green, red } = paint(useColor)
  const lines = ['', `█ COMPARE  ${sidesText(c)}`]
  if (c.state === 'not-comparable') {
    lines.push(red('  the runs are not comparable; these settings differ:'), ...differenceLines(c.differences).map((line) => `  ${red('✗')} ${line}`))
    lines.push('', `  ${outcomeText(c)} (compare them anyway with --allow-mismatch; every output then carries a warning)`)
    return lines.join('\n')
  }
  const warnings = mismatchWarnings(c).map((w) => `  ${red('⚠')} ${w}`)
  lines.push(...warnings, `  ${methodText(c)}`)
  for (const side of [c.baseline, c.candidate]) for (const s of side.skipped) lines.push(`  skipped ${s.dir}: ${s.reason}`)
  const table = columns([['metric', 'baseline', 'candidate', 'change', 'verdict', 'test'], ...c.metrics.map((m) => row(m, c.options.confidence))])
  lines.push('', ...table.map((line, i) => {
    const m = c.metrics[i - 1]
    return m?.verdict === 'regressed' ? red(line) : m?.verdict === 'improved' ? green(line) : line
  }))
  lines.push('', ...warnings, `█ ${c.regressions.length > 0 ? red(outcomeText(c)) : green(outcomeText(c))}`)
  return lines.join('\n')
}
