import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { formatIssue } from '../../generators/index.ts'
import { experimentSeconds, maxSearchPoints, suiteEstimate } from './estimate.ts'
import { suiteJsonSchemaText } from './suite-schema.ts'
import { validateSuiteFile, validateSuiteText } from './validate-suite.ts'

const paper = 'suites/paper.yaml'

describe('suites/suite.schema.json', () => {
  it('is the JSON Schema generated from the zod schema (npm run schema:generate)', () => {
    expect(readFileSync('suites/suite.schema.json', 'utf8')).toBe(suiteJsonSchemaText())
  })
})

describe("the paper's suite (suites/paper.yaml)", () => {
  const v = validateSuiteFile(paper)
  it('validates: every scenario with its --set values at both sizes, every check against a listed figure', () => {
    expect(v.ok ? [] : v.errors.map(formatIssue)).toEqual([])
    expect(v.warnings).toEqual([])
  })
  it('maps the four research questions to experiments, each question with a required check', () => {
    if (!v.ok) throw new Error('invalid')
    expect(v.suite.questions.map((q) => q.id)).toEqual(['RQ1', 'RQ2', 'RQ3', 'RQ4'])
    for (const q of v.suite.questions) {
      expect(q.experiments.length).toBeGreaterThan(0)
      expect(q.checks.some((c) => c.condition === undefined)).toBe(true)
    }
    expect(v.plans.quick.map((e) => e.id)).toEqual(v.plans.full.map((e) => e.id))
  })
  it('--quick is estimated to fit its 45-minute budget on the local runtime, and runs one run per experiment', () => {
    if (!v.ok) throw new Error('invalid')
    const estimate = suiteEstimate(v.plans.quick, 'local')
    expect(estimate.seconds).toBeLessThanOrEqual((v.suite.sizes.quick.budgetMinutes ?? 0) * 60)
    expect(v.plans.quick.filter((e) => e.kind === 'run').every((e) => e.repeats === 1)).toBe(true)
    expect(v.plans.full.filter((e) => e.kind === 'run').every((e) => e.repeats === 3)).toBe(true)
  })
  it('leaves the model detectors as not measured, with the reason, instead of running anything for them', () => {
    if (!v.ok) throw new Error('invalid')
    const lines = suiteEstimate(v.plans.quick, 'local').lines
    expect(lines.find((l) => l.includes('rq2-models'))).toContain('not run (the suite has no training step for the learned detectors yet')
    const external = suiteEstimate(v.plans.full, 'external').lines
    expect(external.find((l) => l.includes('rq4-secure'))).toContain('the local runtime, not external')
  })
})

describe('a broken suite file', () => {
  const file = 'test/fixtures/broken-suite.yaml'
  it('gets every shape problem as file:line:col  path  message  (hint), sorted by line', () => {
    const v = validateSuiteFile(file)
    if (v.ok) throw new Error('the broken suite validated')
    const lines = v.errors.map(formatIssue)
    expect(lines).toContain(`${file}:22:9  questions[0].experiments[0].figurs  unknown key  (did you mean "figures"?)`)
    expect(lines).toContain(`${file}:34:16  questions[0].checks[0].holds  "at most 3000": write a comparison and a number, e.g. "<= 0.001" or ">= 1000"`)
    expect(v.errors.map((e) => e.line)).toEqual([...v.errors.map((e) => e.line)].sort((a, b) => a - b))
  })
  it('then the rules: an unknown experiment, a figure the experiment does not list, a capacity search without bounds', () => {
    const text = readFileSync(file, 'utf8').replace('        figurs: [rated.p99]\n', '').replace('holds: at most 3000', 'holds: "<= 3000"')
    const v = validateSuiteText(text, file)
    if (v.ok) throw new Error('the broken suite validated')
    const lines = v.errors.map(formatIssue)
    expect(lines).toContain(`${file}:27:19  questions[0].experiments[1].capacity  capacity.startRate is missing: without it the search's duration has no bound to estimate  (add startRate: e.g. 1000)`)
    expect(lines).toContain(`${file}:35:21  questions[0].checks[1].experiment  no experiment "plian" in this suite  (one of: plain, search)`)
    expect(lines.find((l) => l.includes('checks[2].figure'))).toBe(`${file}:40:17  questions[0].checks[2].figure  experiment "plain" does not list the figure "rated.p50"  (add it to that experiment's figures, or check one of: rated.p99, accounting.lost_events)`)
  })
  it('then each experiment resolved: a --set the scenario refuses is placed at its entry in the suite', () => {
    const text = readFileSync(file, 'utf8')
      .replace('        figurs: [rated.p99]\n', '')
      .replace('holds: at most 3000', 'holds: "<= 3000"')
      .replace('experiment: plian', 'experiment: plain')
      .replace('figure: rated.p50', 'figure: rated.p99')
      .replace('capacity: { slo: ["rated p99<3000"] }', 'capacity: { slo: ["rated p99<3000"], startRate: 100, maxRate: 400 }')
      .replaceAll('scenario: small.yaml', 'scenario: ../fixtures/small.yaml')
    const v = validateSuiteText(text, 'test/e2e/suite.yaml')
    if (v.ok) throw new Error('the broken suite validated')
    const lines = v.errors.map(formatIssue)
    expect(lines[0]).toMatch(/^test\/e2e\/suite\.yaml:21:15 {2}questions\[0\]\.experiments\[0\]\.set\[0\] {2}quick: scenario --set durration=1h durration /)
    expect(lines[0]).toContain('(did you mean "duration"?)')
  })
  it('a YAML syntax error is placed where it is fixed', () => {
    const v = validateSuiteText('version: 1\nname: [paper\ntitle: x\n', 'x.yaml')
    if (v.ok) throw new Error('validated')
    expect(v.errors[0]).toMatchObject({ line: 2, col: 7 })
  })
})

describe('the estimate', () => {
  it('bounds a capacity search by its ×2 steps and the bisections its resolution needs', () => {
    expect(maxSearchPoints(1000, 4000, 0.5)).toBe(4)
    expect(maxSearchPoints(1000, 4000, 0.1)).toBe(6)
    expect(maxSearchPoints(1000, 1000, 0.1)).toBe(4)
  })
  it('is 0 for an experiment left out of the size', () => {
    const v = validateSuiteFile(paper)
    if (!v.ok) throw new Error('invalid')
    const skipped = v.plans.quick.find((e) => e.id === 'rq4-replicated')
    expect(skipped?.skip).not.toBeNull()
    expect(skipped === undefined ? -1 : experimentSeconds(skipped)).toBe(0)
  })
})
