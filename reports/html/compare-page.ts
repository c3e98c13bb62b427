import { comparisonLines } from '../compare.ts'
import { mebibytes } from '../format.ts'
import { runtimeKind, type ReportRun } from '../run-data.ts'
import { esc, page, table } from './markup.ts'
import { chartFigure, type RenderedChart } from './sections.ts'

function setupTable(runs: readonly ReportRun[], labels: readonly string[]): string {
  const facts: [string, (r: ReportRun) => string][] = [
    ['scenario', (r) => r.results.scenario],
    ['started', (r) => r.results.started_at],
    ['telcobench', (r) => `${r.results.telcobench.version} @ ${r.results.telcobench.git_sha.slice(0, 12)}${r.results.telcobench.dirty ? ' (dirty)' : ''}`],
    ['delivery guarantee', (r) => r.manifest.delivery_guarantee],
    ['runtime', (r) => runtimeKind(r.manifest)],
    ['Kafka client', (r) => r.manifest.kafka_client],
    ['command line', (r) => r.manifest.invocation.command_line.join(' ') || 'started from code'],
    ['--set', (r) => r.manifest.invocation.set.join(' ') || 'none'],
    ['machine', (r) => `${r.manifest.machine.cores} cores · ${r.manifest.machine.cpu_model} · ${mebibytes(r.manifest.machine.memory_bytes)}`],
  ]
  return table(['', ...labels.map(esc)], facts.map(([name, pick]) => [esc(name), ...runs.map((r) => esc(pick(r)))]))
}

/** The side-by-side page of several runs: who they are, one comparison table, then every chart with the runs overlaid. */
export function renderComparePage(runs: readonly ReportRun[], labels: readonly string[], charts: readonly RenderedChart[]): string {
  const lines = comparisonLines(runs)
  const body = `
<header>
<h1>${esc(runs.length)} runs side by side</h1>
<p class="sub">${labels.map((l) => `<code>${esc(l)}</code>`).join(' · ')}</p>
</header>
<section id="setup"><h2>The runs</h2>${setupTable(runs, labels)}</section>
<section id="comparison"><h2>Comparison</h2>${table(['', ...labels.map(esc)], lines.map((line) => [esc(line.metric), ...line.values.map(esc)]), 'numbers')}</section>
<section id="charts"><h2>Charts</h2><p>Each chart overlays the runs on the same axes (told apart by line dash, or by a row per run).</p>${charts.map((c) => chartFigure(c, null)).join('\n')}</section>
<footer>Rendered by telcobench from each run's <code>results.json</code>, <code>manifest.json</code>, <code>timeline.json</code> and <code>histograms/</code>. The page needs no script and no network.</footer>`
  return page(`${labels.join(' vs ')} · telcobench comparison`, body)
}
