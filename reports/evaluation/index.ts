import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { capacityFiles, evaluationFiles, readCapacity, readEvaluation, type EvaluationFile, type EvaluationQuestion } from '../../harness/results/index.ts'
import { rateLatencyChart, uslChart } from '../capacity/charts.ts'
import { uslLines } from '../capacity/render.ts'
import { chartHeight, layeredSpec, type Chart } from '../charts/common.ts'
import { chartFigure } from '../html/sections.ts'
import { esc, page, table } from '../html/markup.ts'
import { renderCharts } from '../write.ts'
import { checkHeader, checkRow, experimentHeader, experimentRow, experimentsOf, figureHeader, figureRows, headerLine, provenanceLines, renderEvaluationMarkdown, verdictWords } from './render.ts'

export { renderEvaluationMarkdown } from './render.ts'

/** The charts of a question: each capacity search's rate-vs-p99 and USL charts, named after the experiment. */
function questionCharts(q: EvaluationQuestion, e: EvaluationFile, dir: string): Chart[] {
  return experimentsOf(q, e).flatMap((x) => {
    if (x.kind !== 'capacity' || x.folder === null || !existsSync(join(dir, x.folder, capacityFiles.capacity))) return []
    const capacity = readCapacity(join(dir, x.folder))
    return [rateLatencyChart(capacity), uslChart(capacity)].filter((c) => c !== null).map((c) => ({ ...c, name: `${x.id}-${c.name}`, caption: `${x.id}: ${c.caption}` }))
  })
}

/** Units whose figures share a chart: latencies on one axis, ratios (exactness, precision, recall) on another. */
const chartedUnits = [
  { unit: 'ms', axis: 'median (ms)', scale: 1 },
  { unit: 'ratio', axis: 'median (%)', scale: 100 },
] as const

/** Per unit, every figure of the question's run experiments: the median as a bar, min–max over the runs as a line. */
function figureCharts(q: EvaluationQuestion, e: EvaluationFile): Chart[] {
  return chartedUnits.flatMap(({ unit, axis, scale }) => {
    const rows = experimentsOf(q, e).flatMap((x) => Object.entries(x.figures).flatMap(([name, f]) => (f.unit !== unit || f.median === null ? [] : [{ figure: `${x.id} · ${name}`, median: f.median * scale, min: (f.min ?? f.median) * scale, max: (f.max ?? f.median) * scale }])))
    if (rows.length === 0) return []
    const title = `${q.id}: the figures in ${unit === 'ms' ? 'milliseconds' : 'percent'}`
    const spec = layeredSpec(
      title,
      [
        { data: { values: rows }, mark: { type: 'bar', color: '#4e79a7' }, encoding: { y: { field: 'figure', type: 'nominal', sort: null, title: null }, x: { field: 'median', type: 'quantitative', title: axis } } },
        { data: { values: rows }, mark: { type: 'rule', color: '#1f2328' }, encoding: { y: { field: 'figure', type: 'nominal', sort: null }, x: { field: 'min', type: 'quantitative' }, x2: { field: 'max' } } },
      ],
      // One band per figure, so a question with many (every fraud kind's) stays readable.
      Math.max(chartHeight / 2, rows.length * 18),
    )
    return [{ name: `${q.id}-figures-${unit}`, title, caption: `Each figure's median over the counted runs (bar) and its min–max over them (line); ${unit === 'ms' ? 'latencies in milliseconds' : 'ratios in percent'}.`, spec }]
  })
}

function uslText(q: EvaluationQuestion, e: EvaluationFile, dir: string): string[] {
  return experimentsOf(q, e).flatMap((x) => {
    if (x.kind !== 'capacity' || x.folder === null || !existsSync(join(dir, x.folder, capacityFiles.capacity))) return []
    return readCapacity(join(dir, x.folder)).scalability.map((f) => `<p class="usl">${uslLines(f).map(esc).join('<br>')}</p>`)
  })
}

const verdictClass = (q: EvaluationQuestion): string => q.verdict

const extraCss = `
.verdict.supported { background: var(--pass); } .verdict.supported-with-conditions { background: #1f6feb; }
.verdict.not-supported { background: var(--fail); } .verdict.not-measured { background: var(--muted); }
blockquote { border-left: 4px solid var(--line); margin: 8px 0; padding: 2px 12px; color: var(--muted); }
`

/** evaluation.html: the verdict table, then per question the claim, experiments, charts, figures and checks; threats; provenance. */
export async function renderEvaluationHtml(e: EvaluationFile, dir: string): Promise<string> {
  const cells = (rows: string[][]): string[][] => rows.map((r) => r.map((c) => esc(c)))
  const sections: string[] = []
  for (const q of e.questions) {
    const rendered = await renderCharts([...questionCharts(q, e, dir), ...figureCharts(q, e)])
    const xs = experimentsOf(q, e)
    const figures = xs.flatMap(figureRows)
    sections.push(
      `<section id="${esc(q.id)}" data-question="${esc(q.id)}" data-verdict="${esc(q.verdict)}">`,
      `<h2>${esc(q.id)}: ${esc(q.title)}</h2>`,
      `<p>The paper asks: <em>${esc(q.question)}</em></p>`,
      `<blockquote>${esc(q.claim.quote)} <span class="sub">(${esc(q.claim.where)})</span></blockquote>`,
      `<p><span class="verdict ${verdictClass(q)}">${esc(verdictWords[q.verdict])}</span> ${esc(q.verdict_text)}</p>`,
      '<h3>Experiments</h3>',
      table(experimentHeader, cells(xs.map(experimentRow))),
      ...rendered.map((r) => chartFigure(r, null)),
      ...uslText(q, e, dir),
      ...(figures.length === 0 ? [] : ['<h3>Figures</h3>', table(figureHeader, cells(figures), 'numbers')]),
      '<h3>Checks</h3>',
      table(checkHeader, cells(q.checks.map((c) => checkRow(c, e)))),
      '</section>',
    )
  }
  const body = [
    `<h1>${esc(e.title)}</h1>`,
    `<p class="sub">Reproducing ${esc(e.paper)}.</p>`,
    `<p class="sub">${esc(headerLine(e).replace(/`/g, ''))}</p>`,
    '<h2>Verdicts</h2>',
    table(['Question', 'Verdict', 'In plain words'], e.questions.map((q) => [`<a href="#${esc(q.id)}">${esc(q.id)}: ${esc(q.title)}</a>`, `<span class="verdict ${verdictClass(q)}">${esc(verdictWords[q.verdict])}</span>`, esc(q.verdict_text)]), 'verdicts'),
    ...sections,
    '<h2>Threats to validity</h2>',
    `<ul id="threats">${e.threats.map((t) => `<li>${esc(t)}</li>`).join('')}</ul>`,
    '<h2>Provenance</h2>',
    `<ul id="provenance">${provenanceLines(e).map((l) => `<li>${esc(l.replace(/`/g, ''))}</li>`).join('')}</ul>`,
  ].join('\n')
  return page(e.title, body).replace('</style>', `${extraCss}</style>`)
}

/** Writes evaluation.md and evaluation.html beside evaluation.json. */
export async function writeEvaluationReport(dir: string): Promise<{ evaluation: EvaluationFile; markdown: string; html: string }> {
  const evaluation = readEvaluation(dir)
  const markdown = join(dir, evaluationFiles.markdown)
  writeFileSync(markdown, renderEvaluationMarkdown(evaluation))
  const html = join(dir, evaluationFiles.html)
  writeFileSync(html, await renderEvaluationHtml(evaluation, dir))
  return { evaluation, markdown, html }
}

/** The verdict table for the terminal: one line per question. */
export function renderEvaluationTerminal(e: EvaluationFile): string {
  return e.questions.map((q) => `${q.id.padEnd(4)} ${verdictWords[q.verdict].padEnd(26)} ${q.verdict_text}`).join('\n')
}
