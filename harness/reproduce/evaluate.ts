import type { EvaluationCheck, EvaluationExperiment, EvaluationFigure, EvaluationQuestion, VerdictKind } from '../results/index.ts'
import { ciTargetLevel } from '../sets/index.ts'
import { medianInterval, medianOf } from '../stats/index.ts'
import type { Check, Question } from './suite-schema.ts'

/**
 * The verdict of each research question from its checks (docs/reproducing-the-paper.md "Verdicts"), a pure
 * function of the experiments' figures. A check compares a figure's median over the counted runs (or the ratio of
 * two medians) with a number. Checks without a `condition` are required:
 * - a required check that fails → not supported (which one, and what was observed);
 * - else a required check not measured → not measured (why);
 * - else every condition check holds → supported; a condition that fails or was not measured → supported with
 *   conditions (its condition text, and why where it was not measured).
 */

/** A figure over runs: every run's value (null where a run did not measure it), then the median and its interval over the measured ones. */
export function figureOver(unit: string, values: readonly (number | null)[]): EvaluationFigure {
  const present = values.filter((v): v is number => v !== null && Number.isFinite(v))
  return {
    unit,
    values: [...values],
    n: present.length,
    median: medianOf(present),
    min: present.length === 0 ? null : Math.min(...present),
    max: present.length === 0 ? null : Math.max(...present),
    ci: medianInterval(present, ciTargetLevel),
  }
}

/** `holds: "<= 0.001"` as a comparison. */
export function parseHolds(holds: string): { op: '<' | '<=' | '>' | '>=' | '=='; value: number } {
  const m = /^\s*(<=|>=|==|<|>)\s*(\S+)\s*$/.exec(holds)
  if (m === null) throw new Error(`not a comparison: ${holds}`)
  return { op: m[1] as '<' | '<=' | '>' | '>=' | '==', value: Number(m[2]) }
}

function compare(observed: number, holds: string): boolean {
  const { op, value } = parseHolds(holds)
  switch (op) {
    case '<':
      return observed < value
    case '<=':
      return observed <= value
    case '>':
      return observed > value
    case '>=':
      return observed >= value
    case '==':
      return observed === value
  }
}

/** Why a figure of an experiment has no median: the experiment was left out, or its runs did not measure it. */
function missing(e: EvaluationExperiment | undefined, id: string, figure: string): string {
  if (e === undefined) return `experiment ${id} did not run`
  if (e.status !== 'measured') return `${id}: ${e.reason ?? 'not run'}`
  const counted = e.runs.filter((r) => r.counted).length
  if (e.kind === 'run' && counted === 0) return `${id}: no run measured the system (${e.runs.map((r) => r.state ?? 'error').join(', ') || 'no runs'})`
  return `${id}: ${figure} was not measured by its ${e.kind === 'run' ? 'runs' : 'search'}`
}

/** One check against the experiments' figures. */
export function evaluateCheck(check: Check, experiments: ReadonlyMap<string, EvaluationExperiment>): EvaluationCheck {
  const base = { says: check.says, experiment: check.experiment, figure: check.figure, relative_to: check.relativeTo ?? null, holds: check.holds, condition: check.condition ?? null }
  const notMeasured = (reason: string): EvaluationCheck => ({ ...base, observed: null, outcome: 'not-measured', reason })
  const subject = experiments.get(check.experiment)
  const value = subject?.figures[check.figure]?.median ?? null
  if (value === null) return notMeasured(missing(subject, check.experiment, check.figure))
  let observed = value
  if (check.relativeTo !== undefined) {
    const reference = experiments.get(check.relativeTo.experiment)
    const against = reference?.figures[check.relativeTo.figure]?.median ?? null
    if (against === null) return notMeasured(missing(reference, check.relativeTo.experiment, check.relativeTo.figure))
    if (against === 0) return notMeasured(`${check.relativeTo.experiment}: ${check.relativeTo.figure} is 0, so the ratio is undefined`)
    observed = value / against
  }
  return { ...base, observed, outcome: compare(observed, check.holds) ? 'holds' : 'fails', reason: null }
}

const observedText = (c: EvaluationCheck): string => (c.observed === null ? 'n/a' : `${Number(c.observed.toPrecision(4))}${c.relative_to === null ? '' : '×'}`)

/** The verdict of a question from its checks' outcomes. */
export function questionVerdict(checks: readonly EvaluationCheck[]): { verdict: VerdictKind; text: string; conditions: string[] } {
  const required = checks.filter((c) => c.condition === null)
  const failed = required.filter((c) => c.outcome === 'fails')
  if (failed.length > 0) return { verdict: 'not-supported', text: `Not supported: ${failed.map((c) => `${c.says} (observed ${observedText(c)}, needed ${c.holds.trim()})`).join('; ')}.`, conditions: [] }
  const unmeasured = required.filter((c) => c.outcome === 'not-measured')
  if (unmeasured.length > 0) {
    const reasons = unmeasured.map((c) => `${c.says}: ${c.reason ?? 'not measured'}`)
    return { verdict: 'not-measured', text: `Not measured: ${reasons.join('; ')}.`, conditions: [] }
  }
  const conditions = checks.filter((c) => c.condition !== null && c.outcome !== 'holds').map((c) => (c.outcome === 'fails' ? `${c.condition ?? ''} (observed ${observedText(c)}, needed ${c.holds.trim()})` : `${c.condition ?? ''} (not measured: ${c.reason ?? 'no figure'})`))
  if (conditions.length === 0) return { verdict: 'supported', text: `Supported: ${required.map((c) => c.says).join('; ')}.`, conditions: [] }
  return { verdict: 'supported-with-conditions', text: `Supported with conditions: ${required.map((c) => c.says).join('; ')}; but ${conditions.join('; ')}.`, conditions }
}

/** Every question of the suite with its checks evaluated against the experiments so far. */
export function evaluateQuestions(questions: readonly Question[], experiments: readonly EvaluationExperiment[]): EvaluationQuestion[] {
  const byId = new Map(experiments.map((e) => [e.id, e]))
  return questions.map((q) => {
    const checks = q.checks.map((c) => evaluateCheck(c, byId))
    const { verdict, text, conditions } = questionVerdict(checks)
    return { id: q.id, title: q.title, question: q.question, claim: q.claim, experiments: q.experiments.map((e) => e.id), checks, verdict, verdict_text: text, conditions }
  })
}
