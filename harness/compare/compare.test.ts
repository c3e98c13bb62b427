import { describe, expect, it } from 'vitest'
import { compareSides, type Comparison, type CompareOptions, type MetricComparison } from './compare.ts'
import { differences } from './comparable.ts'
import { parseGateRule } from './gates.ts'
import { fixtureRun, sideOf } from './test-runs.ts'
import type { ComparedRun } from './types.ts'

const options: CompareOptions = { rules: [], allowMismatch: false, confidence: 0.95, resamples: 500, seed: 1 }
const otherHash = 'f'.repeat(64)

function compared(c: Comparison): Extract<Comparison, { state: 'compared' }> {
  if (c.state !== 'compared') throw new Error(`not compared: ${JSON.stringify(c.differences)}`)
  return c
}
const metric = (c: Extract<Comparison, { state: 'compared' }>, name: string): MetricComparison => {
  const found = c.metrics.find((m) => m.metric.name === name)
  if (found === undefined) throw new Error(`no ${name}`)
  return found
}

/** The stored run with its rated p99 scaled by `factor` (the rest unchanged). */
function withRatedP99(run: ComparedRun, factor: number): ComparedRun {
  const rated = run.results.latency['rated']
  if (rated == null) throw new Error('fixture without rated latency')
  return { ...run, results: { ...run.results, latency: { ...run.results.latency, rated: { ...rated, p99: rated.p99 * factor } } } }
}

describe('comparing a run with itself', () => {
  const run = fixtureRun()
  const c = compared(compareSides(sideOf('baseline', [run]), sideOf('candidate', [run]), options))

  it('finds no regression and leaves out what neither side measured', () => {
    expect(c.mode).toBe('pair')
    expect(c.regressions).toEqual([])
    expect(c.mismatches).toEqual([])
    expect(c.metrics.some((m) => m.metric.name.startsWith('dlq.'))).toBe(false)
  })

  it('checks exact metrics without statistics', () => {
    const lost = metric(c, 'accounting.lost_events')
    expect(lost).toMatchObject({ verdict: 'unchanged', test: { test: 'exact' }, change: { absolute: 0, relative: null } })
  })

  it('bootstraps a latency stream with enough seconds, and leaves one with too few untested', () => {
    const delay = metric(c, 'schedule_delay.p99')
    expect(delay.test?.test).toBe('block-bootstrap')
    expect(delay.verdict).toBe('unchanged')
    if (delay.test?.test === 'block-bootstrap') {
      expect(delay.test.interval.windows).toEqual({ baseline: 16, candidate: 16 })
      expect(delay.test.interval.low).toBeLessThanOrEqual(0)
      expect(delay.test.interval.high).toBeGreaterThanOrEqual(0)
    }
    const rated = metric(c, 'rated.p99')
    expect(rated.verdict).toBe('untested')
    expect(rated.note).toMatch(/^too few per-second windows to bootstrap \(9 baseline, 9 candidate; \d+ needed for blocks of \d+\)$/)
    expect(metric(c, 'detection.SIMBOX.ttd_p50_s').note).toBe('one run a side and no per-second series: repeat the runs to test it')
  })

  it('bootstraps the achieved rate over the seconds of the load after the warm-up', () => {
    const achieved = metric(c, 'throughput.achieved_eps')
    expect(achieved.test?.test === 'block-bootstrap' ? achieved.test.interval.windows : null).toEqual({ baseline: 15, candidate: 15 })
  })
})

describe('a candidate that lost events', () => {
  it('regresses on accounting.lost_events by the default rule of exact metrics', () => {
    const run = fixtureRun()
    const lossy: ComparedRun = { ...run, results: { ...run.results, accounting: { ...run.results.accounting, lost: 3, rated_once: run.results.accounting.rated_once - 3 } } }
    const c = compared(compareSides(sideOf('baseline', [run]), sideOf('candidate', [lossy]), options))
    expect(c.regressions.map((m) => m.metric.name)).toEqual(['accounting.lost_events'])
    expect(metric(c, 'accounting.lost_events')).toMatchObject({ verdict: 'regressed', baseline: { value: 0 }, candidate: { value: 3 }, change: { absolute: 3, relative: null }, rule: { text: 'default' } })
    // The other way round it is an improvement.
    const back = compared(compareSides(sideOf('baseline', [lossy]), sideOf('candidate', [run]), options))
    expect(metric(back, 'accounting.lost_events').verdict).toBe('improved')
    expect(back.regressions).toEqual([])
  })
})

describe('several runs a side', () => {
  const run = fixtureRun()
  const four = (r: ComparedRun): ComparedRun[] => [r, r, r, r]

  it('test a statistical metric with Mann–Whitney U: +20 % in every run is a regression, at p = 2/70', () => {
    const c = compared(compareSides(sideOf('baseline', four(run)), sideOf('candidate', four(withRatedP99(run, 1.2))), options))
    expect(c.mode).toBe('sets')
    const p99 = metric(c, 'rated.p99')
    expect(p99.verdict).toBe('regressed')
    expect(p99.test).toMatchObject({ test: 'mann-whitney-u', significant: true, runs: { baseline: 4, candidate: 4 }, method: 'exact' })
    expect(p99.test?.test === 'mann-whitney-u' ? p99.test.pValue : null).toBeCloseTo(2 / 70, 12)
    expect(c.regressions.map((m) => m.metric.name)).toEqual(['rated.p99'])
  })

  it('call a significant change below the tolerance within tolerance, and a rule can tighten it', () => {
    const candidate = sideOf('candidate', four(withRatedP99(run, 1.03)))
    const loose = compared(compareSides(sideOf('baseline', four(run)), candidate, options))
    expect(metric(loose, 'rated.p99').verdict).toBe('within-tolerance')
    const tight = compared(compareSides(sideOf('baseline', four(run)), candidate, { ...options, rules: [parseGateRule('rated.p99 +2%')] }))
    expect(metric(tight, 'rated.p99')).toMatchObject({ verdict: 'regressed', rule: { text: 'rated.p99 +2%' } })
  })

  it('find nothing significant with three runs a side, however large the shift', () => {
    const c = compared(compareSides(sideOf('baseline', [run, run, run]), sideOf('candidate', [withRatedP99(run, 2), withRatedP99(run, 2), withRatedP99(run, 2)]), options))
    expect(metric(c, 'rated.p99')).toMatchObject({ verdict: 'unchanged', test: { significant: false, pValue: 0.1, smallestPValue: 0.1 } })
  })

  it('take the median run of a statistical metric and the worst run of an exact one', () => {
    const lossy = (lost: number): ComparedRun => ({ ...run, results: { ...run.results, accounting: { ...run.results.accounting, lost } } })
    const c = compared(compareSides(sideOf('baseline', [lossy(0), lossy(4), lossy(1)]), sideOf('candidate', [withRatedP99(run, 1.1), run, withRatedP99(run, 1.2)]), options))
    expect(metric(c, 'accounting.lost_events').baseline).toEqual({ value: 4, runs: [0, 4, 1] })
    expect(metric(c, 'rated.p99').candidate.value).toBeCloseTo(26181.6 * 1.1, 6)
  })
})

describe('comparability', () => {
  const run = fixtureRun()
  const changed = (patch: Partial<ComparedRun['manifest']>): ComparedRun => ({ ...run, manifest: { ...run.manifest, ...patch } })

  it('lists a different scenario content, and refuses to compare', () => {
    const other = changed({ scenario_sha256: otherHash })
    const found = differences(sideOf('baseline', [run]), sideOf('candidate', [other]))
    expect(found).toEqual([{ property: 'scenario content (sha256 of scenario.resolved.json)', baseline: [run.manifest.scenario_sha256], candidate: [otherHash] }])
    const c = compareSides(sideOf('baseline', [run]), sideOf('candidate', [other]), options)
    expect(c).toMatchObject({ state: 'not-comparable', differences: found })
  })

  it('lists every other setting that differs: version, runtime, machine, Kafka, Spark, guarantee, client, and untrusted runs', () => {
    const other: ComparedRun = {
      ...changed({
        telcobench: { ...run.manifest.telcobench, version: '0.2.0' },
        runtime: { ...run.manifest.runtime, kind: 'external' },
        machine: { ...run.manifest.machine, cores: 4, memory_bytes: 2 * run.manifest.machine.memory_bytes },
        versions: { ...run.manifest.versions, kafka: '4.1.0', spark: '4.0.1' },
        delivery_guarantee: 'exactly-once',
        kafka_client: 'kafkajs',
      }),
      results: { ...run.results, state: 'invalid', run_id: 'other-run' },
    }
    expect(differences(sideOf('baseline', [run]), sideOf('candidate', [other]))).toEqual([
      { property: 'telcobench version', baseline: ['0.1.0'], candidate: ['0.2.0'] },
      { property: 'runtime', baseline: ['local'], candidate: ['external'] },
      { property: 'machine cores', baseline: ['2'], candidate: ['4'] },
      { property: 'machine memory', baseline: ['24 GiB'], candidate: ['47 GiB'] },
      { property: 'Kafka version', baseline: ['4.2.0'], candidate: ['4.1.0'] },
      { property: 'Spark version', baseline: ['4.1.1'], candidate: ['4.0.1'] },
      { property: 'delivery guarantee', baseline: ['at-least-once'], candidate: ['exactly-once'] },
      { property: 'Kafka client', baseline: ['platformatic'], candidate: ['kafkajs'] },
      { property: 'run state (an invalid or aborted run cannot be trusted)', baseline: [], candidate: ['other-run is invalid'] },
    ])
  })

  it('lets repeats vary the scenario (a seed per repeat) as long as both sides ran the same ones', () => {
    const second = changed({ scenario_sha256: otherHash })
    expect(differences(sideOf('baseline', [run, second]), sideOf('candidate', [second, run]))).toEqual([])
  })

  it('compares anyway with allowMismatch, keeping the differences for every output to warn about', () => {
    const other = changed({ machine: { ...run.manifest.machine, cores: 4 } })
    const c = compared(compareSides(sideOf('baseline', [run]), sideOf('candidate', [other]), { ...options, allowMismatch: true }))
    expect(c.mismatches).toEqual([{ property: 'machine cores', baseline: ['2'], candidate: ['4'] }])
    expect(c.regressions).toEqual([])
  })
})
