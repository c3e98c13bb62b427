import { describe, expect, it } from 'vitest'
import type { Results } from '../../harness/results/index.ts'
import { fixtureRun, withFaults } from '../test-fixture.ts'
import { renderSummary } from './terminal.ts'

const summaryOf = (results: Results): string => renderSummary({ results, manifest: fixtureRun().manifest }, false)

describe('the terminal summary', () => {
  const run = fixtureRun()
  const r = run.results

  it('opens with the verdict and every reason, then the thresholds', () => {
    const text = renderSummary(run, false)
    expect(text.trimStart().startsWith(`█ VERDICT  ${r.state.toUpperCase()}  ${r.scenario} (${r.run_id})`)).toBe(true)
    for (const reason of r.verdict.reasons) expect(text).toContain(`✗ ${reason.message} [${reason.code}]`)
    expect(text).toMatch(/█ THRESHOLDS\n {2}billing_error_ratio +✓ 'max<0.01' observed 0/)
  })

  it('says when the machine was busy, and names the worst window of a windowed threshold', () => {
    const reason = 'other processes used 0.80 cores on average over the load (above 0.50, a quarter of the 2 cores)'
    const windowed = { metric: 'pipeline_e2e_latency_ms', expr: 'p(99)<5000', window_s: 10, observed: 8388.607, worst_window: { from_s: 60, to_s: 70 }, passed: false }
    const text = summaryOf({ ...r, machine_busy: { busy: true, reason }, verdict: { ...r.verdict, thresholds: [windowed] } })
    expect(text).toContain(`\n  ! machine busy: ${reason}; the figures may show that load rather than the system under test\n`)
    expect(text).toContain("█ THRESHOLDS\n  pipeline_e2e_latency_ms    ✗ 'p(99)<5000 in every 10 s window' observed 8,389 ms in 60–70 s (worst window)\n")
    expect(summaryOf(r)).not.toContain('machine busy')
  })

  it('rounds latencies to three significant digits and never prints max below p50', () => {
    const text = renderSummary(run, false)
    const rated = /\n {2}rated +([\d,]+) +([\d,.]+) +([\d,.]+) +([\d,.]+) +([\d,.]+) +([\d,.]+)\n/.exec(text)
    expect(rated).not.toBeNull()
    const [p50, , , , max] = (rated ?? []).slice(2).map((v) => Number(v.replace(/,/g, '')))
    expect(max).toBeGreaterThanOrEqual(p50 ?? Infinity)
    expect(text).not.toMatch(/\d\.\d{4,}/)
  })

  it('gives times to detect in wall seconds with the scenario seconds beside them', () => {
    const simbox = r.detection['SIMBOX']
    if (simbox?.ttd_p50_s == null) throw new Error('fixture without a detected SIMBOX')
    const wall = (simbox.ttd_p50_s / 240).toFixed(1)
    expect(renderSummary(run, false)).toMatch(new RegExp(`\\n {2}SIMBOX .* ${wall.replace('.', '\\.')} \\(${Math.round(simbox.ttd_p50_s)}\\)`))
  })

  it('says the steady state once: the state, its segment, then the reason', () => {
    const text = renderSummary(run, false)
    const line = text.split('\n').find((l) => l.startsWith(`  ${r.steady_state?.state} over`)) ?? ''
    expect(line).toBe(`  ${r.steady_state?.state} over ${r.steady_state?.from_s.toFixed(1)}–${r.steady_state?.to_s.toFixed(1)} s: ${r.steady_state?.reason}`)
  })

  it('folds the streaming-vs-batch rows that are equal into one line', () => {
    const text = renderSummary(run, false)
    const block = text.slice(text.indexOf('█ STREAMING vs BATCH'))
    expect(block).toMatch(/\n {2}result_latency_p50_ms +[\d,]+ ms +[\d,]+ ms +streaming/)
    expect(block).toMatch(/\n {2}equal on both sides: charge_exact_match_ratio 100\.00 % · /)
    expect(block).not.toMatch(/\n {2}charge_exact_match_ratio /)
  })

  it('names the accounting\'s records: the usage records sent to cdr', () => {
    expect(renderSummary(run, false)).toContain(`█ ACCOUNTING (usage records: the distinct ids sent to cdr; PM counters and alarms go to their own topics and are not accounted)\n  generated ${r.accounting.generated.toLocaleString('en-US')} = rated once`)
  })

  it('counts the records the pipeline never read, and says what they are', () => {
    const text = summaryOf({ ...r, accounting: { ...r.accounting, rated_once: r.accounting.rated_once - 40, unprocessed: 40 } })
    expect(text).toContain('+ duplicated 0 + unprocessed 40 (extra copies 0)')
    expect(text).toContain('unprocessed: never read by the pipeline, still in the input topic when the run ended')
    expect(renderSummary(run, false)).not.toContain('unprocessed: never read')
  })

  it('says which detection family did not run', () => {
    const text = summaryOf({ ...r, detection: {}, detection_summary: { ...r.detection_summary, not_run: ['fraud', 'anomaly'] } })
    expect(text).toContain('fraud detection not run')
    expect(text).toContain('anomaly detection not run')
  })

  it('lists each fault with its recovery phases and integrity', () => {
    const text = summaryOf(withFaults(run).results)
    expect(text).toContain('█ FAULTS (wall seconds; recovery figures counted from the injection)')
    expect(text).toMatch(/crash-driver +pipeline-crash +injected at 16\.0 s · lifted at 20\.0 s · lost 0 · extra copies 37/)
    expect(text).toMatch(/detect 1\.5 s \(output-gap\) · restart 3\.0 s · recover 6\.0 s · drain 8\.0 s · rated p99 1,200 → peak 9,000 ms/)
    expect(text).toMatch(/pause-broker .* lifted at n\/a s · lost 2/)
  })
})
