import { readFile } from 'node:fs/promises'
import { LineCounter, parseDocument, type Document } from 'yaml'
import type { z } from 'zod'
import { byPosition, dottedPath, type Issue } from './issues.ts'
import { allowedKeysAt } from './json-schema.ts'
import { locate } from './locate.ts'
import { resolveScenario, type ResolvedScenario } from './resolved.ts'
import { runRules } from './rules.ts'
import { scenarioSchema, type ScenarioConfig } from './schema.ts'
import { applyTargetRate } from './target-rate.ts'
import { didYouMean } from './suggest.ts'

/** The outcome of validating a scenario: the resolved scenario, or every error found. Warnings either way. */
export type ValidationResult =
  | { ok: true; scenario: ResolvedScenario; warnings: Issue[] }
  | { ok: false; errors: Issue[]; warnings: Issue[] }

/** How many times the shape pass prunes invalid values to let the semantic rules see the rest. */
const MAX_REPAIR_ROUNDS = 6

/** Reads and validates a scenario file. A missing or unreadable file is reported as an error issue. */
export async function validateScenarioFile(path: string): Promise<ValidationResult> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause)
    return { ok: false, errors: [{ file: path, line: 1, col: 1, path: '', message: `cannot read the scenario file: ${reason}`, severity: 'error' }], warnings: [] }
  }
  return validateScenarioText(text, path)
}

/**
 * Validates scenario YAML text: YAML syntax, then the zod shape pass, then the named semantic rules.
 * Reports all problems at once, sorted by position. Never throws for invalid input.
 */
export function validateScenarioText(text: string, fileName: string): ValidationResult {
  const lineCounter = new LineCounter()
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true })
  if (doc.errors.length > 0) {
    const errors = doc.errors.map((e): Issue => {
      const pos = e.linePos?.[0] ?? { line: 1, col: 1 }
      return { file: fileName, line: pos.line, col: pos.col, path: '', message: `YAML: ${e.message.split('\n')[0] ?? e.code}`, severity: 'error' }
    })
    return { ok: false, errors, warnings: [] }
  }
  const raw: unknown = doc.toJS()
  const errors: Issue[] = []
  const warnings: Issue[] = []
  const at = (path: readonly PropertyKey[], atKey = false) => ({ file: fileName, ...locate(doc, lineCounter, path, atKey) })

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
    case 'invalid_type':
      if (value === undefined) return [base(path, 'required key is missing', `add ${String(path[path.length - 1] ?? 'it')}`, true)]
      return [base(path, `expected ${issue.expected}, got ${describe(value)}`)]
    case 'invalid_format':
      return [base(path, `${describe(value)}: ${issue.message}`)]
    default:
      return [base(path, issue.message)]
  }
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
  if (typeof value === 'number' || typeof value === 'boolean') return `${typeof value} ${value}`
  return typeof value
}
