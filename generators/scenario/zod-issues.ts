import type { z } from 'zod'
import { dottedPath, type Issue } from './issues.ts'
import { didYouMean } from './suggest.ts'
import type { Locator } from './yaml-document.ts'

/** Zod's findings in the words of a telcobench file (a scenario, an evaluation suite), whatever its schema. */

/** What the messages need to know of the file's schema: the keys allowed at a path, and the JSON Schema file to point at. */
export interface SchemaVocabulary {
  allowedKeysAt: (path: readonly PropertyKey[]) => string[]
  /** Repository path of the committed JSON Schema, e.g. `scenarios/scenario.schema.json`. */
  schemaFile: string
}

/** One zod finding in the project's words, located in the file (docs/style.md "Errors"); an unknown key may give several. */
export function describeZodIssue(issue: z.core.$ZodIssue, raw: unknown, at: Locator, vocabulary: SchemaVocabulary): Issue[] {
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
      return issue.keys.map((key) => base([...path, key], 'unknown key', didYouMean(key, vocabulary.allowedKeysAt(path), vocabulary.schemaFile), true))
    case 'invalid_union':
      if ('discriminator' in issue && typeof issue.discriminator === 'string') {
        const raw = (issue as { options?: unknown }).options
        const options = Array.isArray(raw) ? raw.map(String) : []
        const missing = value === undefined
        return [base(path, missing ? `missing "${issue.discriminator}"` : `unknown ${issue.discriminator} ${JSON.stringify(value)}`, didYouMean(String(value), options, vocabulary.schemaFile))]
      }
      return [base(path, `${describe(value)} matches none of the allowed forms`, `see ${vocabulary.schemaFile}`)]
    case 'invalid_value': {
      const options = issue.values.map(String)
      return [base(path, `${JSON.stringify(value)} is not allowed`, didYouMean(String(value), options, vocabulary.schemaFile))]
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

/** The value at a path of plain data, undefined where the path leaves it. */
export function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let node = root
  for (const seg of path) {
    if (typeof node !== 'object' || node === null) return undefined
    node = (node as Record<PropertyKey, unknown>)[seg]
  }
  return node
}

function describe(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'a list'
  if (typeof value === 'object') return 'a mapping'
  if (typeof value === 'string') return JSON.stringify(value)
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  return typeof value
}
