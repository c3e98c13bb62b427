import { mkdirSync, writeFileSync } from 'node:fs'
import { basename, dirname, join, relative } from 'node:path'
import { buildCharts, type Chart } from './charts/index.ts'
import { hlogOf } from './exports/hlog.ts'
import { timelineCsv } from './exports/csv.ts'
import { renderComparePage } from './html/compare-page.ts'
import { renderRunPage } from './html/run-page.ts'
import type { RenderedChart } from './html/sections.ts'
import { renderCompareMarkdown, renderMarkdown } from './markdown.ts'
import { svgToPng } from './render/png.ts'
import { renderSvg } from './render/svg.ts'
import { distinguishingLabels, loadReportRun, type ReportRun } from './run-data.ts'

/** The files a run's report consists of, as written into its folder. */
export interface RunReportFiles {
  html: string
  markdown: string
  /** `charts/<name>.vl.json`: each chart's vega-lite spec with its data. */
  specs: string[]
  /** `timeline.csv`, or null when the run wrote no timeline. */
  csv: string | null
  /** `histograms/<stream>.hlog`: the per-second histograms as HdrHistogram interval logs. */
  hlogs: string[]
}

export async function renderCharts(charts: readonly Chart[]): Promise<RenderedChart[]> {
  const rendered: RenderedChart[] = []
  for (const chart of charts) rendered.push({ chart, svg: await renderSvg(chart.spec, chart.name) })
  return rendered
}

function write(file: string, text: string | Buffer): string {
  mkdirSync(dirname(file), { recursive: true })
  writeFileSync(file, text)
  return file
}

/**
 * Writes a run's report into its folder: report.html (or `htmlOut`), summary.md, charts/<name>.vl.json,
 * timeline.csv and histograms/<stream>.hlog. Reads the run through the results module only.
 */
export async function writeRunReport(dir: string, options: { htmlOut?: string } = {}): Promise<{ run: ReportRun; files: RunReportFiles }> {
  const run = loadReportRun(dir)
  const charts = buildCharts([run])
  const htmlFile = options.htmlOut ?? join(dir, 'report.html')
  const specs = charts.map((c) => write(join(dir, 'charts', `${c.name}.vl.json`), `${JSON.stringify(c.spec, null, 1)}\n`))
  const csv = run.timeline === null ? null : write(join(dir, 'timeline.csv'), timelineCsv(run.timeline))
  const hlogs = Object.values(run.histograms)
    .filter((s) => s.intervals.length > 0)
    .map((s) => write(join(dir, 'histograms', `${s.name}.hlog`), hlogOf(s, run.results.run_id, run.results.latency_warmup.warmup_s)))
  const markdown = write(join(dir, 'summary.md'), renderMarkdown(run, relative(dir, htmlFile) || basename(htmlFile)))
  const fromPage = (file: string): string => relative(dirname(htmlFile), file)
  const html = renderRunPage(run, await renderCharts(charts), { spec: (name) => fromPage(join(dir, 'charts', `${name}.vl.json`)), files: [markdown, ...(csv === null ? [] : [csv]), ...hlogs].map(fromPage) })
  write(htmlFile, html)
  return { run, files: { html: htmlFile, markdown, specs, csv, hlogs } }
}

/** The side-by-side page of several runs, written to `out`. */
export async function writeCompareReport(dirs: readonly string[], out: string): Promise<string> {
  const runs = dirs.map(loadReportRun)
  const labels = distinguishingLabels(runs)
  const labelled = runs.map((r, i) => ({ ...r, label: labels[i] ?? r.label }))
  write(out, renderComparePage(labelled, labels, await renderCharts(buildCharts(labelled))))
  return out
}

/** Markdown of one run (summary.md's text) or of several side by side. */
export function markdownOf(dirs: readonly string[]): string {
  const runs = dirs.map(loadReportRun)
  const [only] = runs
  if (runs.length === 1 && only !== undefined) return renderMarkdown(only, null)
  const labels = distinguishingLabels(runs)
  return renderCompareMarkdown(runs.map((r, i) => ({ ...r, label: labels[i] ?? r.label })), labels)
}

/** Every chart of one run (or of several overlaid) as `<outDir>/<name>.svg` or `.png`. */
export async function writeChartImages(dirs: readonly string[], outDir: string, format: 'svg' | 'png'): Promise<string[]> {
  const runs = dirs.map(loadReportRun)
  const labels = distinguishingLabels(runs)
  const rendered = await renderCharts(buildCharts(runs.map((r, i) => ({ ...r, label: labels[i] ?? r.label }))))
  return rendered.map(({ chart, svg }) => write(join(outDir, `${chart.name}.${format}`), format === 'svg' ? svg : svgToPng(svg)))
}
