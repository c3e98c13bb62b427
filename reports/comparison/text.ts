import type { Comparison, Difference, MetricComparison, MetricUnit, TestOutcome } from '../../harness/compare/index.ts'
import { toleranceText } from '../../harness/compare/index.ts'
import { count, ms, percent, rate, seconds } from '../format.ts'

/**
 * The words and numbers every rendering of a comparison shares (terminal, Markdown, JUnit, annotations), so they
 * say the same thing: values in their unit, the change, the test and the verdict.
 */

export function valueText(unit: MetricUnit, value: number | null): string {
  if (value === null) return 'n/a'
  switch (unit) {
    case 'ms':
      return `${ms(value)} ms`
    case 's':
      return `${seconds(value)} s`
    case 'eps':
      return `${rate(value)} ev/s`
    case 'events':
      return count(value)
    case 'ratio':
      return percent(value)
    case 'cores':
      return `${value.toFixed(2)} cores`
    case 'MiB':
      return `${count(value)} MiB`
  }
}

const signed = (n: number, text: string): string => (n > 0 ? `+${text}` : n < 0 ? `−${text}` : text)

function amountText(unit: MetricUnit, n: number): string {
  const abs = Math.abs(n)
  if (unit === 'ratio') return signed(n, `${Number((abs * 100).toPrecision(3))} pp`)
  return signed(n, valueText(unit, abs))
}

/** `+320 ms (+12.3 %)`; `+3`; `−0.1 pp (−0.1 %)`; `0` when nothing changed. */
export function changeText(m: MetricComparison): string {
  const c = m.change
  if (c === null) return 'n/a'
  if (c.absolute === 0) return '0'
  const relative = c.relative === null ? '' : ` (${signed(c.relative, `${Number((Math.abs(c.relative) * 100).toPrecision(3))} %`)})`
  return `${amountText(m.metric.unit, c.absolute)}${relative}`
}

const confidenceText = (confidence: number): string => `${Number((confidence * 100).toPrecision(4))} %`

/** The test in a few words, with its result: `Mann–Whitney U, 5+5 runs, p = 0.008`; `block bootstrap, 95 % CI [+12, +80] ms …`. */
export function testText(test: TestOutcome | null, unit: MetricUnit, confidence: number): string {
  if (test === null) return '—'
  switch (test.test) {
    case 'exact':
      return 'exact (any worsening counts)'
    case 'none':
      return `not tested: ${test.reason}`
    case 'mann-whitney-u': {
      const p = Number(test.pValue.toPrecision(2))
      const reach = test.smallestPValue >= 1 - confidence ? ` (${test.runs.baseline}+${test.runs.candidate} runs cannot reach ${confidenceText(confidence)}: the smallest p is ${Number(test.smallestPValue.toPrecision(2))})` : ''
      return `Mann–Whitney U${test.method === 'normal' ? ' (normal approx.)' : ''}, ${test.runs.baseline}+${test.runs.candidate} runs, p = ${p}${reach}`
    }
    case 'block-bootstrap': {
      const i = test.interval
      return `block bootstrap, ${confidenceText(confidence)} CI of the difference [${amountText(unit, i.low)}, ${amountText(unit, i.high)}] (${i.windows.baseline}+${i.windows.candidate} windows of 1 s, blocks of ${i.blockLength}, ${i.resamples} resamples)`
    }
  }
}

/** `REGRESSED (rule +10%)`, `improved`, `no significant change`, … */
export function verdictText(m: MetricComparison): string {
  const rule = m.rule === null ? '' : m.rule.text === 'default' ? `default ${toleranceText(m.rule)}` : toleranceText(m.rule)
  switch (m.verdict) {
    case 'regressed':
      return `REGRESSED (beyond ${rule})`
    case 'improved':
      return 'improved'
    case 'within-tolerance':
      return `within tolerance (${rule})`
    case 'unchanged':
      return m.metric.class === 'exact' ? 'no change' : 'no significant change'
    case 'not-measured':
      return m.note ?? 'not measured on one side'
    case 'untested':
      return 'not tested'
  }
}

/** One line per difference: `machine cores: baseline 2; candidate 4`. */
export function differenceLines(differences: readonly Difference[]): string[] {
  const values = (list: readonly string[]): string => (list.length === 0 ? '—' : list.join(', '))
  return differences.map((d) => `${d.property}: baseline ${values(d.baseline)}; candidate ${values(d.candidate)}`)
}

/** The warning every output of a comparison made with `--allow-mismatch` carries, one line per difference. */
export function mismatchWarnings(c: Comparison): string[] {
  if (c.state !== 'compared' || c.mismatches.length === 0) return []
  return differenceLines(c.mismatches).map((line) => `compared although the runs differ (--allow-mismatch): ${line}`)
}

/** Which runs were compared, in one line: `1 run (a) on spark vs 1 run (b) on flink`. */
export function sidesText(c: Comparison): string {
  const side = (s: Comparison['baseline']): string => `${s.runs.length} run${s.runs.length === 1 ? '' : 's'} (${s.runs.map((r) => r.run_id).join(', ')}) on ${[...new Set(s.runs.map((r) => r.engine))].join(' + ')}`
  return `candidate ${side(c.candidate)} vs baseline ${side(c.baseline)}`
}

/** The method in one sentence, with the confidence level. */
export function methodText(c: Extract<Comparison, { state: 'compared' }>): string {
  const level = confidenceText(c.options.confidence)
  return c.mode === 'pair'
    ? `one run a side: statistical metrics by a moving-block bootstrap of the per-second windows (${level} confidence interval of the difference, seed ${c.options.seed}); exact metrics: any worsening counts`
    : `several runs a side: statistical metrics by a two-sided Mann–Whitney U test on the per-run values at ${level} confidence (the value shown is the median run's); exact metrics: the worst run of each side, any worsening counts`
}

/** The outcome in one line: `2 regressions: rated.p99, accounting.lost_events` or `no regression (…)`. */
export function outcomeText(c: Comparison): string {
  if (c.state === 'not-comparable') return `not comparable: ${c.differences.length} ${c.differences.length === 1 ? 'setting differs' : 'settings differ'}`
  if (c.regressions.length > 0) return `${c.regressions.length} regression${c.regressions.length === 1 ? '' : 's'}: ${c.regressions.map((m) => m.metric.name).join(', ')}`
  const tally = new Map<string, number>()
  for (const m of c.metrics) tally.set(verdictWord(m), (tally.get(verdictWord(m)) ?? 0) + 1)
  return `no regression (${c.metrics.length} metrics: ${[...tally.entries()].map(([word, n]) => `${n} ${word}`).join(', ')})`
}

const verdictWords: Record<MetricComparison['verdict'], string> = { regressed: 'regressed', improved: 'improved', 'within-tolerance': 'within tolerance', unchanged: 'unchanged', 'not-measured': 'not measured', untested: 'not tested' }
const verdictWord = (m: MetricComparison): string => verdictWords[m.verdict]
