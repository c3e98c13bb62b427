import { describe, expect, it } from 'vitest'
import { runMetrics } from './metrics.ts'
import { fixtureRun } from './test-runs.ts'

describe('the metrics of a run', () => {
  const metrics = runMetrics(fixtureRun().results)
  const byName = new Map(metrics.map((m) => [m.name, m]))

  it('name every latency percentile, rate, accounting count, billing ratio and detection figure of the stored quickstart run', () => {
    const streams = ['rated', 'bills', 'alerts', 'dlq', 'schedule_delay', 'produce_service', 'produce_response']
    expect(metrics.map((m) => m.name)).toEqual([
      ...streams.flatMap((s) => ['p50', 'p95', 'p99', 'p999'].map((p) => `${s}.${p}`)),
      'throughput.achieved_eps',
      'throughput.output_eps',
      'accounting.lost_events',
      'accounting.duplicated_events',
      'accounting.duplicate_copies',
      'accounting.dlq_events',
      'accounting.late_dropped_events',
      'accounting.unprocessed_events',
      'accounting.unexpected_events',
      'billing.charge_exact_match_ratio',
      'billing.bill_exact_match_ratio',
      'billing.bill_records_exact_match_ratio',
      'billing.leakage_ratio',
      'billing.overbilling_ratio',
      'billing.billing_error_ratio',
      'detection.SIMBOX.precision',
      'detection.SIMBOX.recall',
      'detection.SIMBOX.ttd_p50_s',
      'detection.SLEEPING_CELL.precision',
      'detection.SLEEPING_CELL.recall',
      'detection.SLEEPING_CELL.ttd_p50_s',
      'resources.engine.cpu_avg_cores',
      'resources.engine.rss_max_mib',
    ])
  })

  it('take the values results.json holds, null where the run measured nothing', () => {
    expect(byName.get('rated.p99')?.value).toBe(26181.6)
    expect(byName.get('bills.p50')?.value).toBe(20201.5)
    expect(byName.get('alerts.p99')?.value).toBe(16546.2)
    expect(byName.get('rated.p999')?.value).toBe(26722.3)
    expect(byName.get('dlq.p99')?.value).toBeNull()
    expect(byName.get('throughput.achieved_eps')?.value).toBe(250.531)
    expect(byName.get('throughput.output_eps')?.value).toBe(245.396)
    expect(byName.get('accounting.lost_events')?.value).toBe(0)
    expect(byName.get('accounting.dlq_events')?.value).toBe(6)
    expect(byName.get('billing.charge_exact_match_ratio')?.value).toBe(1)
    expect(byName.get('billing.billing_error_ratio')?.value).toBe(0)
    expect(byName.get('detection.SIMBOX.recall')?.value).toBe(1)
    expect(byName.get('detection.SIMBOX.ttd_p50_s')?.value).toBe(7346.43)
  })

  it('class latency, rates and times as statistical, accuracy as exact, each with its direction and unit', () => {
    const shape = (name: string): unknown => {
      const m = byName.get(name)
      return m === undefined ? undefined : [m.class, m.direction, m.unit]
    }
    expect(shape('rated.p99')).toEqual(['statistical', 'lower-is-better', 'ms'])
    expect(shape('throughput.output_eps')).toEqual(['statistical', 'higher-is-better', 'eps'])
    expect(shape('detection.SIMBOX.ttd_p50_s')).toEqual(['statistical', 'lower-is-better', 's'])
    expect(shape('accounting.lost_events')).toEqual(['exact', 'lower-is-better', 'events'])
    expect(shape('billing.charge_exact_match_ratio')).toEqual(['exact', 'higher-is-better', 'ratio'])
    expect(shape('billing.leakage_ratio')).toEqual(['exact', 'lower-is-better', 'ratio'])
    expect(shape('detection.SLEEPING_CELL.precision')).toEqual(['exact', 'higher-is-better', 'ratio'])
    expect(shape('resources.engine.cpu_avg_cores')).toEqual(['statistical', 'lower-is-better', 'cores'])
    expect(byName.get('rated.p99')?.windows).toEqual({ kind: 'latency', stream: 'rated', percentile: 99 })
    expect(byName.get('throughput.achieved_eps')?.windows).toEqual({ kind: 'rate', field: 'acked' })
    expect(byName.get('detection.SIMBOX.ttd_p50_s')?.windows).toBeNull()
  })

  it("give each fault's recovery times", () => {
    const run = fixtureRun().results
    const recovery = { until_s: 30, pre_fault: null, window_s: 1, time_to_detect_s: 1.5, detected_by: 'output-gap' as const, time_to_recover_s: 6, time_to_drain_s: null, restart_time_s: 3, latency_spike: null }
    const fault = { name: 'crash-driver', kind: 'pipeline-crash' as const, target: 'pipeline' as const, at_s: 16, injected_at_s: 16, lifted_at_s: 20, restarted_at_s: 20, recovered_after_s: 6, recovery, availability: null, nodes: [], error: null, integrity: { lost: 0, duplicate_copies: 0 } }
    const withFault = runMetrics({ ...run, faults: [fault] }).filter((m) => m.name.startsWith('faults.'))
    expect(withFault.map((m) => [m.name, m.value, m.class, m.unit])).toEqual([
      ['faults.crash-driver.time_to_recover_s', 6, 'statistical', 's'],
      ['faults.crash-driver.time_to_drain_s', null, 'statistical', 's'],
    ])
  })
})
