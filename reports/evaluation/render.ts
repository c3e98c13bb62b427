import type { EvaluationCheck, EvaluationExperiment, EvaluationFigure, EvaluationFile, EvaluationQuestion, VerdictKind } from '../../harness/results/index.ts'
import { count, ms, percent, seconds } from '../format.ts'

/**
 * The evaluation report's content (evaluation.md, and the rows evaluation.html shows): per research question the
 * paper's claim, the experiments, their figures over the runs, the checks and the verdict; the threats to validity
 * and the provenance. Every number is read from evaluation.json, whose figures trace to the run folders it names.
 */

export const verdictWords: Record<VerdictKind, string> = {
  supported: 'Supported',
  'supported-with-conditions': 'Supported with conditions',
  'not-supported': 'Not supported',
  'not-measured': 'Not measured',
}

/** A figure's value in its unit. */
export function figureValue(unit: string, n: number | null | undefined): string {
  if (n === null || n === undefined) return 'n/a'
  switch (unit) {
    case 'ms':
      return `${ms(n)} ms`
    case 's':
      return `${seconds(n)} s`
    case 'ratio':
      return percent(n)
    case 'eps':
      return `${count(n)} ev/s`
    case 'events':
    case 'attempts':
      return count(n)
    default:
      return `${Number(n.toPrecision(4))}${unit === '' ? '' : ` ${unit}`}`
  }
}

/** The interval of the median, or why there is none. */
export function intervalOf(f: EvaluationFigure): string {
  if (f.ci === null) return f.n <= 1 ? `n/a (${f.n} value${f.n === 1 ? '' : 's'})` : 'n/a'
  return `${figureValue(f.unit, f.ci.low)} – ${figureValue(f.unit, f.ci.high)} (${(f.ci.level * 100).toFixed(1)} %)`
}

/** A check's observed value: the figure in its unit, or a ratio of two figures. */
export function observedOf(c: EvaluationCheck, e: EvaluationFile): string {
  if (c.observed === null) return 'n/a'
  if (c.relative_to !== null) return `${Number(c.observed.toPrecision(3))}×`
  const unit = e.experiments.find((x) => x.id === c.experiment)?.figures[c.figure]?.unit ?? ''
  return figureValue(unit, c.observed)
}

export function outcomeText(c: EvaluationCheck): string {
  return c.outcome === 'holds' ? 'holds' : c.outcome === 'fails' ? 'fails' : `not measured: ${c.reason ?? ''}`
}

export function checkFigureText(c: EvaluationCheck): string {
  return c.relative_to === null ? `${c.experiment} · ${c.figure}` : `${c.experiment} · ${c.figure} ÷ ${c.relative_to.experiment} · ${c.relative_to.figure}`
}

/** An experiment's settings in one line: overrides, engine, guarantee, batch, the capacity search. */
export function settingsText(x: EvaluationExperiment): string {
  const parts = [...x.overrides.map((s) => `--set ${s}`)]
  if (x.engine !== null) parts.push(`--engine ${x.engine}`)
  if (x.guarantee !== null) parts.push(`--guarantee ${x.guarantee}`)
  if (x.kind === 'run' && !x.batch) parts.push('--no-batch')
  if (x.capacity !== null) parts.push(...Object.entries(x.capacity).map(([k, v]) => `${k} ${Array.isArray(v) ? v.join(' ') : String(v)}`))
  if (x.paced_eps !== null) parts.push(`paced at ${count(x.paced_eps)} ev/s`)
  return parts.length === 0 ? 'as the scenario says' : parts.join(' · ')
}

export function runsText(x: EvaluationExperiment): string {
  if (x.status !== 'measured') return `not measured: ${x.reason ?? ''}`
  const counted = x.runs.filter((r) => r.counted).length
  return `${x.runs.length} run(s), ${counted} counted${x.elapsed_s === null ? '' : `, ${Math.round(x.elapsed_s / 60)} min`}`
}

export const experimentHeader = ['Experiment', 'Scenario', 'Kind', 'Settings', 'Runs', 'Folder']
export function experimentRow(x: EvaluationExperiment): string[] {
  return [`${x.id}: ${x.title}`, `${x.scenario} (${x.scenario_file})`, x.kind === 'run' ? `run × ${x.repeats}` : 'capacity search', settingsText(x), runsText(x), x.folder ?? '–']
}

export const figureHeader = ['Experiment', 'Figure', 'Median', 'Interval of the median', 'Each run']
export function figureRows(x: EvaluationExperiment): string[][] {
  return Object.entries(x.figures).map(([name, f]) => [x.id, name, figureValue(f.unit, f.median), intervalOf(f), f.values.map((v) => figureValue(f.unit, v)).join(', ')])
}

export const checkHeader = ['Check', 'Figure', 'Needed', 'Observed', 'Outcome', 'Kind']
export function checkRow(c: EvaluationCheck, e: EvaluationFile): string[] {
  return [c.says, checkFigureText(c), c.holds.trim(), observedOf(c, e), outcomeText(c), c.condition === null ? 'required' : `condition: ${c.condition}`]
}

export function experimentsOf(q: EvaluationQuestion, e: EvaluationFile): EvaluationExperiment[] {
  return q.experiments.flatMap((id) => e.experiments.filter((x) => x.id === id))
}

/** The line under the title: which suite, where, when, with which telcobench, how long. */
export function headerLine(e: EvaluationFile): string {
  const p = e.provenance
  const sha = `${e.telcobench.git_sha.slice(0, 12)}${e.telcobench.dirty ? ', uncommitted changes' : ''}`
  const took = e.elapsed_s === null ? 'not finished' : `took ${Math.round(e.elapsed_s / 60)} min`
  return `Suite \`${e.suite}\` at size ${e.size} (${e.suite_id}), started ${e.started_at}, ${took} (estimated at most ${Math.ceil(e.estimate_s / 60)} min)${e.interrupted ? ', interrupted' : ''}. telcobench ${e.telcobench.version} (${sha}), runtime ${e.runtime}, ${p.machine.cores} cores (${p.machine.cpu_model}), ${Math.round(p.machine.memory_bytes / 2 ** 30)} GiB, load average ${p.load_avg_start.join(' ')} at the start${p.load_avg_end === null ? '' : ` and ${p.load_avg_end.join(' ')} at the end`}.`
}

function mdTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ')
  return [`| ${header.map(cell).join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)].join('\n')
}

/** evaluation.md. */
export function renderEvaluationMarkdown(e: EvaluationFile): string {
  const lines: string[] = [`# ${e.title}`, '', `Reproducing ${e.paper}.`, '', headerLine(e), '', '## Verdicts', '']
  lines.push(mdTable(['Question', 'Verdict', 'In plain words'], e.questions.map((q) => [`${q.id}: ${q.title}`, verdictWords[q.verdict], q.verdict_text])), '')
  for (const q of e.questions) {
    lines.push(`## ${q.id}: ${q.title}`, '', `The paper asks: *${q.question}*`, '', `> ${q.claim.quote} (${q.claim.where})`, '', `**Verdict: ${verdictWords[q.verdict]}.** ${q.verdict_text}`, '')
    const xs = experimentsOf(q, e)
    lines.push('### Experiments', '', mdTable(experimentHeader, xs.map(experimentRow)), '')
    const figures = xs.flatMap(figureRows)
    if (figures.length > 0) lines.push('### Figures', '', mdTable(figureHeader, figures), '')
    lines.push('### Checks', '', mdTable(checkHeader, q.checks.map((c) => checkRow(c, e))), '')
  }
  lines.push('## Threats to validity', '', ...e.threats.map((t) => `- ${t}`), '')
  lines.push('## Provenance', '', ...provenanceLines(e).map((l) => `- ${l}`), '')
  return lines.join('\n')
}

/** Where everything came from and how to run it again. */
export function provenanceLines(e: EvaluationFile): string[] {
  const p = e.provenance
  return [
    `The suite file as it ran: \`${e.suite_file}\` in this folder (read from \`${e.suite_source}\`).`,
    `Command: \`${p.command_line.join(' ') || 'started from code'}\`.`,
    `Versions: ${Object.entries(p.versions).map(([k, v]) => `${k} ${v}`).join(', ')}; machine: ${p.machine.platform} ${p.machine.kernel}.`,
    'Every run folder named above holds its manifest.json (versions, machine, load, the full run plan with its seed) and results.json; a capacity folder its capacity.json, a set folder its set.json.',
    `To run it again: \`telcobench reproduce --${e.size} --suite <this folder>/${e.suite_file}\`; to set two runs of an experiment side by side: \`telcobench compare <this folder>/<set folder> <other folder>/<set folder>\`.`,
  ]
}
