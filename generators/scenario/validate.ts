import { readFile } from 'node:fs/promises'
import type { z } from 'zod'
import { byPosition, dottedPath, type Issue } from './issues.ts'
import { allowedKeysAt } from './json-schema.ts'
import { applyOverride, parseOverride, type AppliedOverride } from './overrides.ts'
import { resolveScenario, type ResolvedScenario } from './resolved.ts'
import { runRules } from './rules.ts'
import { scenarioSchema, type ScenarioConfig } from './schema.ts'
import { applyTargetRate } from './target-rate.ts'
import { parseYamlText, yamlLocator, yamlToPlain } from './yaml-document.ts'
import { describeZodIssue, valueAt, type SchemaVocabulary } from './zod-issues.ts'

/** The outcome of validating a scenario: the resolved scenario, or every error found. Warnings either way. */
export type ValidationResult =
  | { ok: true; scenario: ResolvedScenario; warnings: Issue[] }
  | { ok: false; errors: Issue[]; warnings: Issue[] }

/** How many times the shape pass prunes invalid values to let the semantic rules see the rest. */
const MAX_REPAIR_ROUNDS = 6

const scenarioVocabulary: SchemaVocabulary = { allowedKeysAt, schemaFile: 'scenarios/scenario.schema.json' }

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
  const parsedYaml = parseYamlText(text, fileName)
  if (!parsedYaml.ok) return { ok: false, errors: parsedYaml.errors, warnings: [] }
  const { doc, lineCounter } = parsedYaml
  const overrides: AppliedOverride[] = []
  const overrideErrors: Issue[] = []
  for (const text of options.overrides ?? []) {
    const o = parseOverride(text)
    const applied = 'problem' in o ? o : applyOverride(doc, o)
    if ('owns' in applied) overrides.push({ flag: o.flag, owns: applied.owns })
    else overrideErrors.push({ file: fileName, line: 1, col: 1, flag: o.flag, path: o.path.join('.'), message: applied.problem, ...('hint' in o ? { hint: o.hint } : {}), severity: 'error' })
  }
  if (overrideErrors.length > 0) return { ok: false, errors: overrideErrors, warnings: [] }
  const plain = yamlToPlain(doc, lineCounter, fileName)
  if (!plain.ok) return { ok: false, errors: [plain.error], warnings: [] }
  const raw = plain.raw
  const errors: Issue[] = []
  const warnings: Issue[] = []
  const locator = yamlLocator(doc, lineCounter, fileName)
  const at = (path: readonly PropertyKey[], atKey = false) => {
    // The last override that covers the path set its value.
    const flag = overrides.findLast((o) => startsWith(path.map(String), o.owns))?.flag
    return { ...locator(path, atKey), ...(flag !== undefined ? { flag } : {}) }
  }

  const first = scenarioSchema.safeParse(raw)
  let parsed: ScenarioConfig | undefined = first.success ? first.data : undefined
  if (!first.success) {
    for (const issue of first.error.issues) errors.push(...describeZodIssue(issue, raw, at, scenarioVocabulary))
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

function deleteAt(root: unknown, path: readonly PropertyKey[]): void {
  const parent = valueAt(root, path.slice(0, -1))
  const key = path[path.length - 1]
  if (typeof parent !== 'object' || parent === null || key === undefined) return
  if (Array.isArray(parent) && typeof key === 'number') parent.splice(key, 1)
  else Reflect.deleteProperty(parent, key)
}

