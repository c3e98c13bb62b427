import type { Comparison, MetricComparison } from '../../harness/compare/index.ts'
import { changeText, differenceLines, methodText, mismatchWarnings, outcomeText, sidesText, testText, valueText, verdictText } from './text.ts'

/** Text safe in XML character data and attribute values (XML 1.0 forbids most control characters outright). */
function xml(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/\n/g, '&#10;')
}

const attributes = (pairs: Record<string, string | number>): string => Object.entries(pairs).map(([k, v]) => ` ${k}="${xml(String(v))}"`).join('')

function testcase(m: MetricComparison, confidence: number): string {
  const family = m.metric.name.split('.')[0] ?? 'run'
  const open = `    <testcase${attributes({ name: m.metric.name, classname: `telcobench.compare.${family}`, time: 0 })}`
  const detail = `baseline ${valueText(m.metric.unit, m.baseline.value)}, candidate ${valueText(m.metric.unit, m.candidate.value)}, change ${changeText(m)}; ${testText(m.test, m.metric.unit, confidence)}`
  if (m.verdict === 'regressed') return `${open}>\n      <failure${attributes({ message: `${m.metric.name} ${verdictText(m)}: ${changeText(m)}`, type: 'regression' })}>${xml(detail)}</failure>\n    </testcase>`
  if (m.verdict === 'not-measured' || m.verdict === 'untested') return `${open}>\n      <skipped${attributes({ message: m.note ?? verdictText(m) })}/>\n    </testcase>`
  return `${open}>\n      <system-out>${xml(`${verdictText(m)}: ${detail}`)}</system-out>\n    </testcase>`
}

/**
 * The comparison as JUnit XML (the testsuites/testsuite/testcase/failure structure Jenkins, GitLab and the GitHub
 * test reporters read): one testcase per compared metric, a failure for each regression, skipped for a metric not
 * measured on one side or not tested. Runs that are not comparable give one failing testcase listing why; a
 * comparison made with --allow-mismatch carries the warning as a property and in system-out.
 */
export function renderComparisonJunit(c: Comparison): string {
  const suiteName = `telcobench compare: ${sidesText(c)}`
  const out = ['<?xml version="1.0" encoding="UTF-8"?>']
  if (c.state === 'not-comparable') {
    const listing = differenceLines(c.differences).join('\n')
    out.push(
      `<testsuites${attributes({ name: 'telcobench compare', tests: 1, failures: 1, errors: 0, time: 0 })}>`,
      `  <testsuite${attributes({ name: suiteName, tests: 1, failures: 1, errors: 0, skipped: 0, time: 0 })}>`,
      `    <testcase${attributes({ name: 'comparable runs', classname: 'telcobench.compare', time: 0 })}>`,
      `      <failure${attributes({ message: outcomeText(c), type: 'not-comparable' })}>${xml(listing)}</failure>`,
      '    </testcase>',
      '  </testsuite>',
      '</testsuites>',
    )
    return `${out.join('\n')}\n`
  }
  const failures = c.regressions.length
  const skipped = c.metrics.filter((m) => m.verdict === 'not-measured' || m.verdict === 'untested').length
  const warnings = mismatchWarnings(c)
  out.push(
    `<testsuites${attributes({ name: 'telcobench compare', tests: c.metrics.length, failures, errors: 0, time: 0 })}>`,
    `  <testsuite${attributes({ name: suiteName, tests: c.metrics.length, failures, errors: 0, skipped, time: 0 })}>`,
    '    <properties>',
    `      <property${attributes({ name: 'method', value: methodText(c) })}/>`,
    `      <property${attributes({ name: 'confidence', value: c.options.confidence })}/>`,
    ...warnings.map((w) => `      <property${attributes({ name: 'warning', value: w })}/>`),
    '    </properties>',
    ...c.metrics.map((m) => testcase(m, c.options.confidence)),
    `    <system-out>${xml([...warnings, outcomeText(c)].join('\n'))}</system-out>`,
    '  </testsuite>',
    '</testsuites>',
  )
  return `${out.join('\n')}\n`
}
