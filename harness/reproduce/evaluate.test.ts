import { describe, expect, it } from 'vitest'
import type { EvaluationExperiment } from '../results/index.ts'
import { evaluateCheck, evaluateQuestions, figureOver, questionVerdict } from './evaluate.ts'
import type { Check, Question } from './suite-schema.ts'

function experiment(id: string, figures: Record<string, (number | null)[]>, status: EvaluationExperiment['status'] = 'measured', reason: string | null = null): EvaluationExperiment {
  return {
    id, question: 'RQ1', title: id, kind: 'run', scenario: 's', scenario_file: 's.yaml', overrides: [], engine: null, guarantee: null, batch: false, repeats: 3, capacity: null, paced_eps: null,
    status, reason, folder: status === 'measured' ? `${id}/set` : null,
    runs: status === 'measured' ? [1, 2, 3].map((i) => ({ folder: `${id}/set/r${i}`, state: 'passed', counted: true })) : [],
    figures: Object.fromEntries(Object.entries(figures).map(([name, values]) => [name, figureOver('ms', values)])),
    elapsed_s: 60,
  }
}

const check = (c: Partial<Check> & Pick<Check, 'experiment' | 'figure' | 'holds'>): Check => ({ says: `${c.figure} ${c.holds}`, ...c })

describe('a figure over repeated runs', () => {
  it('keeps every run\'s value and takes the median and the order-statistic interval over the measured ones', () => {
    const f = figureOver('ms', [300, null, 100, 200, 400, 500])
    expect(f).toMatchObject({ values: [300, null, 100, 200, 400, 500], n: 5, median: 300, min: 100, max: 500 })
    expect(f.ci).toMatchObject({ low: 100, high: 500 })
    expect(figureOver('ms', [7]).ci).toBeNull()
  })
})

describe('a check', () => {
  const xs = new Map([
    ['a', experiment('a', { 'rated.p99': [900, 1100, 1000], 'accounting.lost_events': [0, 0, 0] })],
    ['b', experiment('b', { 'rated.p99': [400, 500, 600] })],
    ['gone', experiment('gone', {}, 'not-measured', 'the model detectors (issue 17) are not built')],
  ])
  it('compares the median with the number', () => {
    expect(evaluateCheck(check({ experiment: 'a', figure: 'rated.p99', holds: '< 3000' }), xs)).toMatchObject({ observed: 1000, outcome: 'holds' })
    expect(evaluateCheck(check({ experiment: 'a', figure: 'rated.p99', holds: '<= 999' }), xs)).toMatchObject({ observed: 1000, outcome: 'fails' })
    expect(evaluateCheck(check({ experiment: 'a', figure: 'accounting.lost_events', holds: '== 0' }), xs).outcome).toBe('holds')
  })
  it('or the ratio of two medians', () => {
    expect(evaluateCheck(check({ experiment: 'a', figure: 'rated.p99', relativeTo: { experiment: 'b', figure: 'rated.p99' }, holds: '<= 1.2' }), xs)).toMatchObject({ observed: 2, outcome: 'fails' })
  })
  it('is not measured, saying why, when its experiment was left out or its runs lack the figure', () => {
    expect(evaluateCheck(check({ experiment: 'gone', figure: 'fraud.recall', holds: '>= 0.8' }), xs)).toMatchObject({ outcome: 'not-measured', reason: 'gone: the model detectors (issue 17) are not built' })
    expect(evaluateCheck(check({ experiment: 'b', figure: 'accounting.lost_events', holds: '== 0' }), xs)).toMatchObject({ outcome: 'not-measured', reason: 'b: accounting.lost_events was not measured by its runs' })
  })
})

describe('the verdict of a question', () => {
  const xs = [experiment('a', { 'rated.p99': [1000], 'accounting.lost_events': [0] }), experiment('gone', {}, 'not-measured', 'not built')]
  const question = (checks: Check[]): Question => ({ id: 'RQ1', title: 't', question: 'q?', claim: { quote: 'It does.', where: 'II' }, experiments: [], checks })
  const verdict = (checks: Check[]) => evaluateQuestions([question(checks)], xs)[0]
  const fast = check({ says: 'fast enough', experiment: 'a', figure: 'rated.p99', holds: '< 3000' })
  const lossless = check({ says: 'nothing lost', experiment: 'a', figure: 'accounting.lost_events', holds: '== 0' })

  it('is supported when every check holds', () => {
    expect(verdict([fast, lossless])).toMatchObject({ verdict: 'supported', verdict_text: 'Supported: fast enough; nothing lost.', conditions: [] })
  })
  it('is supported with conditions when a condition fails or was not measured, naming each', () => {
    const v = verdict([fast, check({ experiment: 'a', figure: 'rated.p99', holds: '< 500', condition: 'at a rated p99 above 500 ms' }), check({ experiment: 'gone', figure: 'fraud.recall', holds: '>= 1', condition: 'for rule detectors' })])
    expect(v?.verdict).toBe('supported-with-conditions')
    expect(v?.conditions).toEqual(['at a rated p99 above 500 ms (observed 1000, needed < 500)', 'for rule detectors (not measured: gone: not built)'])
  })
  it('is not supported when a required check fails, whatever else', () => {
    const v = verdict([check({ says: 'very fast', experiment: 'a', figure: 'rated.p99', holds: '< 100' }), check({ experiment: 'gone', figure: 'x', holds: '> 1' })])
    expect(v).toMatchObject({ verdict: 'not-supported', verdict_text: 'Not supported: very fast (observed 1000, needed < 100).' })
  })
  it('is not measured when a required check was not measured and none failed', () => {
    const v = questionVerdict([evaluateCheck(fast, new Map(xs.map((x) => [x.id, x]))), evaluateCheck(check({ says: 'models win', experiment: 'gone', figure: 'fraud.recall', holds: '>= 1' }), new Map(xs.map((x) => [x.id, x])))])
    expect(v).toMatchObject({ verdict: 'not-measured', text: 'Not measured: models win: gone: not built.' })
  })
})
