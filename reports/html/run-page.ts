import { headlines } from '../headline.ts'
import { researchView } from '../research.ts'
import { planFacts, type ReportRun } from '../run-data.ts'
import { esc, page, table } from './markup.ts'
import { breakdownTable, phaseRows } from '../summary/breakdown.ts'
import { servingSentences } from '../summary/serving.ts'
import { chartFigure, comparisonTable, headlineCards, latencyTable, manifestSection, reasonsList, researchSection, resourcesTable, unplannedExitsTable, thresholdsTable, verdictBadge, machineBusyNote, type RenderedChart } from './sections.ts'

/** Files beside report.html that the page names (written by writeRunReport). */
export interface RunPageLinks {
  /** `charts/<name>.vl.json` relative to the page, or null when the specs are not written beside it. */
  spec(name: string): string | null
  files: readonly string[]
}

/** report.html of one run: verdict, thresholds and headline numbers first, then the charts, the researchers' view, the tables and the manifest. */
export function renderRunPage(run: ReportRun, charts: readonly RenderedChart[], links: RunPageLinks): string {
  const r = run.results
  const t = r.telcobench
  const body = `
<header>
<h1>${esc(r.scenario)} ${verdictBadge(r)}</h1>
<p class="sub">run <code>${esc(r.run_id)}</code> · started ${esc(r.started_at)} · ${esc(r.duration_s.toFixed(1))} s wall · telcobench ${esc(t.version)} @ ${esc(t.git_sha.slice(0, 12))}${t.dirty ? ' (uncommitted changes)' : ''} · ${esc(run.manifest.delivery_guarantee)}</p>
<p class="sub">${esc(r.delivery.guarantee)}: ${esc(r.delivery.statement)}</p>
${reasonsList(r)}
</header>
<nav class="toc"><a href="#thresholds">Thresholds</a><a href="#headline">Headline</a><a href="#charts">Charts</a><a href="#research">Researchers' view</a><a href="#tables">Tables</a><a href="#manifest">Manifest</a></nav>
<section id="thresholds"><h2>Thresholds</h2>${thresholdsTable(r)}</section>
<section id="headline"><h2>Headline numbers</h2>${machineBusyNote(r)}${headlineCards(headlines(r))}</section>
<section id="charts"><h2>Charts</h2>${charts.map((c) => chartFigure(c, links.spec(c.chart.name))).join('\n')}</section>
<section id="research"><h2>Researchers' view</h2><p>What this run says about the four questions of the testbed, with the figures and what they do not show.</p>${researchSection(researchView(run))}</section>
<section id="tables"><h2>Tables</h2>
<h3>Latency (ms from intended send time, after the warm-up)</h3>${latencyTable(r)}
${breakdownSection(r)}
${servingSection(r)}
<h3>Streaming vs batch</h3>${comparisonTable(r, planFacts(run.manifest).timeCompression)}
${unplannedExitsTable(r)}
<h3>Resources</h3>${resourcesTable(r)}
</section>
<section id="manifest"><h2>Manifest</h2>${manifestSection(run.manifest)}</section>
<footer>Rendered by telcobench from <code>results.json</code>, <code>manifest.json</code>, <code>timeline.json</code> and <code>histograms/</code>. Beside this page: ${links.files.map((f) => `<code>${esc(f)}</code>`).join(', ')}. The page needs no script and no network. Render it again, or beside another run, with <code>telcobench report &lt;run folder&gt; [&lt;other run folder&gt;]</code>.</footer>`
  return page(`${r.scenario} · ${r.state} · telcobench report`, body)
}

/** The rated stream's latency stage by stage and the micro-batch phases, or nothing for a run without marks. */
function breakdownSection(r: ReportRun['results']): string {
  const b = breakdownTable(r)
  if (b === null) return ''
  const phases = phaseRows(r)
  const phaseTable = phases.rows.length === 0 ? '' : `<p>Micro-batch phases, p50 / p95 ms (Spark <code>durationMs</code>):</p>${table(phases.header, phases.rows.map((row) => row.map(esc)), 'numbers')}`
  return `<h3 id="breakdown">Where the time goes</h3><p>${esc(b.caption)}.</p>${table(b.header, b.rows.map((row) => row.map(esc)), 'numbers')}${phaseTable}`
}

/** The serving store's figures, or nothing for a run without one. */
function servingSection(r: ReportRun['results']): string {
  const lines = servingSentences(r)
  return lines.length === 0 ? '' : `<h3>Serving store</h3><ul>${lines.map((l) => `<li>${esc(l)}</li>`).join('')}</ul>`
}

