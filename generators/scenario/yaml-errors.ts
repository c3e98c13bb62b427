import type { YAMLError } from 'yaml'

/** A YAML syntax error located where a person would fix it: an unclosed `[` or `{` at its opening bracket. */
export interface YamlProblem {
  offset: number
  message: string
  hint: string
}

/** Offset of the last `[` or `{` still open at `end` (quotes and comments skipped), or null. */
export function unclosedFlowOpener(text: string, end: number): number | null {
  const open: number[] = []
  let quote: string | null = null
  for (let i = 0; i < end; i++) {
    const c = text[i]
    if (quote !== null) {
      if (c === '\\' && quote === '"') i++
      else if (c === quote) quote = null
      continue
    }
    if (c === '"' || c === "'") quote = c
    else if (c === '#' && (i === 0 || /\s/.test(text[i - 1] ?? ''))) while (i < end && text[i] !== '\n') i++
    else if (c === '[' || c === '{') open.push(i)
    else if (c === ']' || c === '}') open.pop()
  }
  return open.at(-1) ?? null
}

/** Turns the parser's errors into problems at their real place, one per position. */
export function describeYamlErrors(text: string, errors: readonly YAMLError[]): YamlProblem[] {
  const problems: YamlProblem[] = []
  for (const e of errors) {
    const first = e.message.split('\n')[0] ?? e.code
    const flow = /^Flow (sequence|map)/.exec(first)
    const opener = flow === null ? null : unclosedFlowOpener(text, e.pos[0])
    const problem: YamlProblem =
      opener !== null
        ? { offset: opener, message: `YAML: this ${text[opener] ?? '['} is not closed (${first})`, hint: `end the ${flow?.[1] ?? 'list'} with ${text[opener] === '{' ? '}' : ']'} on this line, or indent its continuation lines` }
        : { offset: e.pos[0], message: `YAML: ${first}`, hint: yamlHint(e.code) }
    if (!problems.some((p) => p.offset === problem.offset)) problems.push(problem)
  }
  return problems
}

/** A next step for the YAML syntax errors people make by hand. */
function yamlHint(code: YAMLError['code']): string {
  switch (code) {
    case 'DUPLICATE_KEY':
      return 'remove one of the two keys'
    case 'TAB_AS_INDENT':
      return 'indent with spaces, not tabs'
    case 'BLOCK_AS_IMPLICIT_KEY':
    case 'MULTILINE_IMPLICIT_KEY':
    case 'BAD_INDENT':
      return 'check the indentation of this line and the next: keys of one mapping start in the same column'
    default:
      return 'fix the YAML at this line and column'
  }
}
