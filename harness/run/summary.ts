import type { Results } from '../results/index.ts'
import { batchLines, detectionLines } from './summary-scoring.ts'

const fmt = (n: number | null | undefined, digits = 1): string => (n === null || n === undefined ? 'n/a' : n.toFixed(digits))
const pct = (n: number | null | undefined): string => (n === null || n === undefined ? 'n/a' : `${(n * 100).toFixed(3)}%`)

/** The end-of-run summary: verdict and thresholds first, then latency, throughput, accounting, billing, detection, streaming vs batch. */
export function renderSummary(r: Results, runDir: string, useColor: boolean): string {
  const green = (s: string): string => (useColor ? `\u001b[32m${s}\u001b[0m` : s)
  const red = (s: string): string => (useColor ? `\u001b[31m${s}\u001b[0m` : s)
  const lines: string[] = []
  const verdictText = r.state === 'passed' ? green('PASSED') : red(r.state.toUpperCase())
  lines.push('', `█ VERDICT  ${verdictText}  ${r.scenario} (${r.run_id})`)
  for (const reason of r.verdict.reasons) lines.push(`  ${red('✗')} ${reason.message} [${reason.code}]`)
  if (r.verdict.thresholds.length > 0) {
    lines.push('', '█ THRESHOLDS')
    const ordered = [...r.verdict.thresholds].sort((a, b) => Number(b.passed) - Number(a.passed))
    for (const t of ordered) lines.push(`  ${t.metric.padEnd(26)} ${t.passed ? green('✓') : red('✗')} '${t.expr}' observed=${fmt(t.observed, 3)}`)
  }
  const warmup = r.latency_warmup
  const warmupCount = Object.values(warmup.streams).reduce((n, s) => n + (s?.count ?? 0), 0)
  lines.push('', `█ LATENCY (ms, from intended send time; events sent in the first ${fmt(warmup.warmup_s, 0)} s of warm-up left out: ${warmupCount} values, in results.json latency_warmup)`)
  lines.push(`  ${'stream'.padEnd(18)} ${'count'.padStart(8)} ${'p50'.padStart(9)} ${'p90'.padStart(9)} ${'p99'.padStart(9)} ${'p99.9'.padStart(9)} ${'max'.padStart(9)}`)
  for (const [name, s] of Object.entries(r.latency)) {
    if (s === null) continue
    lines.push(`  ${name.padEnd(18)} ${String(s.count).padStart(8)} ${fmt(s.p50).padStart(9)} ${fmt(s.p90).padStart(9)} ${fmt(s.p99).padStart(9)} ${fmt(s.p999).padStart(9)} ${fmt(s.max).padStart(9)}`)
  }
  const t = r.throughput
  lines.push('', '█ THROUGHPUT', `  offered ${fmt(t.offered_eps)} ev/s (scenario estimate ${fmt(t.estimated_eps)}) · achieved ${fmt(t.achieved_eps)} ev/s · rated output ${fmt(t.output_eps)} ev/s · schedule delay p99 ${fmt(t.schedule_delay_p99_ms)} ms · send retries ${t.send_retries} · producer sessions ${t.producer_sessions}`)
  const a = r.accounting
  lines.push('', '█ ACCOUNTING (usage events)', `  generated ${a.generated} = rated once ${a.rated_once} + dlq ${a.dlq} + late dropped ${a.late_dropped} + lost ${a.lost} + duplicated ${a.duplicated} + unprocessed ${a.unprocessed} (extra copies ${a.duplicate_copies})`)
  if (a.unprocessed > 0) lines.push(`  unprocessed: never read by the pipeline, still in the input topic when the run ended`)
  if (r.billing !== null) {
    const b = r.billing
    lines.push('', '█ BILLING', `  charge exact match ${pct(b.exact_match_ratio)} · bills exact ${pct(b.bill_exact_match_ratio)} · expected ${b.expected_minor} minor · billed ${b.billed_minor} minor · leakage ${pct(b.leakage_ratio)} · overbilling ${pct(b.overbilling_ratio)}`)
  }
  lines.push(...detectionLines(r))
  if (r.faults.length > 0) {
    lines.push('', '█ FAULTS')
    lines.push(`  before the first fault: lost ${r.integrity_before_faults.lost} · extra copies ${r.integrity_before_faults.duplicate_copies} (later ones count against the latest fault injected before them)`)
    for (const f of r.faults) {
      lines.push(`  ${f.name.padEnd(20)} ${f.kind.padEnd(18)} at ${fmt(f.injected_at_s)} s lifted ${fmt(f.lifted_at_s)} s recovered after ${fmt(f.recovered_after_s)} s · lost ${f.integrity.lost} · extra copies ${f.integrity.duplicate_copies}${f.error !== null ? ` error: ${f.error}` : ''}`)
      const v = f.recovery
      if (v !== null) {
        const spike = v.latency_spike
        lines.push(`  ${''.padEnd(20)} detect ${fmt(v.time_to_detect_s)} s${v.detected_by !== null ? ` (${v.detected_by})` : ''} · recover ${fmt(v.time_to_recover_s)} s · drain ${fmt(v.time_to_drain_s)} s${v.restart_time_s !== null ? ` · restart ${fmt(v.restart_time_s)} s` : ''}${spike !== null ? ` · rated p99 ${fmt(spike.pre_fault_p99_ms, 0)} → peak ${fmt(spike.peak_p99_ms, 0)} ms, ${spike.area_above_ms_s} ms·s above` : ''}`)
      }
    }
  }
  if (r.steady_state !== null) {
    const st = r.steady_state
    lines.push('', '█ STEADY STATE', `  ${st.state} · lag trend ${fmt(st.lag_trend_eps, 2)} ± ${fmt(st.lag_trend_stderr_eps, 2)} ev/s over ${fmt(st.from_s, 0)}–${fmt(st.to_s, 0)} s (threshold ${fmt(st.threshold_eps, 2)}) · ${st.reason}`)
  }
  lines.push(...batchLines(r))
  const res = Object.entries(r.resources).map(([name, v]) => {
    const x = v as { cpu_avg_cores: number; rss_max_bytes: number }
    return `${name} ${fmt(x.cpu_avg_cores, 2)} cores ${Math.round(x.rss_max_bytes / 2 ** 20)} MiB`
  })
  const engine = Object.entries(r.engine).filter(([, q]) => q.batches_with_input > 0)
  if (engine.length > 0) {
    lines.push('', '█ SPARK (micro-batches with input; trigger execution ms)')
    for (const [name, q] of engine) lines.push(`  ${name.padEnd(16)} ${String(q.batches_with_input).padStart(5)} batches · ${q.input_rows} rows · p50 ${q.trigger_execution_ms.p50} p95 ${q.trigger_execution_ms.p95} max ${q.trigger_execution_ms.max} · state rows ${q.state_rows_last}`)
  }
  if (res.length > 0) lines.push('', '█ RESOURCES (avg CPU, max RSS)', `  ${res.join(' · ')}`)
  const cost = r.measurement_cost
  if (cost !== null) lines.push(`  measuring consumer ${fmt(cost.consumer_handler_cpu_s, 2)} s CPU (${fmt(cost.consumer_handler_s, 2)} s wall) for ${cost.records} records (${fmt(cost.per_record_us, 1)} µs each) = ${pct(cost.consumer_share_of_harness)} of the harness process CPU ${fmt(cost.harness_process_cpu_s, 1)} s`)
  lines.push('', `results: ${runDir}/results.json`)
  return lines.join('\n')
}
