import { isCollection, isSeq, parseDocument, type Document } from 'yaml'

/** One `--set path=value` from the command line. */
export interface Override {
  /** As typed, e.g. `--set duration=30m`; names the flag in every message about it. */
  flag: string
  path: string[]
  value: unknown
}

/** An override applied to a document, with the part of the scenario whose problems are its own. */
export interface AppliedOverride {
  flag: string
  owns: string[]
}

/** Parses `key=value` (the key a dotted path into the scenario, the value read as YAML); returns a problem text when it is neither. */
export function parseOverride(text: string): Override | { flag: string; path: string[]; problem: string; hint: string } {
  const flag = `--set ${text}`
  const eq = text.indexOf('=')
  const path = text.slice(0, Math.max(eq, 0)).split('.')
  if (eq <= 0 || path.some((segment) => segment.trim() === '')) {
    return { flag, path: [], problem: 'is not key=value', hint: 'write e.g. --set duration=30m or --set population.subscribers=2000' }
  }
  const valueDoc = parseDocument(text.slice(eq + 1), { prettyErrors: false })
  const error = valueDoc.errors[0]
  if (error !== undefined) return { flag, path, problem: `the value is not YAML: ${error.message.split('\n')[0] ?? error.code}`, hint: 'write a YAML value: a number, a word, "quoted text", [a, b] or { key: value }' }
  return { flag, path, value: valueDoc.toJS() as unknown }
}

/**
 * Sets the override's value in the document. Returns the part of the path the override owns: the path itself,
 * or the first mapping on it that the file did not have (the override created it); or a problem text when the
 * path runs through a single value.
 */
export function applyOverride(doc: Document, o: Override): { owns: string[] } | { problem: string } {
  if (o.path.length > 0 && doc.contents !== null && !isCollection(doc.contents)) return { problem: 'the scenario file is not a mapping' }
  let owns = o.path
  for (let n = 1; n < o.path.length; n++) {
    const parent = o.path.slice(0, n).join('.')
    const node = doc.getIn(o.path.slice(0, n), true)
    if (node === undefined) {
      owns = o.path.slice(0, n)
      break
    }
    if (!isCollection(node)) return { problem: `${parent} is a single value, so ${o.path.join('.')} cannot be set` }
    if (isSeq(node) && !/^\d+$/.test(o.path[n] ?? '')) return { problem: `${parent} is a list: name an item by its index, e.g. ${parent}.0` }
  }
  try {
    doc.setIn(o.path, o.value)
  } catch (error) {
    return { problem: `${o.path.join('.')} cannot be set: ${error instanceof Error ? error.message : String(error)}` }
  }
  return { owns }
}
