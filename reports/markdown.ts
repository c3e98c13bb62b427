import { breakdownTable, phaseRows } from './summary/breakdown.ts'
import { servingSentences } from './summary/serving.ts'
import type { Results } from '../harness/results/index.ts'
import { comparisonLines } from './compare.ts'
import { byUnit, count, fraction, machineBusyText, ms, thresholdObserved, thresholdText } from './format.ts'
import { headlines } from './headline.ts'
import { planFacts, type ReportRun } from './run-data.ts'
import { comparisonValue, foldEqualRows, ttdText } from './summary/terminal-scoring.ts'
import { forecastSections, forecastTableHeader, modelComparisonRows, modelTableHeader, modelTrainingSentence } from './summary/models.ts'

/** A GitHub-flavoured Markdown table; pipes inside cells are escaped. */
export function mdTable(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const cell = (s: string): string => s.replace(/\|/g, '\\|')
  return [`| ${header.map(cell).join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((row) => `| ${row.map(cell).join(' | ')} |`)]
}

const verdictIcon = (state: Results['state']): string => (state === 'passed' ? '✅' : state === 'failed' ? '❌' : '⚠️')

/**
 * summary.md: the verdict, the thresholds and the key tables, short enough for a pull-request comment or
 * $GITHUB_STEP_SUMMARY. The charts stay in report.html, which `reportPath` names.
 */
export function renderMarkdown(run: ReportRun, reportPath: string | null): string {
  const r = run.results
  const { timeCompression } = planFacts(run.manifest)
  const lines = [`## ${verdictIcon(r.state)} ${r.scenario}: ${r.state.toUpperCase()}`, '', `Run \`${r.run_id}\` · ${r.duration_s.toFixed(1)} s wall · telcobench ${r.telcobench.version} @ \`${r.telcobench.git_sha.slice(0, 12)}\`${r.telcobench.dirty ? ' (uncommitted changes)' : ''} · ${run.manifest.delivery_guarantee}`, '']
  for (const reason of r.verdict.reasons) lines.push(`- ${reason.message} \`${reason.code}\``)
  if (r.verdict.reasons.length > 0) lines.push('')
  if (r.verdict.thresholds.length > 0) lines.push('### Thresholds', '', ...mdTable(['metric', 'threshold', 'observed', ''], r.verdict.thresholds.map((t) => [`\`${t.metric}\``, `\`${thresholdText(t)}\``, thresholdObserved(t), t.passed ? '✅' : '❌'])), '')
  lines.push('### Headline', '')
  if (r.machine_busy.busy) lines.push(`> ⚠️ ${machineBusyText(r.machine_busy)}`, '')
  lines.push(...mdTable(['figure', 'value'], headlines(r).map((h) => [h.label, h.text])), '')
  const a = r.accounting
  lines.push(`Accounting (usage records): generated ${count(a.generated)} = rated once ${count(a.rated_once)} + dlq ${count(a.dlq)} + late dropped ${count(a.late_dropped)} + lost ${count(a.lost)} + duplicated ${count(a.duplicated)} + unprocessed ${count(a.unprocessed)}.`, '', `Delivery (${r.delivery.guarantee}): ${r.delivery.statement}`, '')
  const latency = Object.entries(r.latency).filter((e): e is [string, NonNullable<(typeof e)[1]>] => e[1] !== null)
  if (latency.length > 0) lines.push('### Latency (ms from intended send time, after the warm-up)', '', ...mdTable(['stream', 'count', 'p50', 'p99', 'p99.9', 'max'], latency.map(([name, s]) => [name, count(s.count), ms(s.p50), ms(s.p99), ms(s.p999), ms(s.max)])), '')
  const breakdown = breakdownTable(r)
  if (breakdown !== null) {
    lines.push('### Where the time goes', '', `${breakdown.caption}.`, '', ...mdTable(breakdown.header, breakdown.rows), '')
    const phases = phaseRows(r)
    if (phases.rows.length > 0) lines.push('Micro-batch phases, p50 / p95 ms (Spark `durationMs`):', '', ...mdTable(phases.header, phases.rows), '')
  }
  const serving = servingSentences(r)
  if (serving.length > 0) lines.push('### Serving store', '', ...serving.map((l) => `- ${l}`), '')
  const kinds = Object.entries(r.detection)
  if (kinds.length > 0) {
    lines.push(`### Detection (time to detect: wall s, scenario s in brackets)`, '', ...mdTable(['kind', 'truth', 'found', 'FP', 'precision', 'recall', 'F1', 'ttd p50'], kinds.map(([kind, d]) => [kind, String(d.truth_units), String(d.detected_units), String(d.false_positives), fraction(d.precision), fraction(d.recall), fraction(d.f1), ttdText(d.ttd_p50_s, timeCompression)])), '')
  }
  const trained = modelTrainingSentence(r)
  if (trained !== null) lines.push('### Rules vs models', '', `${trained.charAt(0).toUpperCase()}${trained.slice(1)}.`, '', ...mdTable(modelTableHeader, modelComparisonRows(r, timeCompression)), '')
  for (const f of forecastSections(r)) lines.push('### Forecasts', '', `${f.sentence}. A prediction after the outage started counts as a detection, not a forecast.`, '', ...mdTable(forecastTableHeader, f.rows), '')
  if (r.faults.length > 0) {
    lines.push('### Faults (wall s after injection)', '', ...mdTable(['fault', 'kind', 'detect', 'recover', 'drain', 'lost', 'extra copies'], r.faults.map((f) => [f.name, f.kind, byUnit('s', f.recovery?.time_to_detect_s), byUnit('s', f.recovery?.time_to_recover_s), byUnit('s', f.recovery?.time_to_drain_s), count(f.integrity.lost), count(f.integrity.duplicate_copies)])), '')
  }
  const b = r.batch
  if (b?.state === 'scored') {
    const { differing, equal } = foldEqualRows(b.comparison)
    lines.push('### Streaming vs batch', '')
    if (differing.length > 0) lines.push(...mdTable(['metric', 'streaming', 'batch', 'better'], differing.map((row) => [`\`${row.metric}\``, comparisonValue(row.unit, row.streaming, timeCompression), comparisonValue(row.unit, row.batch, timeCompression), row.better ?? 'n/a'])), '')
    if (equal.length > 0) lines.push(`Equal on both sides: ${equal.map((row) => `\`${row.metric}\` ${comparisonValue(row.unit, row.streaming, timeCompression)}`).join(' · ')}`, '')
  }
  if (reportPath !== null) lines.push(`Charts, the researchers' view and the manifest: \`${reportPath}\``, '')
  return lines.join('\n')
}

/** The Markdown comparison of several runs: one table, a column per run. */
export function renderCompareMarkdown(runs: readonly ReportRun[], labels: readonly string[]): string {
  return [`## ${runs.length} runs side by side`, '', ...mdTable(['', ...labels.map((l) => `\`${l}\``)], comparisonLines(runs).map((line) => [line.metric, ...line.values])), ''].join('\n')
}
