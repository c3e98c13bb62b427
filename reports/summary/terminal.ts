import type { Manifest, Results } from '../../harness/results/index.ts'
import { count, machineBusyText, mebibytes, ms, percent, rate, seconds, thresholdObserved, thresholdText } from '../format.ts'
import { planFacts } from '../run-data.ts'
import { batchLines, detectionLines } from './terminal-scoring.ts'
import { modelLines } from './models.ts'
import { breakdownTable, phaseRows } from './breakdown.ts'
import { servingSentences } from './serving.ts'

/** What the terminal summary reads of a run. */
export interface SummaryInput {
  results: Results
  manifest: Manifest
}

export interface Paint {
  green: (s: string) => string
  red: (s: string) => string
}

export function paint(useColor: boolean): Paint {
  return {
    green: (s) => (useColor ? `\u001b[32m${s}\u001b[0m` : s),
    red: (s) => (useColor ? `\u001b[31m${s}\u001b[0m` : s),
  }
}

function latencyLines(r: Results): string[] {
  const warmup = r.latency_warmup
  const warmupCount = Object.values(warmup.streams).reduce((n, s) => n + (s?.count ?? 0), 0)
  const lines = ['', `█ LATENCY (ms from intended send time; the ${count(warmupCount)} values sent in the first ${seconds(warmup.warmup_s)} s of warm-up are left out, kept in results.json latency_warmup)`]
  lines.push(`  ${'stream'.padEnd(18)} ${'count'.padStart(8)} ${'p50'.padStart(9)} ${'p90'.padStart(9)} ${'p99'.padStart(9)} ${'p99.9'.padStart(9)} ${'max'.padStart(9)}`)
  for (const [name, s] of Object.entries(r.latency)) {
    if (s === null) continue
    lines.push(`  ${name.padEnd(18)} ${count(s.count).padStart(8)} ${ms(s.p50).padStart(9)} ${ms(s.p90).padStart(9)} ${ms(s.p99).padStart(9)} ${ms(s.p999).padStart(9)} ${ms(s.max).padStart(9)}`)
  }
  return lines
}

/** Columns padded to their widest cell: the first two left-aligned, the numbers right-aligned. */
function textTable(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)))
  const line = (cells: readonly string[]): string => `  ${cells.map((c, i) => (i < 2 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ')}`
  return [line(header), ...rows.map(line)]
}

function breakdownLines(r: Results): string[] {
  const table = breakdownTable(r)
  if (table === null) return []
  const lines = ['', `█ WHERE THE TIME GOES (${table.caption})`, ...textTable(table.header, table.rows)]
  const phases = phaseRows(r)
  if (phases.rows.length > 0) lines.push('  micro-batch phases, p50 / p95 ms (Spark durationMs):', ...textTable(phases.header, phases.rows))
  return lines
}

function faultLines(r: Results): string[] {
  if (r.faults.length === 0) return []
  const lines = ['', '█ FAULTS (wall seconds; recovery figures counted from the injection)']
  lines.push(`  before the first fault: lost ${count(r.integrity_before_faults.lost)} · extra copies ${count(r.integrity_before_faults.duplicate_copies)} (later ones count against the latest fault injected before them)`)
  for (const f of r.faults) {
    lines.push(`  ${f.name.padEnd(20)} ${f.kind.padEnd(18)} injected at ${seconds(f.injected_at_s)} s · lifted at ${seconds(f.lifted_at_s)} s · lost ${count(f.integrity.lost)} · extra copies ${count(f.integrity.duplicate_copies)}${f.error !== null ? ` · error: ${f.error}` : ''}`)
    const v = f.recovery
    if (v === null) continue
    const spike = v.latency_spike
    const parts = [
      `detect ${seconds(v.time_to_detect_s)} s${v.detected_by !== null ? ` (${v.detected_by})` : ''}`,
      ...(v.restart_time_s !== null ? [`restart ${seconds(v.restart_time_s)} s`] : []),
      `recover ${seconds(v.time_to_recover_s)} s`,
      `drain ${seconds(v.time_to_drain_s)} s`,
      ...(spike !== null ? [`rated p99 ${ms(spike.pre_fault_p99_ms)} → peak ${ms(spike.peak_p99_ms)} ms (${ms(spike.area_above_ms_s)} ms·s above)`] : []),
    ]
    lines.push(`  ${''.padEnd(20)} ${parts.join(' · ')}`)
    if (f.availability !== null) lines.push(`  ${''.padEnd(20)} ${availabilityLine(f.availability)}`)
  }
  if (r.availability !== null) lines.push(`  whole load after the warm-up: ${availabilityLine(r.availability)}`)
  return lines
}

/** `produce stalled 5 s (longest 5 s), failed 3 s · no output 67 s (longest 11 s) · under-replicated up to 32 partitions for 50 s`. */
function availabilityLine(a: NonNullable<Results['availability']>): string {
  const urp = a.under_replicated_max === null ? '' : ` · under-replicated up to ${count(a.under_replicated_max)} partitions for ${count(a.under_replicated_s ?? 0)} s`
  return `${a.from_s}–${a.to_s} s: produce stalled ${count(a.produce_stalled_s)} s (longest ${count(a.longest_produce_stall_s)} s), failed ${count(a.produce_failed_s)} s · no output ${count(a.no_output_s)} s (longest ${count(a.longest_output_gap_s)} s)${urp}`
}

function resourceLines(r: Results): string[] {
  const lines: string[] = []
  const flink = Object.entries(r.engine).filter(([, q]) => q.checkpoint_ms !== null)
  if (flink.length > 0) {
    lines.push('', '█ FLINK (per query operator: checkpoint duration ms, largest back-pressured / busy time share of a subtask)')
    for (const [name, q] of flink) {
      const c = q.checkpoint_ms
      lines.push(`  ${name.padEnd(16)} ${count(q.input_rows)} rows · checkpoint p50 ${ms(c?.p50 ?? null)} p95 ${ms(c?.p95 ?? null)} max ${ms(c?.max ?? null)} · back-pressured ≤ ${percent(q.backpressured_ratio_max ?? 0)} · busy ≤ ${percent(q.busy_ratio_max ?? 0)}`)
    }
  }
  const engine = Object.entries(r.engine).filter(([, q]) => q.batches_with_input > 0 && q.checkpoint_ms === null)
  if (engine.length > 0) {
    lines.push('', '█ SPARK (micro-batches with input; trigger execution ms)')
    for (const [name, q] of engine) lines.push(`  ${name.padEnd(16)} ${count(q.batches_with_input).padStart(5)} batches · ${count(q.input_rows)} rows · p50 ${ms(q.trigger_execution_ms.p50)} p95 ${ms(q.trigger_execution_ms.p95)} max ${ms(q.trigger_execution_ms.max)} · state rows ${count(q.state_rows_last)}`)
  }
  const res = Object.entries(r.resources).map(([name, v]) => `${name} ${v.cpu_avg_cores.toFixed(2)} cores ${mebibytes(v.rss_max_bytes)}`)
  if (res.length > 0) lines.push('', '█ RESOURCES (avg CPU, max RSS)', `  ${res.join(' · ')}`)
  const cost = r.measurement_cost
  if (cost !== null) lines.push(`  measuring consumer ${cost.consumer_handler_cpu_s.toFixed(2)} s CPU (${cost.consumer_handler_s.toFixed(2)} s wall) for ${count(cost.records)} records (${cost.per_record_us === null ? 'n/a' : cost.per_record_us.toFixed(1)} µs each) = ${percent(cost.consumer_share_of_harness)} of the harness process CPU ${seconds(cost.harness_process_cpu_s)} s`)
  return lines
}

/** The end-of-run summary: verdict and thresholds first, then latency, throughput, accounting, billing, detection, faults, streaming vs batch. */
export function renderSummary(run: SummaryInput, useColor: boolean): string {
  const r = run.results
  const { green, red } = paint(useColor)
  const lines: string[] = []
  const verdictText = r.state === 'passed' ? green('PASSED') : red(r.state.toUpperCase())
  lines.push('', `█ VERDICT  ${verdictText}  ${r.scenario} (${r.run_id})`)
  for (const reason of r.verdict.reasons) lines.push(`  ${red('✗')} ${reason.message} [${reason.code}]`)
  if (r.machine_busy.busy) lines.push(`  ${red('!')} ${machineBusyText(r.machine_busy)}`)
  if (r.verdict.thresholds.length > 0) {
    lines.push('', '█ THRESHOLDS')
    const ordered = [...r.verdict.thresholds].sort((a, b) => Number(b.passed) - Number(a.passed))
    for (const t of ordered) lines.push(`  ${t.metric.padEnd(26)} ${t.passed ? green('✓') : red('✗')} '${thresholdText(t)}' observed ${thresholdObserved(t)}`)
  }
  lines.push(...latencyLines(r))
  lines.push(...breakdownLines(r))
  const t = r.throughput
  lines.push('', '█ THROUGHPUT (records per wall second)', `  offered ${rate(t.offered_eps)} ev/s (scenario estimate ${rate(t.estimated_eps)}) · achieved ${rate(t.achieved_eps)} ev/s · rated output ${rate(t.output_eps)} ev/s · schedule delay p99 ${ms(t.schedule_delay_p99_ms)} ms · send retries ${count(t.send_retries)} · producer sessions ${count(t.producer_sessions)}`)
  const a = r.accounting
  lines.push('', '█ ACCOUNTING (usage records: the distinct ids sent to cdr; PM counters and alarms go to their own topics and are not accounted)')
  lines.push(`  generated ${count(a.generated)} = rated once ${count(a.rated_once)} + dlq ${count(a.dlq)} + late dropped ${count(a.late_dropped)} + lost ${count(a.lost)} + duplicated ${count(a.duplicated)} + unprocessed ${count(a.unprocessed)} (extra copies ${count(a.duplicate_copies)})`)
  if (a.unprocessed > 0) lines.push('  unprocessed: never read by the pipeline, still in the input topic when the run ended')
  lines.push(`  ${r.delivery.guarantee}: ${r.delivery.statement}`)
  if (r.billing !== null) {
    const b = r.billing
    lines.push('', '█ BILLING', `  charge exact match ${percent(b.exact_match_ratio)} · bills exact ${percent(b.bill_exact_match_ratio)} · expected ${count(b.expected_minor)} minor · billed ${count(b.billed_minor)} minor · leakage ${percent(b.leakage_ratio)} · overbilling ${percent(b.overbilling_ratio)}`)
  }
  const serving = servingSentences(r)
  if (serving.length > 0) lines.push('', '█ SERVING STORE (read back from Cassandra at the end; served latency in LATENCY)', ...serving.map((l) => `  ${l}`))
  const { timeCompression } = planFacts(run.manifest)
  lines.push(...detectionLines(r, timeCompression))
  lines.push(...modelLines(r, timeCompression))
  lines.push(...faultLines(r))
  if (r.steady_state !== null) {
    const st = r.steady_state
    lines.push('', '█ STEADY STATE (backlog trend after the warm-up)', `  ${st.state} over ${seconds(st.from_s)}–${seconds(st.to_s)} s: ${st.reason}`)
  }
  lines.push(...batchLines(r, timeCompression))
  lines.push(...resourceLines(r))
  return lines.join('\n')
}
