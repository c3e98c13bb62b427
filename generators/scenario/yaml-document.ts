import { LineCounter, parseDocument, visit, type Document } from 'yaml'
import type { Issue } from './issues.ts'
import { locate, type Position } from './locate.ts'
import { describeYamlErrors } from './yaml-errors.ts'

/**
 * The YAML half of validating any telcobench file (a scenario, an evaluation suite): the syntax pass with errors
 * placed where they are fixed, the plain value with a cap on alias expansion, and the locator that turns a path
 * into `file:line:col`. What the file means is the caller's (its zod schema and rules).
 */

/** Most values YAML aliases may expand to: a few `&anchor`/`*anchor` pairs are fine, a nested "alias bomb" is not. */
export const MAX_ALIAS_COUNT = 100

/** A parsed YAML file, or its syntax errors as issues. */
export type ParsedYaml = { ok: true; doc: Document; lineCounter: LineCounter } | { ok: false; errors: Issue[] }

/** Where a path of the file is, as an issue's position: the value (or its key with `atKey`), else the nearest ancestor. */
export type Locator = (path: readonly PropertyKey[], atKey?: boolean) => { file: string; line: number; col: number }

/** Parses YAML text; duplicate keys and every syntax error become issues at their place. */
export function parseYamlText(text: string, fileName: string): ParsedYaml {
  const lineCounter = new LineCounter()
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true })
  if (doc.errors.length === 0) return { ok: true, doc, lineCounter }
  const errors = describeYamlErrors(text, doc.errors).map((p): Issue => ({ file: fileName, ...lineCounter.linePos(p.offset), path: '', message: p.message, hint: p.hint, severity: 'error' }))
  return { ok: false, errors }
}

/** The document as plain values, or an issue at the first alias when the aliases expand past {@link MAX_ALIAS_COUNT}. */
export function yamlToPlain(doc: Document, lineCounter: LineCounter, fileName: string): { ok: true; raw: unknown } | { ok: false; error: Issue } {
  try {
    return { ok: true, raw: doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) }
  } catch (error) {
    if (!(error instanceof ReferenceError)) throw error
    return { ok: false, error: aliasBomb(doc, lineCounter, fileName) }
  }
}

/** The locator of a parsed document. */
export function yamlLocator(doc: Document, lineCounter: LineCounter, fileName: string): Locator {
  return (path, atKey = false) => ({ file: fileName, ...locate(doc, lineCounter, path, atKey) })
}

function aliasBomb(doc: Document, lineCounter: LineCounter, fileName: string): Issue {
  let where: Position = { line: 1, col: 1 }
  visit(doc, {
    Alias(_, node) {
      if (node.range) where = lineCounter.linePos(node.range[0])
      return visit.BREAK
    },
  })
  return {
    file: fileName,
    line: where.line,
    col: where.col,
    path: '',
    message: `YAML: too many YAML aliases: the *references expand to more than ${MAX_ALIAS_COUNT} values (an "alias bomb")`,
    hint: 'write the values out, or refer to each &anchor only a few times',
    severity: 'error',
  }
}
