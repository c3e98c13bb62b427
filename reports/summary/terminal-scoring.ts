import type { ComparisonRow, Results } from '../../harness/results/index.ts'
import { byUnit, count, fraction, seconds } from '../format.ts'

/** A time to detect in wall seconds with the scenario seconds it stands for beside it: `43.5 (10434)`. */
export function ttdText(scenarioS: number | null, timeCompression: number): string {
  if (scenarioS === null) return 'n/a'
  return `${seconds(scenarioS / timeCompression)} (${Math.round(scenarioS)})`
}

/** The detection table of the end-of-run summary: one line per alert kind, then the hard negatives. */
export function detectionLines(r: Results, timeCompression: number): string[] {
  const kinds = Object.entries(r.detection)
  const notRun = r.detection_summary.not_run
  if (kinds.length === 0 && notRun.length === 0) return []
  const lines = ['', `█ DETECTION (fraud per entity, anomalies per alert; time to detect in wall s, scenario s in brackets: ×${timeCompression} compression)`]
  for (const family of notRun) lines.push(`  ${family} detection not run: its Spark query (${family === 'fraud' ? 'fraud' : 'network'}) is not in pipeline.queries; no recall or precision`)
  if (kinds.length === 0) return lines
  lines.push(`  ${'kind'.padEnd(16)} ${'family'.padEnd(7)} ${'truth'.padStart(5)} ${'found'.padStart(5)} ${'alerted'.padStart(7)} ${'FP'.padStart(4)} ${'prec'.padStart(5)} ${'recall'.padStart(6)} ${'f1'.padStart(5)} ${'ttd p50'.padStart(15)} ${'ttd p95'.padStart(15)}  exposure (minor)`)
  for (const [kind, d] of kinds.sort(([a], [b]) => a.localeCompare(b))) {
    const exposure = d.exposure_minor === null ? '' : `${count(d.exposure_minor)} of ${count(d.exposure_total_minor)}`
    lines.push(`  ${kind.padEnd(16)} ${d.family.padEnd(7)} ${String(d.truth_units).padStart(5)} ${String(d.detected_units).padStart(5)} ${String(d.alerted_units).padStart(7)} ${String(d.false_positives).padStart(4)} ${fraction(d.precision).padStart(5)} ${fraction(d.recall).padStart(6)} ${fraction(d.f1).padStart(5)} ${ttdText(d.ttd_p50_s, timeCompression).padStart(15)} ${ttdText(d.ttd_p95_s, timeCompression).padStart(15)}  ${exposure}`)
  }
  const hn = Object.entries(r.detection_summary.hard_negatives)
  if (hn.length > 0) lines.push(`  hard negatives flagged: ${hn.map(([kind, h]) => `${kind} ${h.flagged}/${h.entities}`).join(' · ')}`)
  return lines
}

/** A streaming-vs-batch value: times to detect (unit `s`, scenario seconds) in wall seconds with the scenario seconds beside. */
export function comparisonValue(unit: string, value: number | null, timeCompression: number): string {
  if (unit === 's') return value === null ? 'n/a' : `${seconds(value / timeCompression)} s (${count(value)} scenario s)`
  return byUnit(unit, value)
}

/** Rows where both sides have the same value fold into one line: they say the same thing twice otherwise. */
export function foldEqualRows(rows: readonly ComparisonRow[]): { differing: ComparisonRow[]; equal: ComparisonRow[] } {
  return { differing: rows.filter((row) => row.better !== 'equal'), equal: rows.filter((row) => row.better === 'equal') }
}

/** The streaming-vs-batch block: the batch's own figures, a hyperfine-style headline, then the rows that differ and the equal ones folded. */
export function batchLines(r: Results, timeCompression: number): string[] {
  const b = r.batch
  if (b === null) return []
  const lines = ['', '█ STREAMING vs BATCH (the Spark batch baseline on the same topics)']
  if (b.state === 'unreadable') return [...lines, `  batch finished after ${seconds(b.finished_after_s)} s but its output could not be scored: ${b.error}`]
  const a = b.accounting
  lines.push(`  batch finished after ${seconds(b.finished_after_s)} s · rated once ${count(a.rated_once)} · dlq ${count(a.dlq)} · lost ${count(a.lost)} · duplicated ${count(a.duplicated)} · late records rated ${b.late_data.batch}/${b.late_data.late} (stream ${b.late_data.streaming}/${b.late_data.late})`)
  const latency = b.comparison.find((row) => row.metric === 'result_latency_p50_ms')
  if (latency?.streaming != null && latency.batch != null && latency.streaming > 0) lines.push(`  streaming results p50 ${(latency.batch / latency.streaming).toFixed(1)}× sooner than batch (${seconds(latency.streaming / 1000)} s vs ${seconds(latency.batch / 1000)} s after the event)`)
  const { differing, equal } = foldEqualRows(b.comparison)
  if (differing.length > 0) {
    lines.push(`  ${'metric'.padEnd(30)} ${'streaming'.padStart(24)} ${'batch'.padStart(24)}  better`)
    for (const row of differing) lines.push(`  ${row.metric.padEnd(30)} ${comparisonValue(row.unit, row.streaming, timeCompression).padStart(24)} ${comparisonValue(row.unit, row.batch, timeCompression).padStart(24)}  ${row.better ?? 'n/a'}`)
  }
  if (equal.length > 0) lines.push(`  equal on both sides: ${equal.map((row) => `${row.metric} ${comparisonValue(row.unit, row.streaming, timeCompression)}`).join(' · ')}`)
  return lines
}
