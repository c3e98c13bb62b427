import { readFile } from 'node:fs/promises'
import { LineCounter, parseDocument, visit, type Document } from 'yaml'
import type { z } from 'zod'
import { byPosition, dottedPath, type Issue } from './issues.ts'
import { allowedKeysAt } from './json-schema.ts'
import { locate, type Position } from './locate.ts'
import { applyOverride, parseOverride, type AppliedOverride } from './overrides.ts'
import { resolveScenario, type ResolvedScenario } from './resolved.ts'
import { runRules } from './rules.ts'
import { describeYamlErrors } from './yaml-errors.ts'
import { scenarioSchema, type ScenarioConfig } from './schema.ts'
import { applyTargetRate } from './target-rate.ts'
import { didYouMean } from './suggest.ts'

/** The outcome of validating a scenario: the resolved scenario, or every error found. Warnings either way. */
export type ValidationResult =
  | { ok: true; scenario: ResolvedScenario; warnings: Issue[] }
  | { ok: false; errors: Issue[]; warnings: Issue[] }

/** How many times the shape pass prunes invalid values to let the semantic rules see the rest. */
const MAX_REPAIR_ROUNDS = 6
/** Most values YAML aliases may expand to: a few `&anchor`/`*anchor` pairs are fine, a nested "alias bomb" is not. */
const MAX_ALIAS_COUNT = 100

export interface ValidateOptions {
  /** `key=value` overrides (`--set`), applied to the file's values before the checks. */
  overrides?: readonly string[]
}

/** Reads and validates a scenario file. A missing or unreadable file is reported as an error issue. */
export async function validateScenarioFile(path: string, options: ValidateOptions = {}): Promise<ValidationResult> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause)
    return { ok: false, errors: [{ file: path, line: 1, col: 1, path: '', message: `cannot read the scenario file: ${reason}`, hint: 'check the path', severity: 'error' }], warnings: [] }
  }
  return validateScenarioText(text, path, options)
}

/**
 * Validates scenario YAML text: YAML syntax, the `--set` overrides, then the zod shape pass, then the named
 * semantic rules (thresholds included: `run` checks nothing more). Reports all problems at once, sorted by
 * position. Never throws for invalid input.
 */
export function validateScenarioText(text: string, fileName: string, options: ValidateOptions = {}): ValidationResult {
  const lineCounter = new LineCounter()
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true })
  const position = (offset: number): Position => {
    const { line, col } = lineCounter.linePos(offset)
    return { line, col }
  }
  if (doc.errors.length > 0) {
    const errors = describeYamlErrors(text, doc.errors).map((p): Issue => ({ file: fileName, ...position(p.offset), path: '', message: p.message, hint: p.hint, severity: 'error' }))
    return { ok: false, errors, warnings: [] }
  }
  const overrides: AppliedOverride[] = []
  const overrideErrors: Issue[] = []
  for (const text of options.overrides ?? []) {
    const o = parseOverride(text)
    const applied = 'problem' in o ? o : applyOverride(doc, o)
    if ('owns' in applied) overrides.push({ flag: o.flag, owns: applied.owns })
    else overrideErrors.push({ file: fileName, line: 1, col: 1, flag: o.flag, path: o.path.join('.'), message: applied.problem, ...('hint' in o ? { hint: o.hint } : {}), severity: 'error' })
  }
  if (overrideErrors.length > 0) return { ok: false, errors: overrideErrors, warnings: [] }
  let raw: unknown
  try {
    raw = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT })
  } catch (error) {
    if (!(error instanceof ReferenceError)) throw error
    return { ok: false, errors: [aliasBomb(doc, fileName, position)], warnings: [] }
  }
  const errors: Issue[] = []
  const warnings: Issue[] = []
  const at = (path: readonly PropertyKey[], atKey = false) => {
    // The last override that covers the path set its value.
    const flag = overrides.findLast((o) => startsWith(path.map(String), o.owns))?.flag
    return { file: fileName, ...locate(doc, lineCounter, path, atKey), ...(flag !== undefined ? { flag } : {}) }
  }

  const first = scenarioSchema.safeParse(raw)
  let parsed: ScenarioConfig | undefined = first.success ? first.data : undefined
  if (!first.success) {
    for (const issue of first.error.issues) errors.push(...describeZodIssue(issue, raw, doc, at))
    parsed = repairAndParse(raw, first.error.issues)
  }
  if (parsed !== undefined) {
    const paced = applyTargetRate(parsed, typeof raw === 'object' && raw !== null && 'timeCompression' in raw)
    parsed = paced.scenario
    for (const finding of [...paced.findings, ...runRules(parsed)]) {
      const issue: Issue = { ...at(finding.path, finding.atKey === true), path: dottedPath(finding.path), message: finding.message, severity: finding.severity }
      if (finding.hint !== undefined) issue.hint = finding.hint
      if (finding.severity === 'error') errors.push(issue)
      else warnings.push(issue)
    }
  }
  errors.sort(byPosition)
  warnings.sort(byPosition)
  if (errors.length > 0 || parsed === undefined) return { ok: false, errors, warnings }
  return { ok: true, scenario: resolveScenario(parsed, fileName), warnings }
}

/** The first alias of a document whose aliases expand past {@link MAX_ALIAS_COUNT}: an exit-2 problem, not a crash. */
function aliasBomb(doc: Document, fileName: string, position: (offset: number) => Position): Issue {
  let where: Position = { line: 1, col: 1 }
  visit(doc, {
    Alias(_, node) {
      if (node.range) where = position(node.range[0])
      return visit.BREAK
    },
  })
  return {
    file: fileName,
    ...where,
    path: '',
    message: `YAML: too many YAML aliases: the *references expand to more than ${MAX_ALIAS_COUNT} values (an "alias bomb")`,
    hint: 'write the values out, or refer to each &anchor only a few times',
    severity: 'error',
  }
}

type Locator = (path: readonly PropertyKey[], atKey?: boolean) => { file: string; line: number; col: number }

function describeZodIssue(issue: z.core.$ZodIssue, raw: unknown, _doc: Document, at: Locator): Issue[] {
  const path = issue.path
  const value = valueAt(raw, path)
  const base = (p: readonly PropertyKey[], message: string, hint?: string, atKey = false): Issue => ({
    ...at(p, atKey),
    path: dottedPath(p),
    message,
    ...(hint === undefined ? {} : { hint }),
    severity: 'error',
  })
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((key) => base([...path, key], 'unknown key', didYouMean(key, allowedKeysAt(path)), true))
    case 'invalid_union':
      if ('discriminator' in issue && typeof issue.discriminator === 'string') {
        const raw = (issue as { options?: unknown }).options
        const options = Array.isArray(raw) ? raw.map(String) : []
        const missing = value === undefined
        return [base(path, missing ? `missing "${issue.discriminator}"` : `unknown ${issue.discriminator} ${JSON.stringify(value)}`, didYouMean(String(value), options))]
      }
      return [base(path, `${describe(value)} matches none of the allowed forms`, 'see scenarios/scenario.schema.json')]
    case 'invalid_value': {
      const options = issue.values.map(String)
      return [base(path, `${JSON.stringify(value)} is not allowed`, didYouMean(String(value), options))]
    }
    case 'invalid_type': {
      if (value === undefined) return [base(path, 'required key is missing', `add ${String(path[path.length - 1] ?? 'it')}`, true)]
      const expected = expectedType(issue.expected)
      return [base(path, `expected ${expected.what}, got ${describe(value)}`, expected.hint)]
    }
    case 'too_small':
    case 'too_big':
      // A bound the schema words itself (`.max(n, { error })`) keeps its words; zod's own are reworded.
      return [zodWording.test(issue.message) ? base(path, ...outOfRange(issue, value)) : base(path, issue.message)]
    case 'invalid_format':
      if (issue.format === 'regex') return [base(path, `${describe(value)}: ${issue.message}`)]
      return [base(path, `${describe(value)} is not ${formatName(issue.format)}`, formatExample(issue.format))]
    case 'invalid_key': {
      const inner = issue.issues[0]
      const reason = inner?.code === 'invalid_format' && inner.format === 'regex' ? inner.message : 'not a valid name here'
      return [base(path, `key ${JSON.stringify(String(path[path.length - 1]))}: ${reason}`, 'rename the key', true)]
    }
    default:
      return [base(path, issue.message)]
  }
}

/** The start of zod's own (English) messages, as opposed to those the schema gives. */
const zodWording = /^(Too (big|small)|Invalid)\b/

/** Zod's type names in the words of the scenario file, with an example. */
function expectedType(expected: string): { what: string; hint?: string } {
  switch (expected) {
    case 'int':
      return { what: 'a whole number', hint: 'e.g. 3' }
    case 'number':
      return { what: 'a number', hint: 'e.g. 0.5 or 120' }
    case 'string':
      return { what: 'text', hint: 'quote it if it looks like a number, e.g. "10m"' }
    case 'boolean':
      return { what: 'true or false' }
    case 'object':
    case 'record':
      return { what: 'a mapping of keys to values', hint: 'indent the keys under it, or write { key: value }' }
    case 'array':
    case 'tuple':
      return { what: 'a list', hint: 'write [a, b] or one "- item" per line' }
    default:
      return { what: expected }
  }
}

/** A number, a list or a text outside its bounds, as message and hint. */
function outOfRange(issue: z.core.$ZodIssueTooSmall | z.core.$ZodIssueTooBig, value: unknown): [string, string] {
  const small = issue.code === 'too_small'
  const bound = Number(small ? issue.minimum : issue.maximum)
  const inclusive = issue.inclusive !== false
  switch (issue.origin) {
    case 'array':
    case 'set': {
      const count = Array.isArray(value) ? value.length : 0
      const items = (n: number): string => `${n} item${n === 1 ? '' : 's'}`
      if (issue.exact === true) return [`the list has ${items(count)}; it needs exactly ${items(bound)}`, `give exactly ${items(bound)}`]
      return [`the list has ${items(count)}; it needs ${small ? 'at least' : 'at most'} ${items(bound)}`, small ? 'add items' : 'remove items']
    }
    case 'string':
      return [small ? (bound <= 1 ? 'the text is empty' : `the text is shorter than ${bound} characters`) : `the text is longer than ${bound} characters`, small ? 'write it out' : 'shorten it']
    default: {
      const sign = small ? (inclusive ? '≥' : '>') : inclusive ? '≤' : '<'
      return [`${describe(value)} is too ${small ? 'small' : 'large'}: it must be ${sign} ${bound}`, `use a value ${sign} ${bound}`]
    }
  }
}

function formatName(format: string): string {
  return format === 'datetime' ? 'an ISO 8601 date-time with a time zone' : `a valid ${format}`
}

function formatExample(format: string): string | undefined {
  return format === 'datetime' ? 'e.g. "2026-01-06T17:00:00Z"' : undefined
}

/** Prunes invalid values (defaults then apply) until the shape parses, so the semantic rules can still run. */
function repairAndParse(raw: unknown, issues: readonly z.core.$ZodIssue[]): ScenarioConfig | undefined {
  let candidate: unknown = structuredClone(raw)
  let current = issues
  const pruned: PropertyKey[][] = []
  for (let round = 0; round < MAX_REPAIR_ROUNDS; round++) {
    for (const issue of current) {
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys) deleteAt(candidate, [...issue.path, key])
        continue
      }
      // A value deleted once that still fails (a required key): prune its parent entry instead.
      const seen = pruned.some((p) => startsWith(issue.path, p))
      const target = seen ? issue.path.slice(0, -1) : issue.path
      if (target.length === 0) return undefined
      deleteAt(candidate, target)
      pruned.push([...target])
    }
    const retry = scenarioSchema.safeParse(candidate)
    if (retry.success) return retry.data
    current = retry.error.issues
    candidate = structuredClone(candidate)
  }
  return undefined
}

function startsWith(path: readonly PropertyKey[], prefix: readonly PropertyKey[]): boolean {
  return prefix.length <= path.length && prefix.every((p, i) => path[i] === p)
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let node = root
  for (const seg of path) {
    if (typeof node !== 'object' || node === null) return undefined
    node = (node as Record<PropertyKey, unknown>)[seg]
  }
  return node
}

function deleteAt(root: unknown, path: readonly PropertyKey[]): void {
  const parent = valueAt(root, path.slice(0, -1))
  const key = path[path.length - 1]
  if (typeof parent !== 'object' || parent === null || key === undefined) return
  if (Array.isArray(parent) && typeof key === 'number') parent.splice(key, 1)
  else Reflect.deleteProperty(parent, key)
}

function describe(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'a list'
  if (typeof value === 'object') return 'a mapping'
  if (typeof value === 'string') return JSON.stringify(value)
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  return typeof value
}
