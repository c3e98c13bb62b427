import { existsSync, readFileSync } from 'node:fs'
import { dirname, isAbsolute, join, relative } from 'node:path'
import { allowedKeysIn, byPosition, describeZodIssue, dottedPath, formatIssue, parseYamlText, validateScenarioText, yamlLocator, yamlToPlain, type Issue, type Locator, type SchemaVocabulary } from '../../generators/index.ts'
import { configurations, parseSlo, parseVary } from '../capacity/index.ts'
import { TelcobenchError } from '../errors.ts'
import { formatMinutes, suiteEstimate } from './estimate.ts'
import { figureExamples, isFigureOf } from './figures.ts'
import { experimentsOf, overlaid, repeatsAt, type PlannedExperiment } from './plan.ts'
import { suiteJsonSchema, suiteSchema, suiteSizes, type Suite, type SuiteSize } from './suite-schema.ts'

/**
 * Validating a suite file as scenarios are validated (docs/style.md "Errors"): YAML syntax, the zod shape, the
 * suite's rules (ids, references, figures, the capacity settings), then each experiment resolved at both sizes:
 * its scenario validated with its `--set` overrides, a problem of the scenario placed at the experiment's line.
 */

/** The outcome: the suite and its experiments at each size, or every error found. Warnings either way. */
export type SuiteValidation =
  | { ok: true; suite: Suite; plans: Record<SuiteSize, PlannedExperiment[]>; warnings: Issue[] }
  | { ok: false; errors: Issue[]; warnings: Issue[] }

let cachedJsonSchema: Record<string, unknown> | undefined
const vocabulary: SchemaVocabulary = {
  allowedKeysAt: (path) => allowedKeysIn((cachedJsonSchema ??= suiteJsonSchema()), path),
  schemaFile: 'suites/suite.schema.json',
}

/** Reads and validates a suite file; an unreadable file is an error issue. */
export function validateSuiteFile(path: string): SuiteValidation {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (cause) {
    return { ok: false, errors: [{ file: path, line: 1, col: 1, path: '', message: `cannot read the suite file: ${cause instanceof Error ? cause.message : String(cause)}`, hint: 'check the path; the paper\'s suite is suites/paper.yaml', severity: 'error' }], warnings: [] }
  }
  return validateSuiteText(text, path)
}

/** Validates suite YAML text named `fileName` (scenario paths resolve from its folder). Never throws for bad input. */
export function validateSuiteText(text: string, fileName: string): SuiteValidation {
  const parsed = parseYamlText(text, fileName)
  if (!parsed.ok) return { ok: false, errors: parsed.errors, warnings: [] }
  const plain = yamlToPlain(parsed.doc, parsed.lineCounter, fileName)
  if (!plain.ok) return { ok: false, errors: [plain.error], warnings: [] }
  const at = yamlLocator(parsed.doc, parsed.lineCounter, fileName)
  const shape = suiteSchema.safeParse(plain.raw)
  if (!shape.success) {
    const errors = shape.error.issues.flatMap((issue) => describeZodIssue(issue, plain.raw, at, vocabulary)).sort(byPosition)
    return { ok: false, errors, warnings: [] }
  }
  const suite = shape.data
  const errors = suiteRules(suite, at)
  const warnings: Issue[] = []
  if (errors.length > 0) return { ok: false, errors: errors.sort(byPosition), warnings }
  const plans = { quick: [] as PlannedExperiment[], full: [] as PlannedExperiment[] }
  for (const size of suiteSizes) {
    for (const entry of experimentsOf(suite)) {
      const planned = resolveExperiment(suite, entry, size, fileName, at, errors, warnings)
      if (planned !== null) plans[size].push(planned)
    }
    const budget = suite.sizes[size].budgetMinutes
    const estimateS = suiteEstimate(plans[size], 'local').seconds
    if (errors.length === 0 && budget !== undefined && estimateS > budget * 60) {
      const where = ['sizes', size, 'budgetMinutes']
      warnings.push({ ...at(where), path: dottedPath(where), message: `the ${size} size is estimated at up to ${formatMinutes(estimateS)} on the local runtime, above its budget of ${budget} min`, hint: 'shorten its scenarios (quick: set), lower its repeats or tighten its capacity searches (maxRate, resolution)', severity: 'warning' })
    }
  }
  if (errors.length > 0) return { ok: false, errors: uniqueIssues(errors).sort(byPosition), warnings: uniqueIssues(warnings) }
  return { ok: true, suite, plans, warnings: uniqueIssues(warnings).sort(byPosition) }
}

/** Reads a suite for `reproduce`: its plans, or a TB_SCENARIO_INVALID error listing every issue (exit 2). */
export function loadSuite(path: string): Extract<SuiteValidation, { ok: true }> {
  const v = validateSuiteFile(path)
  if (v.ok) return v
  throw new TelcobenchError('TB_SCENARIO_INVALID', `the suite file ${path} is invalid:\n${v.errors.map(formatIssue).join('\n')}`, { fix: 'fix each line above (suites/suite.schema.json has the format; docs/reproducing-the-paper.md explains it)' })
}

function uniqueIssues(issues: Issue[]): Issue[] {
  const seen = new Set<string>()
  return issues.filter((i) => {
    const key = `${i.line}:${i.col}:${i.message}`
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}

/** The named rules of a suite file, each an error at the value it is about. */
function suiteRules(suite: Suite, at: Locator): Issue[] {
  const errors: Issue[] = []
  const error = (path: (string | number)[], message: string, hint?: string): void => {
    errors.push({ ...at(path), path: dottedPath(path), message, ...(hint === undefined ? {} : { hint }), severity: 'error' })
  }
  const all = experimentsOf(suite)
  const byId = new Map<string, { index: number; kind: 'run' | 'capacity'; figures: string[] }>()
  const questionIds = new Set<string>()
  suite.questions.forEach((q, qi) => {
    if (questionIds.has(q.id)) error(['questions', qi, 'id'], `question ${q.id} is listed twice`, 'give each question its own id')
    questionIds.add(q.id)
  })
  all.forEach(({ experiment: e, path }, index) => {
    if (byId.has(e.id)) error([...path, 'id'], `experiment id "${e.id}" is used twice`, 'ids are unique across the whole suite: rename one')
    else byId.set(e.id, { index, kind: e.kind, figures: e.figures })
    e.figures.forEach((f, fi) => {
      if (!isFigureOf(e.kind, f)) error([...path, 'figures', fi], `"${f}" is not a figure a ${e.kind} experiment gives`, `e.g. ${figureExamples(e.kind)}`)
    })
    if (e.kind === 'capacity') {
      for (const key of ['repeats', 'batch', 'atCapacity'] as const) if (e[key] !== undefined) error([...path, key], `a capacity experiment has no ${key}`, key === 'repeats' ? 'set capacity.repeat: the runs per point' : `remove ${key}`)
      const c = e.capacity
      if (c === undefined) error([...path, 'kind'], 'a capacity experiment needs its search settings', 'add capacity: { slo: [\'rated p99<3000\'], startRate: 1000, maxRate: 8000 }')
      else {
        if (c.slo === undefined) error([...path, 'capacity'], 'a capacity search needs at least one SLO', "add slo: ['rated p99<3000']")
        for (const key of ['startRate', 'maxRate'] as const) if (c[key] === undefined) error([...path, 'capacity'], `capacity.${key} is missing: without it the search's duration has no bound to estimate`, `add ${key}: e.g. ${key === 'startRate' ? 1000 : 8000}`)
      }
    } else if (e.capacity !== undefined || e.quick?.capacity !== undefined || e.full?.capacity !== undefined) {
      error([...path, e.capacity !== undefined ? 'capacity' : e.quick?.capacity !== undefined ? 'quick' : 'full'], 'capacity settings belong to capacity experiments', 'remove them, or make the experiment kind: capacity')
    }
    if (e.atCapacity !== undefined) {
      const target = byId.get(e.atCapacity.experiment)
      if (target === undefined) error([...path, 'atCapacity', 'experiment'], `no earlier experiment "${e.atCapacity.experiment}"`, 'name a capacity experiment listed before this one (experiments run in the order of the file)')
      else if (target.kind !== 'capacity') error([...path, 'atCapacity', 'experiment'], `"${e.atCapacity.experiment}" is a ${target.kind} experiment, not a capacity search`, 'name a kind: capacity experiment')
    }
  })
  suite.questions.forEach((q, qi) => {
    if (q.checks.every((c) => c.condition !== undefined)) error(['questions', qi, 'checks'], `every check of ${q.id} is a condition: nothing decides whether the claim is supported`, 'drop `condition` from the check that carries the claim')
    q.checks.forEach((c, ci) => {
      const path = ['questions', qi, 'checks', ci]
      const refs: [string, string, (string | number)[]][] = [[c.experiment, c.figure, [...path]]]
      if (c.relativeTo !== undefined) refs.push([c.relativeTo.experiment, c.relativeTo.figure, [...path, 'relativeTo']])
      for (const [id, figure, where] of refs) {
        const target = byId.get(id)
        if (target === undefined) {
          error([...where, 'experiment'], `no experiment "${id}" in this suite`, `one of: ${[...byId.keys()].join(', ')}`)
          continue
        }
        if (!target.figures.includes(figure)) error([...where, 'figure'], `experiment "${id}" does not list the figure "${figure}"`, `add it to that experiment's figures, or check one of: ${target.figures.join(', ')}`)
      }
    })
  })
  return errors
}

/** One experiment at one size: its scenario validated with its overrides, the capacity flags parsed; errors pushed. */
function resolveExperiment(suite: Suite, entry: ReturnType<typeof experimentsOf>[number], size: SuiteSize, fileName: string, at: Locator, errors: Issue[], warnings: Issue[]): PlannedExperiment | null {
  const { experiment: e, path, question } = entry
  const o = overlaid(e, size)
  const error = (where: (string | number)[], message: string, hint?: string): void => {
    errors.push({ ...at(where), path: dottedPath(where), message, ...(hint === undefined ? {} : { hint }), severity: 'error' })
  }
  const scenarioPath = isAbsolute(e.scenario) ? e.scenario : relative(process.cwd(), join(dirname(fileName), e.scenario)) || e.scenario
  if (!existsSync(scenarioPath)) {
    error([...path, 'scenario'], `scenario file ${scenarioPath} does not exist`, 'scenario paths are relative to the suite file, e.g. ../scenarios/quickstart.yaml')
    return null
  }
  const overrides = [...o.set]
  const ownSet = e.set.length
  const setPath = (index: number): (string | number)[] => (index < ownSet ? [...path, 'set', index] : [...path, size, 'set', index - ownSet])
  for (const [index, override] of overrides.entries()) {
    if (override.indexOf('=') <= 0) error(setPath(index), `"${override}" is not key=value`, 'e.g. duration=30m')
  }
  const result = validateScenarioText(readFileSync(scenarioPath, 'utf8'), scenarioPath, { overrides })
  if (!result.ok) {
    for (const issue of result.errors) {
      const index = issue.flag === undefined ? -1 : overrides.findIndex((s) => `--set ${s}` === issue.flag)
      const where = index >= 0 ? setPath(index) : [...path, 'scenario']
      error(where, `${size}: scenario ${issue.flag === undefined ? `${issue.file}:${issue.line}:${issue.col}` : issue.flag} ${issue.path === '' ? '' : `${issue.path} `}${issue.message}`, issue.hint)
    }
    return null
  }
  for (const w of result.warnings) {
    const index = w.flag === undefined ? -1 : overrides.findIndex((s) => `--set ${s}` === w.flag)
    const where = index >= 0 ? setPath(index) : [...path, 'scenario']
    warnings.push({ ...at(where), path: dottedPath(where), message: `scenario ${w.flag ?? `${w.file}:${w.line}:${w.col}`} ${w.path} ${w.message}`, ...(w.hint === undefined ? {} : { hint: w.hint }), severity: 'warning' })
  }
  const scenario = result.scenario
  let configs = 1
  if (e.kind === 'capacity' && o.capacity !== undefined) {
    try {
      for (const slo of o.capacity.slo ?? []) parseSlo(slo)
      configs = configurations(parseVary(o.capacity.vary ?? [])).length
    } catch (problem) {
      if (!(problem instanceof TelcobenchError)) throw problem
      error([...path, o.capacity === e.capacity ? 'capacity' : size], `${size}: ${problem.message}`, problem.fix)
      return null
    }
    if ((o.capacity.startRate ?? 0) > (o.capacity.maxRate ?? Infinity)) error([...path, 'capacity'], `${size}: startRate ${o.capacity.startRate ?? 0} is above maxRate ${o.capacity.maxRate ?? 0}`, 'lower startRate or raise maxRate')
  }
  return {
    question,
    id: e.id,
    title: e.title,
    kind: e.kind,
    scenarioFile: e.scenario,
    scenarioPath,
    scenarioName: scenario.name,
    overrides,
    ...(e.engine !== undefined ? { engine: e.engine } : {}),
    ...(e.guarantee !== undefined ? { guarantee: e.guarantee } : {}),
    batch: e.kind === 'run' && (e.batch ?? true),
    repeats: e.kind === 'run' ? repeatsAt(suite, e, size) : 1,
    capacity: e.kind === 'capacity' ? (o.capacity ?? null) : null,
    atCapacity: e.atCapacity ?? null,
    requires: e.requires,
    figures: e.figures,
    skip: o.skip,
    loadWallS: e.kind === 'capacity' ? (o.capacity?.load ?? 40) : scenario.wallDurationS,
    configurations: configs,
  }
}
