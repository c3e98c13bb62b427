import type { Comparison } from '../../harness/compare/index.ts'
import { mdTable } from '../markdown.ts'
import { changeText, differenceLines, methodText, mismatchWarnings, outcomeText, sidesText, testText, valueText, verdictText } from './text.ts'

const icon = { regressed: '❌', improved: '✅', 'within-tolerance': '➖', unchanged: '➖', 'not-measured': '·', untested: '·' } as const

/** The comparison in Markdown, for $GITHUB_STEP_SUMMARY or a pull-request comment: the outcome, then every metric. */
export function renderComparisonMarkdown(c: Comparison): string {
  const title = c.state === 'not-comparable' ? '⚠️ telcobench compare: not comparable' : c.regressions.length > 0 ? `❌ telcobench compare: ${outcomeText(c)}` : '✅ telcobench compare: no regression'
  const lines = [`## ${title}`, '', sidesText(c), '']
  if (c.state === 'not-comparable') {
    lines.push('These settings differ, so the runs were not compared (`--allow-mismatch` compares them anyway):', '', ...differenceLines(c.differences).map((line) => `- ${line}`), '')
    return lines.join('\n')
  }
  const warnings = mismatchWarnings(c)
  if (warnings.length > 0) lines.push(...warnings.map((w) => `> ⚠️ ${w}`), '')
  lines.push(methodText(c), '', outcomeText(c), '')
  const rows = c.metrics.map((m) => [`${icon[m.verdict]} \`${m.metric.name}\``, valueText(m.metric.unit, m.baseline.value), valueText(m.metric.unit, m.candidate.value), changeText(m), verdictText(m), testText(m.test, m.metric.unit, c.options.confidence)])
  lines.push(...mdTable(['metric', 'baseline', 'candidate', 'change', 'verdict', 'test'], rows), '')
  return lines.join('\n')
}
