/** One validation problem, located in the scenario file. */
export interface Issue {
  file: string
  /** 1-based line. */
  line: number
  /** 1-based column. */
  col: number
  /** Set when the value came from the command line, not the file: the flag as typed, e.g. `--set duration=soon`. */
  flag?: string
  /** Dotted path into the scenario, e.g. `faults.broker_kill.startTime`. */
  path: string
  message: string
  hint?: string
  severity: 'error' | 'warning'
}

/** Formats an issue as `file:line:col  path  message  (hint)`, or `file (--set k=v)  path  …` (docs/style.md "Errors"). */
export function formatIssue(issue: Issue): string {
  const where = issue.flag === undefined ? `${issue.file}:${issue.line}:${issue.col}` : `${issue.file} (${issue.flag})`
  const path = issue.path === '' ? '(root)' : issue.path
  const hint = issue.hint === undefined ? '' : `  (${issue.hint})`
  const prefix = issue.severity === 'warning' ? 'warning: ' : ''
  return `${where}  ${path}  ${prefix}${issue.message}${hint}`
}

/** Renders a path array as `a.b[2].c`. */
export function dottedPath(path: readonly PropertyKey[]): string {
  let out = ''
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`
    else out += out === '' ? String(seg) : `.${String(seg)}`
  }
  return out
}

/** Sorts issues by line then column, so a reader walks the file top to bottom; `--set` problems come first. */
export function byPosition(a: Issue, b: Issue): number {
  return Number(a.flag === undefined) - Number(b.flag === undefined) || a.line - b.line || a.col - b.col
}
