import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { validateXML } from 'xmllint-wasm'
import { compareSides, readSide, type Comparison, type CompareOptions } from '../../harness/compare/index.ts'
import { fixtureRunDir } from '../test-fixture.ts'
import { githubAnnotations } from './annotations.ts'
import { renderComparisonJson } from './json.ts'
import { renderComparisonJunit } from './junit.ts'
import { renderComparisonMarkdown } from './markdown.ts'
import { renderComparisonTerminal } from './terminal.ts'
import { parseXml, type XmlElement } from './xml-structure.ts'

const options: CompareOptions = { rules: [], allowMismatch: false, confidence: 0.95, resamples: 300, seed: 1 }
const side = (label: 'baseline' | 'candidate') => readSide(label, [fixtureRunDir])

/** The stored run against a copy that lost three events. */
function lossyComparison(): Comparison {
  const candidate = side('candidate')
  for (const run of candidate.runs) run.results = { ...run.results, accounting: { ...run.results.accounting, lost: 3 } }
  return compareSides(side('baseline'), candidate, options)
}

/** The stored run against itself on a machine with four cores, compared anyway. */
function mismatchedComparison(): Comparison {
  const candidate = side('candidate')
  for (const run of candidate.runs) run.manifest = { ...run.manifest, machine: { ...run.manifest.machine, cores: 4 } }
  return compareSides(side('baseline'), candidate, { ...options, allowMismatch: true })
}

/** Four copies a side, the candidate's rated p99 20 % higher in each. */
function slowerSetComparison(): Comparison {
  const baseline = readSide('baseline', [fixtureRunDir, fixtureRunDir, fixtureRunDir, fixtureRunDir])
  const candidate = readSide('candidate', [fixtureRunDir, fixtureRunDir, fixtureRunDir, fixtureRunDir])
  for (const run of candidate.runs) {
    const rated = run.results.latency['rated']
    if (rated == null) throw new Error('fixture without rated latency')
    run.results = { ...run.results, latency: { ...run.results.latency, rated: { ...rated, p99: 30000 } } }
  }
  return compareSides(baseline, candidate, options)
}

const warning = 'compared although the runs differ (--allow-mismatch): machine cores: baseline 2; candidate 4'

describe('the terminal comparison', () => {
  it('lists baseline, candidate, change, verdict and test per metric, and ends with the regressions', () => {
    const text = renderComparisonTerminal(lossyComparison(), false)
    expect(text).toContain('█ COMPARE  candidate 1 run (quickstart-20261130-085523-7a92) on spark vs baseline 1 run (quickstart-20261130-085523-7a92) on spark')
    expect(text).toMatch(/\n {2}metric +baseline +candidate +change +verdict +test\n/)
    expect(text).toMatch(/\n {2}accounting\.lost_events +0 +3 +\+3 +REGRESSED \(beyond default \+0\) +exact \(any worsening counts\)\n/)
    expect(text).toMatch(/\n {2}rated\.p99 +26,182 ms +26,182 ms +0 +not tested +not tested: too few per-second windows/)
    expect(text).toMatch(/\n {2}schedule_delay\.p99 +46\.2 ms +46\.2 ms +0 +no significant change +block bootstrap, 95 % CI of the difference \[/)
    expect(text.trimEnd().endsWith('█ 1 regression: accounting.lost_events')).toBe(true)
  })

  it('says the runs are not comparable and lists why', () => {
    const candidate = side('candidate')
    for (const run of candidate.runs) run.manifest = { ...run.manifest, scenario_sha256: 'f'.repeat(64) }
    const text = renderComparisonTerminal(compareSides(side('baseline'), candidate, options), false)
    expect(text).toContain(`✗ scenario content (sha256 of scenario.resolved.json): baseline ${side('baseline').runs[0]?.manifest.scenario_sha256 ?? ''}; candidate ${'f'.repeat(64)}`)
    expect(text).toContain('not comparable: 1 setting differs (compare them anyway with --allow-mismatch')
  })
})

describe('the Markdown comparison', () => {
  it('opens with the outcome and has one table row per metric', () => {
    const md = renderComparisonMarkdown(lossyComparison())
    expect(md.startsWith('## ❌ telcobench compare: 1 regression: accounting.lost_events\n')).toBe(true)
    expect(md).toContain('| metric | baseline | candidate | change | verdict | test |\n|---|---|---|---|---|---|\n')
    expect(md).toContain('| ❌ `accounting.lost_events` | 0 | 3 | +3 | REGRESSED (beyond default +0) | exact (any worsening counts) |')
    expect(md).toContain('| ➖ `billing.charge_exact_match_ratio` | 100.00 % | 100.00 % | 0 | no change | exact (any worsening counts) |')
  })

  it('states the test and its confidence for several runs a side', () => {
    const md = renderComparisonMarkdown(slowerSetComparison())
    expect(md).toContain('several runs a side: statistical metrics by a two-sided Mann–Whitney U test on the per-run values at 95 % confidence')
    expect(md).toContain('| ❌ `rated.p99` | 26,182 ms | 30,000 ms | +3,818 ms (+14.6 %) | REGRESSED (beyond default +5%) | Mann–Whitney U, 4+4 runs, p = 0.029 |')
  })
})

/** The child elements' names, in order. */
const names = (e: XmlElement): string[] => e.children.map((c) => c.name)

/**
 * Checks an element tree against the JUnit XML schema Jenkins validates reports with (the xunit plugin's
 * junit-10.xsd): which elements nest where and in which order, required and known attributes, and counts that
 * agree with the test cases.
 */
function checkJunitSchema(root: XmlElement): void {
  const allowed = (e: XmlElement, known: string[], required: string[]): void => {
    for (const key of Object.keys(e.attributes)) expect(known, `<${e.name}> attribute ${key}`).toContain(key)
    for (const key of required) expect(e.attributes, `<${e.name}> needs ${key}`).toHaveProperty(key)
  }
  const count = (e: XmlElement, key: string): void => {
    if (key in e.attributes) expect(e.attributes[key], `${e.name}@${key}`).toMatch(/^\d+$/)
  }
  const ordered = (e: XmlElement, sequence: [string, number][]): void => {
    let i = 0
    for (const [child, max] of sequence) {
      let seen = 0
      while (e.children[i]?.name === child) {
        seen++
        i++
      }
      expect(seen, `<${e.name}> holds at most ${max} <${child}>`).toBeLessThanOrEqual(max)
    }
    expect(i, `<${e.name}> children ${names(e).join(', ')} out of the schema's order`).toBe(e.children.length)
  }
  expect(root.name).toBe('testsuites')
  allowed(root, ['name', 'time', 'tests', 'failures', 'disabled', 'errors'], [])
  for (const key of ['tests', 'failures', 'errors', 'disabled']) count(root, key)
  ordered(root, [['testsuite', Infinity]])
  for (const suite of root.children) {
    allowed(suite, ['name', 'tests', 'failures', 'errors', 'time', 'disabled', 'skipped', 'timestamp', 'hostname', 'id', 'package'], ['name', 'tests'])
    for (const key of ['tests', 'failures', 'errors', 'disabled', 'skipped']) count(suite, key)
    ordered(suite, [['properties', 1], ['testcase', Infinity], ['system-out', 1], ['system-err', 1]])
    const cases = suite.children.filter((c) => c.name === 'testcase')
    expect(Number(suite.attributes['tests'])).toBe(cases.length)
    expect(Number(suite.attributes['failures'])).toBe(cases.filter((c) => names(c).includes('failure')).length)
    expect(Number(suite.attributes['skipped'] ?? 0)).toBe(cases.filter((c) => names(c).includes('skipped')).length)
    for (const properties of suite.children.filter((c) => c.name === 'properties')) {
      ordered(properties, [['property', Infinity]])
      for (const p of properties.children) allowed(p, ['name', 'value'], ['name', 'value'])
    }
    for (const c of cases) {
      allowed(c, ['name', 'assertions', 'time', 'classname', 'status'], ['name'])
      ordered(c, [['skipped', 1], ['error', Infinity], ['failure', Infinity], ['system-out', Infinity], ['system-err', Infinity]])
      for (const child of c.children) {
        if (child.name === 'failure' || child.name === 'error' || child.name === 'skipped') allowed(child, ['type', 'message'], [])
        expect(child.children, `<${child.name}> holds text only`).toEqual([])
      }
    }
    expect(Number(root.attributes['tests'])).toBe(cases.length)
  }
}

describe('the JUnit XML comparison', () => {
  it('has one testcase per compared metric and a failure for the regression, in the JUnit schema', () => {
    const c = lossyComparison()
    const root = parseXml(renderComparisonJunit(c))
    checkJunitSchema(root)
    const suite = root.children[0]
    const cases = suite?.children.filter((e) => e.name === 'testcase') ?? []
    expect(cases.length).toBe(c.state === 'compared' ? c.metrics.length : -1)
    const failing = cases.filter((e) => names(e).includes('failure'))
    expect(failing.map((e) => e.attributes)).toEqual([{ name: 'accounting.lost_events', classname: 'telcobench.compare.accounting', time: '0' }])
    expect(failing[0]?.children[0]?.attributes).toEqual({ message: 'accounting.lost_events REGRESSED (beyond default +0): +3', type: 'regression' })
    expect(failing[0]?.children[0]?.text).toBe('baseline 0, candidate 3, change +3; exact (any worsening counts)')
    expect(cases.find((e) => e.attributes['name'] === 'rated.p99')?.children[0]?.name).toBe('skipped')
  })

  it('is one failing testcase listing the differences when the runs are not comparable', () => {
    const candidate = side('candidate')
    for (const run of candidate.runs) run.manifest = { ...run.manifest, kafka_client: 'kafkajs' }
    const root = parseXml(renderComparisonJunit(compareSides(side('baseline'), candidate, options)))
    checkJunitSchema(root)
    const failure = root.children[0]?.children[0]?.children[0]
    expect(failure?.attributes).toEqual({ message: 'not comparable: 1 setting differs', type: 'not-comparable' })
    expect(failure?.text).toBe('Kafka client: baseline platformatic; candidate kafkajs')
  })

  it('validates with libxml2 against the JUnit XML Schema (reports/comparison/junit.xsd), compared, refused and warned', async () => {
    const schema = { fileName: 'junit.xsd', contents: readFileSync(new URL('./junit.xsd', import.meta.url), 'utf8') }
    const candidate = side('candidate')
    for (const run of candidate.runs) run.manifest = { ...run.manifest, kafka_client: 'kafkajs' }
    const reports = [lossyComparison(), mismatchedComparison(), slowerSetComparison(), compareSides(side('baseline'), candidate, options)].map(renderComparisonJunit)
    for (const [i, xml] of reports.entries()) {
      const result = await validateXML({ xml: { fileName: `report-${String(i)}.xml`, contents: xml }, schema })
      expect(result.errors, xml).toEqual([])
      expect(result.valid).toBe(true)
    }
    const broken = await validateXML({ xml: { fileName: 'broken.xml', contents: reports[0]?.replace(/ name="accounting.lost_events"/, '') ?? '' }, schema })
    expect(broken.valid).toBe(false)
  })

  it('escapes what XML reserves, and the reader refuses what is not well-formed', () => {
    const c = mismatchedComparison()
    const xml = renderComparisonJunit(c)
    expect(() => parseXml(xml)).not.toThrow()
    expect(() => parseXml(xml.replace('</testsuite>', ''))).toThrow('</testsuites> closes <testsuite>')
    expect(() => parseXml(xml.replace('name="telcobench compare"', 'name="a & b"'))).toThrow('unescaped < or &')
  })
})

describe('GitHub annotations', () => {
  it('are an ::error line per regression, escaped as workflow commands', () => {
    expect(githubAnnotations(slowerSetComparison())).toEqual([
      '::error title=telcobench compare%3A rated.p99 regressed::26,182 ms → 30,000 ms (+3,818 ms (+14.6 %25)), REGRESSED (beyond default +5%25); Mann–Whitney U, 4+4 runs, p = 0.029',
    ])
  })
})

describe('a comparison made with --allow-mismatch', () => {
  it('warns on every output: terminal, Markdown, JUnit, JSON and the annotations', () => {
    const c = mismatchedComparison()
    expect(renderComparisonTerminal(c, false)).toContain(`⚠ ${warning}`)
    expect(renderComparisonMarkdown(c)).toContain(`> ⚠️ ${warning}`)
    const suite = parseXml(renderComparisonJunit(c)).children[0]
    expect(suite?.children[0]?.children.find((p) => p.attributes['name'] === 'warning')?.attributes['value']).toBe(warning)
    expect(suite?.children.find((e) => e.name === 'system-out')?.text).toContain(warning)
    expect((JSON.parse(renderComparisonJson(c)) as { warnings: string[] }).warnings).toEqual([warning])
    expect(githubAnnotations(c)).toEqual([`::warning title=telcobench compare%3A runs differ::${warning.replace(/%/g, '%25')}`])
  })
})

describe('the JSON comparison', () => {
  it('holds every metric with its values, test, rule and verdict', () => {
    const doc = JSON.parse(renderComparisonJson(lossyComparison())) as { compare_version: number; state: string; passed: boolean; regressions: string[]; metrics: Record<string, unknown>[] }
    expect(doc).toMatchObject({ compare_version: 1, state: 'compared', passed: false, regressions: ['accounting.lost_events'] })
    expect(doc.metrics.find((m) => m['name'] === 'accounting.lost_events')).toEqual({
      name: 'accounting.lost_events',
      unit: 'events',
      direction: 'lower-is-better',
      class: 'exact',
      baseline: 0,
      candidate: 3,
      baseline_runs: [0],
      candidate_runs: [3],
      change: 3,
      relative_change: null,
      test: { test: 'exact' },
      rule: { text: 'default', tolerance: '+0' },
      verdict: 'regressed',
      note: null,
    })
  })
})
