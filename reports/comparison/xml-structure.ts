/**
 * A strict reader of the XML subset a JUnit report uses (declaration, elements, attributes, text, the five
 * predefined entities and character references), for tests: it refuses anything not well-formed, and returns the
 * element tree. No XML parser is among the project's dependencies; this one checks what the tests need.
 */
export interface XmlElement {
  name: string
  attributes: Record<string, string>
  children: XmlElement[]
  text: string
}

const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }

function decode(raw: string, where: string): string {
  if (/<|&(?!(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/.test(raw)) throw new Error(`unescaped < or & in ${where}: ${raw}`)
  return raw.replace(/&(#x[0-9a-fA-F]+|#\d+|\w+);/g, (_, ref: string) => (ref.startsWith('#x') ? String.fromCodePoint(parseInt(ref.slice(2), 16)) : ref.startsWith('#') ? String.fromCodePoint(Number(ref.slice(1))) : (entities[ref] ?? '')))
}

const name = String.raw`[A-Za-z_][\w.-]*`

export function parseXml(text: string): XmlElement {
  const declaration = /^<\?xml version="1\.0" encoding="UTF-8"\?>\n/.exec(text)
  if (declaration === null) throw new Error('no XML declaration with version 1.0 and encoding UTF-8')
  let at = declaration[0].length
  const stack: XmlElement[] = []
  let root: XmlElement | null = null
  const tag = new RegExp(String.raw`<(/?)(${name})((?:\s+${name}="[^"]*")*)\s*(/?)>`, 'y')
  const attribute = new RegExp(String.raw`\s+(${name})="([^"]*)"`, 'g')
  while (at < text.length) {
    const next = text.indexOf('<', at)
    const chunk = text.slice(at, next < 0 ? text.length : next)
    const open = stack[stack.length - 1]
    if (chunk.trim() !== '') {
      if (open === undefined) throw new Error(`text outside the root element: ${chunk}`)
      open.text += decode(chunk, `<${open.name}>`)
    }
    if (next < 0) break
    tag.lastIndex = next
    const m = tag.exec(text)
    if (m === null) throw new Error(`malformed tag at ${next}: ${text.slice(next, next + 40)}`)
    const [whole, closing, tagName = '', attrs = '', selfClosing] = m
    at = next + whole.length
    if (closing === '/') {
      const top = stack.pop()
      if (top?.name !== tagName) throw new Error(`</${tagName}> closes <${top?.name ?? 'nothing'}>`)
      continue
    }
    const element: XmlElement = { name: tagName, attributes: {}, children: [], text: '' }
    for (const [, key = '', value = ''] of attrs.matchAll(attribute)) {
      if (key in element.attributes) throw new Error(`<${tagName}> repeats the attribute ${key}`)
      element.attributes[key] = decode(value, `${tagName}@${key}`)
    }
    if (open !== undefined) open.children.push(element)
    else if (root === null) root = element
    else throw new Error('a second root element')
    if (selfClosing !== '/') stack.push(element)
  }
  if (stack.length > 0) throw new Error(`<${stack[stack.length - 1]?.name ?? ''}> is never closed`)
  if (root === null) throw new Error('no root element')
  return root
}
