import type { Comparison } from '../../harness/compare/index.ts'
import { changeText, differenceLines, mismatchWarnings, testText, valueText, verdictText } from './text.ts'

// GitHub workflow commands: the message escapes %, CR and LF; a property value also escapes : and ,.
const message = (text: string): string => text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')
const property = (text: string): string => message(text).replace(/:/g, '%3A').replace(/,/g, '%2C')

/**
 * GitHub Actions annotations (`::error title=…::…` lines for stdout): an error per regression, or per setting
 * that keeps the runs apart, and a warning per difference compared anyway with --allow-mismatch.
 */
export function githubAnnotations(c: Comparison): string[] {
  if (c.state === 'not-comparable') return differenceLines(c.differences).map((line) => `::error title=${property('telcobench compare: runs not comparable')}::${message(line)}`)
  const warnings = mismatchWarnings(c).map((w) => `::warning title=${property('telcobench compare: runs differ')}::${message(w)}`)
  const errors = c.regressions.map((m) => `::error title=${property(`telcobench compare: ${m.metric.name} regressed`)}::${message(`${valueText(m.metric.unit, m.baseline.value)} → ${valueText(m.metric.unit, m.candidate.value)} (${changeText(m)}), ${verdictText(m)}; ${testText(m.test, m.metric.unit, c.options.confidence)}`)}`)
  return [...warnings, ...errors]
}
