import type { Results } from '../results/index.ts'

const fmt = (n: number | null | undefined, digits = 1): string => (n === null || n === undefined ? 'n/a' : n.toFixed(digits))

/** The detection table of the end-of-run summary: one line per alert kind, then the hard negatives. */
export function detectionLines(r: Results): string[] {
  const kinds = Object.entries(r.detection)
  const notRun = r.detection_summary.not_run
  if (kinds.length === 0 && notRun.length === 0) return []
  const lines = ['', '█ DETECTION (fraud per entity, anomalies per alert; time to detect in scenario seconds)']
  for (const family of notRun) lines.push(`  ${family} detection not run: its Spark query (${family === 'fraud' ? 'fraud' : 'network'}) is not in pipeline.queries; no recall or precision`)
  if (kinds.length === 0) return lines
  lines.push(`  ${'kind'.padEnd(16)} ${'family'.padEnd(7)} ${'truth'.padStart(5)} ${'found'.padStart(5)} ${'alerted'.padStart(7)} ${'FP'.padStart(4)} ${'prec'.padStart(5)} ${'recall'.padStart(6)} ${'f1'.padStart(5)} ${'ttd p50'.padStart(8)} ${'ttd p95'.padStart(8)}  exposure (minor)`)
  for (const [kind, d] of kinds.sort(([a], [b]) => a.localeCompare(b))) {
    const exposure = d.exposure_minor === null ? '' : `${d.exposure_minor} of ${d.exposure_total_minor ?? 'n/a'}`
    lines.push(`  ${kind.padEnd(16)} ${d.family.padEnd(7)} ${String(d.truth_units).padStart(5)} ${String(d.detected_units).padStart(5)} ${String(d.alerted_units).padStart(7)} ${String(d.false_positives).padStart(4)} ${fmt(d.precision, 2).padStart(5)} ${fmt(d.recall, 2).padStart(6)} ${fmt(d.f1, 2).padStart(5)} ${fmt(d.ttd_p50_s).padStart(8)} ${fmt(d.ttd_p95_s).padStart(8)}  ${exposure}`)
  }
  const hn = Object.entries(r.detection_summary.hard_negatives)
  if (hn.length > 0) lines.push(`  hard negatives flagged: ${hn.map(([kind, h]) => `${kind} ${h.flagged}/${h.entities}`).join(' · ')}`)
  return lines
}

/** The streaming-vs-batch block: the batch's own figures, a hyperfine-style headline, then the side-by-side lines. */
export function batchLines(r: Results): string[] {
  const b = r.batch
  if (b === null) return []
  const lines = ['', '█ STREAMING vs BATCH (the Spark batch baseline on the same topics)']
  if (b.state === 'unreadable') return [...lines, `  batch finished after ${fmt(b.finished_after_s)} s but its output could not be scored: ${b.error}`]
  const a = b.accounting
  lines.push(`  batch finished after ${fmt(b.finished_after_s)} s · rated once ${a.rated_once} · dlq ${a.dlq} · lost ${a.lost} · duplicated ${a.duplicated} · late records rated ${b.late_data.batch}/${b.late_data.late} (stream ${b.late_data.streaming}/${b.late_data.late})`)
  const latency = b.comparison.find((row) => row.metric === 'result_latency_p50_ms')
  if (latency?.streaming != null && latency.batch != null && latency.streaming > 0) lines.push(`  streaming results p50 ${fmt(latency.batch / latency.streaming)}× sooner than batch (${fmt(latency.streaming / 1000, 2)} s vs ${fmt(latency.batch / 1000, 2)} s after the event)`)
  lines.push(`  ${'metric'.padEnd(30)} ${'streaming'.padStart(12)} ${'batch'.padStart(12)}  better`)
  for (const row of b.comparison) {
    const digits = row.unit === 'ratio' ? 4 : row.unit === 'events' || row.unit === 'minor' ? 0 : 1
    lines.push(`  ${row.metric.padEnd(30)} ${fmt(row.streaming, digits).padStart(12)} ${fmt(row.batch, digits).padStart(12)}  ${row.better ?? 'n/a'}`)
  }
  return lines
}
