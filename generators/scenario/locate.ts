import { isMap, isNode, isPair, isScalar, type Document, type LineCounter } from 'yaml'

/** 1-based position in a file. */
export interface Position {
  line: number
  col: number
}

/**
 * Finds where a path points in a YAML document: the value node if it exists, else the nearest existing
 * ancestor. With `atKey`, points at the key of the last segment (for unknown-key reports).
 */
export function locate(doc: Document, lineCounter: LineCounter, path: readonly PropertyKey[], atKey = false): Position {
  const segments = path.map((p) => (typeof p === 'symbol' ? String(p) : p))
  if (atKey && segments.length > 0) {
    const parent = doc.getIn(segments.slice(0, -1), true)
    const key = segments[segments.length - 1]
    if (isMap(parent)) {
      const pair = parent.items.find((item) => isPair(item) && isScalar(item.key) && item.key.value === key)
      if (pair !== undefined && isNode(pair.key) && pair.key.range) return toPosition(lineCounter, pair.key.range[0])
    }
  }
  for (let n = segments.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(segments.slice(0, n), true)
    if (isNode(node) && node.range) return toPosition(lineCounter, node.range[0])
  }
  return { line: 1, col: 1 }
}

function toPosition(lineCounter: LineCounter, offset: number): Position {
  const pos = lineCounter.linePos(offset)
  return { line: pos.line, col: pos.col }
}
