import type { Manifest, Results } from '../../harness/results/index.ts'
import type { Chart } from '../charts/index.ts'
import { count, machineBusyText, mebibytes, ms, thresholdObserved, thresholdText } from '../format.ts'
import type { Headline } from '../headline.ts'
import type { ResearchAnswer } from '../research.ts'
import { runtimeKind } from '../run-data.ts'
import { comparisonValue, foldEqualRows } from '../summary/terminal-scoring.ts'
import { esc, table } from './markup.ts'

/** A chart with its SVG, ready to be inlined. */
export interface RenderedChart {
  chart: Chart
  svg: string
}

export function verdictBadge(r: Results): string {
  return `<span class="verdict ${esc(r.state)}" data-key="state" data-value="${esc(r.state)}">${esc(r.state.toUpperCase())}</span>`
}

export function reasonsList(r: Results): string {
  if (r.verdict.reasons.length === 0) return ''
  return `<ul class="reasons">${r.verdict.reasons.map((reason) => `<li>${esc(reason.message)} <code>${esc(reason.code)}</code></li>`).join('')}</ul>`
}

export function thresholdsTable(r: Results): string {
  if (r.verdict.thresholds.length === 0) return '<p class="not-measured">The scenario sets no thresholds.</p>'
  return table(
    ['metric', 'threshold', 'observed', ''],
    r.verdict.thresholds.map((t) => [`<code>${esc(t.metric)}</code>`, `<code>${esc(thresholdText(t))}</code>`, esc(thresholdObserved(t)), t.passed ? '<span class="ok">✓ passed</span>' : '<span class="bad">✗ failed</span>']),
  )
}

/** The busy-machine warning above the headline numbers; empty when the machine was not busy. */
export function machineBusyNote(r: Results): string {
  return r.machine_busy.busy ? `<p class="machine-busy" data-key="machine_busy.busy" data-value="true">⚠ ${esc(machineBusyText(r.machine_busy))}</p>` : ''
}

export function headlineCards(list: readonly Headline[]): string {
  return `<div class="cards">${list
    .map((h) => `<div class="card"><div class="value" data-key="${esc(h.key)}" data-value="${h.value === null ? 'null' : esc(h.value)}">${esc(h.text)}</div><div class="label">${esc(h.label)}</div></div>`)
    .join('')}</div>`
}

export function researchSection(answers: readonly ResearchAnswer[]): string {
  return `<dl class="research">${answers
    .map(
      (a) =>
        `<dt>${esc(a.question)}${a.measured ? '' : ' <span class="not-measured">(not measured by this run)</span>'}</dt>` +
        a.findings.map((f) => `<dd>${esc(f)}</dd>`).join('') +
        (a.limits.length > 0 ? `<dd class="limits">What it does not show: ${a.limits.map(esc).join(' ')}</dd>` : ''),
    )
    .join('')}</dl>`
}

export function chartFigure(c: RenderedChart, specHref: string | null): string {
  const link = specHref === null ? '' : ` Spec and data: <a href="${esc(specHref)}">${esc(specHref)}</a>.`
  return `<figure id="chart-${esc(c.chart.name)}" class="chart" data-chart="${esc(c.chart.name)}">${c.svg}<figcaption>${esc(c.chart.caption)}${link}</figcaption></figure>`
}

export function latencyTable(r: Results): string {
  const rows = Object.entries(r.latency)
    .filter((entry): entry is [string, NonNullable<(typeof entry)[1]>] => entry[1] !== null)
    .map(([name, s]) => [name, count(s.count), ms(s.p50), ms(s.p90), ms(s.p99), ms(s.p999), ms(s.max)].map(esc))
  return table(['stream', 'count', 'p50 ms', 'p90 ms', 'p99 ms', 'p99.9 ms', 'max ms'], rows, 'numbers')
}

export function comparisonTable(r: Results, timeCompression: number): string {
  const b = r.batch
  if (b === null) return '<p class="not-measured">The batch baseline did not run.</p>'
  if (b.state === 'unreadable') return `<p class="bad">The batch baseline finished but its output could not be scored: ${esc(b.error)}</p>`
  const { differing, equal } = foldEqualRows(b.comparison)
  const rows = differing.map((row) => [`<code>${esc(row.metric)}</code>`, esc(comparisonValue(row.unit, row.streaming, timeCompression)), esc(comparisonValue(row.unit, row.batch, timeCompression)), esc(row.better ?? 'n/a')])
  const folded = equal.length > 0 ? `<p>Equal on both sides: ${equal.map((row) => `<code>${esc(row.metric)}</code> ${esc(comparisonValue(row.unit, row.streaming, timeCompression))}`).join(' · ')}</p>` : ''
  return `<p>The batch finished ${esc(b.finished_after_s.toFixed(1))} s after it started; late records rated exactly: batch ${b.late_data.batch} of ${b.late_data.late}, stream ${b.late_data.streaming} of ${b.late_data.late}.</p>${rows.length > 0 ? table(['metric', 'streaming', 'batch', 'better'], rows) : ''}${folded}`
}

/** The JVMs that died while nobody asked them to (results.json unplanned_exits); nothing when none did. */
export function unplannedExitsTable(r: Results): string {
  if (r.unplanned_exits.length === 0) return ''
  return `<h3>Unplanned process exits</h3>${table(['process', 'at (wall s after load start)', 'exit code', 'signal'], r.unplanned_exits.map((e) => [esc(e.process), esc(e.at_s.toFixed(1)), esc(e.exit_code ?? 'n/a'), esc(e.signal ?? 'n/a')]))}`
}

export function resourcesTable(r: Results): string {
  const rows = Object.entries(r.resources).map(([name, v]) => [esc(name), esc(v.cpu_seconds.toFixed(1)), esc(v.cpu_avg_cores.toFixed(2)), esc(mebibytes(v.rss_max_bytes))])
  return rows.length === 0 ? '' : table(['process', 'CPU s', 'avg cores', 'max RSS'], rows, 'numbers')
}

function jsonBlock(value: unknown): string {
  return `<pre>${esc(JSON.stringify(value, null, 2))}</pre>`
}

export function manifestSection(m: Manifest): string {
  const inv = m.invocation
  const rows: string[][] = [
    ['command line', inv.command_line.length > 0 ? `<code>${esc(inv.command_line.join(' '))}</code>` : '<span class="not-measured">started from code</span>'],
    ['<code>--set</code> values', inv.set.length > 0 ? inv.set.map((s) => `<code>${esc(s)}</code>`).join('<br>') : 'none'],
    ['scenario file', `<code>${esc(m.scenario)}</code>`],
    ['scenario content', `sha256 <code>${esc(m.scenario_sha256)}</code> (of scenario.resolved.json)`],
    ['telcobench', esc(`${m.telcobench.version} @ ${m.telcobench.git_sha}${m.telcobench.dirty ? ' (uncommitted changes)' : ''}`)],
    ['delivery guarantee', esc(m.delivery_guarantee)],
    ['runtime', esc(runtimeKind(m))],
    ['Kafka client', esc(m.kafka_client)],
    ['engine', esc(m.engine.kind)],
    ...Object.entries(m.versions).map(([name, v]) => [esc(name), esc(v)]),
    ['machine', esc(`${m.machine.cores} cores · ${m.machine.cpu_model} · ${mebibytes(m.machine.memory_bytes)} · ${m.machine.platform} ${m.machine.kernel}`)],
    ['clock', esc(m.clock)],
  ]
  return `${table(['', ''], rows, 'manifest')}<details><summary>The run plan</summary>${jsonBlock(m.plan)}</details><details><summary>The runtime</summary>${jsonBlock(m.runtime)}</details><details><summary>The engine's job config</summary>${jsonBlock(m.engine.job_config)}</details>`
}
