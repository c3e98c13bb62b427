import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import type { Results } from '../results/index.ts'
import { nameBottleneck } from './bottleneck.ts'
import { judgeRun, pointVerdict, runWithoutResults } from './judge.ts'
import { parseSlo } from './slo.ts'

const fixture = JSON.parse(readFileSync(new URL('../../test/fixtures/run-quickstart/results.json', import.meta.url), 'utf8')) as Results

/** The fixture run with its verdict replaced and rated p99 set, as a capacity run would read. */
function run(codes: Results['verdict']['reasons'][number]['code'][], ratedP99: number): Results {
  const rated = fixture.latency['rated']
  if (rated === undefined || rated === null) throw new Error('fixture without rated latency')
  return { ...fixture, verdict: { ...fixture.verdict, reasons: codes.map((code) => ({ code, message: `${code} happened` })) }, latency: { ...fixture.latency, rated: { ...rated, p99: ratedP99 } } }
}

const slos = [parseSlo('rated p99<3000')]

/** A run whose generator waited: its schedule delay and threads, the produce service p99 and the harness's CPU. */
function waited(base: Results, o: { scheduleP99: number; workers: number; serviceP99: number; harnessCores: number }): Results {
  return {
    ...base,
    throughput: { ...base.throughput, schedule_delay_outside_faults_p99_ms: o.scheduleP99, generator_workers: o.workers },
    latency: { ...base.latency, produce_service: { ...(base.latency['produce_service'] ?? base.latency['rated'] ?? { p99: 0 }), p99: o.serviceP99 } } as Results['latency'],
    resources: { ...base.resources, harness: { cpu_seconds: 10, cpu_avg_cores: o.harnessCores, rss_max_bytes: 1, samples: 10 } },
  }
}

describe('judging a capacity run', () => {
  it('passes a run with no reasons whose SLOs hold, and ignores the scenario’s own thresholds', () => {
    const j = judgeRun(run(['threshold_failed'], 2500), 'cfg/run-1', slos)
    expect(j).toMatchObject({ outcome: 'pass', reasons: [], folder: 'cfg/run-1', p99_ms: { rated: 2500 } })
  })

  it('fails on a missed SLO, a growing lag or lost events; each reason named', () => {
    expect(judgeRun(run([], 3000), 'f', slos)).toMatchObject({ outcome: 'fail', reasons: ['slo: rated p99<3000 does not hold (observed 3000 ms)'] })
    expect(judgeRun(run(['not_sustained', 'lost_events'], 100), 'f', slos).reasons.map((r) => r.split(':')[0])).toEqual(['not_sustained', 'lost_events'])
  })

  it('calls a run invalid when the harness fell behind, even if the system also failed', () => {
    const behind = run(['generator_behind_schedule', 'not_sustained'], 9000)
    // The harness used its core to the full: its delay is its own, whatever the broker did.
    const j = judgeRun({ ...behind, resources: { ...behind.resources, harness: { cpu_seconds: 40, cpu_avg_cores: 1, rss_max_bytes: 1, samples: 40 } } }, 'f', slos)
    expect(j.outcome).toBe('invalid')
    expect(j.reasons[0]).toMatch(/^generator_behind_schedule/)
  })

  it('fails, not invalidates, a run whose generator fell behind waiting on a slow broker with CPU to spare', () => {
    const behind = run(['generator_behind_schedule'], 2000)
    const withLatency = (serviceP99: number, harnessCores: number): Results => waited(behind, { scheduleP99: 1300, workers: 1, serviceP99, harnessCores })
    const slowBroker = judgeRun(withLatency(2800, 0.4), 'f', slos)
    expect(slowBroker.outcome).toBe('fail')
    expect(slowBroker.reasons[0]).toBe("broker_backpressure: the generator's sends waited on the broker: produce service p99 2800 ms ≥ schedule delay p99 1300 ms, while the harness used 0.40 cores for 1 generator thread(s)")
    expect(judgeRun(withLatency(200, 0.4), 'f', slos).outcome).toBe('invalid')
    expect(judgeRun(withLatency(2800, 0.95), 'f', slos).outcome).toBe('invalid')
  })

  it('fails, not invalidates, a run whose generator offered less because its sends waited on the broker', () => {
    const short = run(['generator_shortfall', 'generator_behind_schedule', 'not_sustained'], 9000)
    const withService = (serviceP99: number, harnessCores: number): Results => waited(short, { scheduleP99: 978, workers: 2, serviceP99, harnessCores })
    const heldBack = judgeRun(withService(1570, 0.75), 'f', slos)
    expect(heldBack.outcome).toBe('fail')
    // Both harness codes have the one cause: it is named once.
    expect(heldBack.reasons.filter((r) => r.startsWith('broker_backpressure'))).toEqual(["broker_backpressure: the generator's sends waited on the broker: produce service p99 1570 ms ≥ schedule delay p99 978 ms, while the harness used 0.75 cores for 2 generator thread(s)"])
    expect(heldBack.reasons.some((r) => r.startsWith('generator_'))).toBe(false)
    // Two threads at 1.9 cores ran out of CPU themselves: unmeasured.
    expect(judgeRun(withService(1570, 1.9), 'f', slos).outcome).toBe('invalid')
  })

  it("carries the run's harness CPU per 1,000 events sent", () => {
    expect(judgeRun(run([], 100), 'f', slos).harness_cpu_ms_per_1000_events).toBe(fixture.throughput.harness_cpu_ms_per_1000_events)
  })

  it('a point passes only when every repeat passes; a valid failure outranks an invalid repeat', () => {
    expect(pointVerdict([{ outcome: 'pass' }, { outcome: 'pass' }])).toBe('pass')
    expect(pointVerdict([{ outcome: 'pass' }, { outcome: 'invalid' }])).toBe('invalid')
    expect(pointVerdict([{ outcome: 'invalid' }, { outcome: 'fail' }])).toBe('fail')
    expect(pointVerdict([])).toBe('invalid')
  })
})

describe('naming the bottleneck', () => {
  const base = judgeRun(run(['not_sustained'], 100), 'f', slos)
  it('names the generator when the limit point was invalid', () => {
    expect(nameBottleneck([{ ...base, outcome: 'invalid' }], { triggerIntervalMs: 1000, machineCores: 2 }).component).toBe('generator')
  })
  it('names Spark when micro-batches take longer than the trigger interval, with the figures', () => {
    const b = nameBottleneck([{ ...base, trigger_p50_ms: { rating: 1400, fraud: 300 } }], { triggerIntervalMs: 1000, machineCores: 2 })
    expect(b.component).toBe('spark')
    expect(b.summary).toContain('rating query')
    expect(b.evidence.join('\n')).toContain('rating 1400 ms, fraud 300 ms (interval 1000 ms)')
  })
  it('names the broker when produce acknowledgements are slow', () => {
    expect(nameBottleneck([{ ...base, trigger_p50_ms: { rating: 200 }, produce_response_p99_ms: 2500 }], { triggerIntervalMs: 1000, machineCores: 2 }).component).toBe('broker')
  })
  it('names the busiest process of a saturated machine', () => {
    const b = nameBottleneck([{ ...base, trigger_p50_ms: {}, produce_response_p99_ms: 20, cpu_cores: { harness: 0.3, broker: 0.4, spark: 1.2 } }], { triggerIntervalMs: null, machineCores: 2 })
    expect(b).toMatchObject({ component: 'spark' })
    expect(b.summary).toContain('saturated (1.90 busy)')
  })
  it('falls back on the lag, then says it does not know', () => {
    const quiet = { ...base, trigger_p50_ms: {}, produce_response_p99_ms: 20, cpu_cores: { spark: 0.2 } }
    expect(nameBottleneck([{ ...quiet, lag_trend_eps: 40 }], { triggerIntervalMs: null, machineCores: 2 }).component).toBe('spark')
    // A positive trend in a lag judged steady is noise, not a pipeline falling behind.
    expect(nameBottleneck([{ ...quiet, lag_state: 'steady', lag_trend_eps: 40 }], { triggerIntervalMs: null, machineCores: 2 }).component).toBe('unknown')
    expect(nameBottleneck([{ ...quiet, lag_trend_eps: 0 }], { triggerIntervalMs: null, machineCores: 2 }).component).toBe('unknown')
  })
  it('names the slowest latency stage when the lag held but a latency SLO failed', () => {
    const steady = { ...base, trigger_p50_ms: { rating: 300 }, produce_response_p99_ms: 20, cpu_cores: { spark: 0.5 }, lag_trend_eps: 0, reasons: ['slo: rated p99<3000 does not hold (observed 4100 ms)'] }
    const b = nameBottleneck([{ ...steady, stage_means_ms: { to_broker: 5, wait_for_trigger: 480, batch_start: 120, processing: 1900, delivery: 40 } }], { triggerIntervalMs: 1000, machineCores: 2 })
    expect(b.component).toBe('spark')
    expect(b.summary).toBe("the lag held but rated p99<3000 does not hold (observed 4100 ms): most of the latency is the processing stage (mean 1900 of 2545 ms): Spark's tasks take that long from reading a record to producing its rated record")
    expect(b.evidence.at(-1)).toBe('rated latency stage means: to_broker 5 ms, wait_for_trigger 480 ms, batch_start 120 ms, processing 1900 ms, delivery 40 ms')
    expect(nameBottleneck([{ ...steady, stage_means_ms: {} }], { triggerIntervalMs: 1000, machineCores: 2 }).summary).toMatch(/no latency breakdown/)
  })
  it('keeps a run without results as an unmeasured run', () => {
    expect(runWithoutResults(null, 'TB_INFRA: no broker')).toMatchObject({ outcome: 'invalid', reasons: ['TB_INFRA: no broker'] })
  })
})
