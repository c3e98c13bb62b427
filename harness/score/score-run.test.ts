import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { newHistogram, summarize } from '../measure/histograms.ts'
import type { AlertRecord, BillRecord, DlqRecord } from '../run/collector.ts'
import type { FaultRecord } from '../run/faults.ts'
import type { Guarantee } from '../run/plan.ts'
import type { Results } from '../results/index.ts'
import { loadScenario, type LoadedScenario } from '../run/scenario-source.ts'
import { TruthRecorder } from '../run/truth-recorder.ts'
import { exitCodeForRun } from '../errors.ts'
import { accountingHolds } from './accounting.ts'
import { cpuSecondsAcrossRestarts, scoreRun, type BatchRun, type PipelineOutput, type ScoreRunInput } from './score-run.ts'
import { deliveryOf } from '../run/delivery.ts'
import type { ModelFolder } from '../ml/model-folder.ts'

// The checker tests itself: a perfect pipeline output built from a real generated scenario's truth must
// pass, and each deliberate break must fail the verdict for its own reason with the exact counts.
const scenarioYaml = `
version: 1
name: checker-self-test
seed: 7
startTime: "2026-01-06T08:00:00Z"
duration: 2h
timeCompression: 100
population: { subscribers: 2000 }
topology: { sites: 2 }
traffic: { pm: { granularity: 5m } }
fraud:
  box: { kind: SIMBOX, share: 0.004, simsPerBox: 4 }
  pump: { kind: IRSF, startTime: 10m, concurrentCalls: 3 }
anomalies:
  asleep: { kind: SLEEPING_CELL, startTime: 30m, duration: 40m, cells: [1] }
  busy: { kind: CONGESTION, startTime: 20m, duration: 30m, cells: [4] }
hardNegatives:
  heavyInternationalCallers: { share: 0.005 }
badInput:
  exactDuplicates: 0.005
  malformedJson: 0.002
  negativeDuration: 0.002
  late: { share: 0.003 }
thresholds:
  lost_events: ["count==0"]
  dup_events: ["count==0"]
  charge_exact_match_ratio: ["value==1"]
  fraud_recall: ["value==1"]
  anomaly_recall: ["value==1"]
`

const runStartNs = 1_000_000_000_000n
/** Detection delays the perfect pipeline reports, scenario ms. */
const fraudDelayMs = 600_000
const anomalyDelayMs = 900_000

interface Generated {
  scenario: LoadedScenario
  truth: TruthRecorder
  ids: string[]
  offsets: number[]
  unparsableIdByRaw: Map<string, string>
}

let dir = ''
let gen: Generated

function generate(guarantee?: Guarantee): Generated {
  const path = join(dir, 'checker.yaml')
  writeFileSync(path, scenarioYaml)
  const scenario = loadScenario(path, { overrides: [], ...(guarantee !== undefined ? { guarantee } : {}) })
  const truth = new TruthRecorder(mkdtempSync(join(dir, 'truth-')))
  const ids: string[] = []
  const offsets: number[] = []
  const unparsableIdByRaw = new Map<string, string>()
  for (const event of scenario.events(truth)) {
    if (event.topic !== 'cdr' || event.id === null) continue
    ids.push(event.id)
    offsets.push(event.sendOffsetNs)
    if (truth.injections.get(event.id)?.reason === 'malformed_json') unparsableIdByRaw.set(scenario.encode(event, runStartNs), event.id)
  }
  return { scenario, truth, ids, offsets, unparsableIdByRaw }
}

/** Monotonic ns at which scenario time `simMs` is "now" (the clock map). */
function mapNs(g: Generated, simMs: number): number {
  return Number(runStartNs) + ((simMs - g.scenario.resolved.startTimeMs) / g.scenario.plan.timeCompression) * 1e6
}

/** What a pipeline that does everything right would write, from the truth. */
function perfectOutput(g: Generated): PipelineOutput & { ratedCount: Map<string, number>; ratedCharge: Map<string, number>; alerts: AlertRecord[] } {
  const ratedCount = new Map<string, number>()
  const ratedCharge = new Map<string, number>()
  const ratedSubscriber = new Map<string, string>()
  const dlq: DlqRecord[] = []
  const rawById = new Map([...g.unparsableIdByRaw].map(([raw, id]) => [id, raw]))
  for (const id of new Set(g.ids)) {
    const charge = g.truth.expectedCharges.get(id)
    const reason = g.truth.injections.get(id)?.reason ?? null
    if (charge !== undefined) {
      ratedCount.set(id, 1)
      ratedCharge.set(id, charge.chargeSubunits)
      ratedSubscriber.set(id, charge.subscriber)
    } else if (reason !== null) {
      dlq.push(reason === 'malformed_json' ? { reason, id: null, raw: rawById.get(id) ?? '' } : { reason, id, raw: '' })
    } else {
      throw new Error(`the fixture generated ${id}, which is neither billable nor invalid (${g.truth.injections.get(id)?.kind ?? 'clean'})`)
    }
  }
  const bills = new Map<string, BillRecord>()
  for (const [id, chargeSubunits] of ratedCharge) {
    const subscriber = ratedSubscriber.get(id) ?? ''
    const bill = bills.get(subscriber) ?? { subscriber, records: 0, chargeSubunits: 0 }
    bills.set(subscriber, { ...bill, records: bill.records + 1, chargeSubunits: bill.chargeSubunits + chargeSubunits })
  }
  const alerts: AlertRecord[] = []
  for (const l of g.truth.labels) {
    if (!l.fraud || l.entityType !== 'subscriber') continue
    alerts.push({ alertId: `fraud-${l.kind}-${l.entity}`, kind: l.kind, entityType: 'subscriber', entity: l.entity, windowStart: l.start, windowEnd: Math.min(l.end, l.start + 3_600_000), score: 1, evidenceIds: [], seenNs: mapNs(g, l.start + fraudDelayMs) })
  }
  for (const a of g.truth.anomalies) {
    alerts.push({ alertId: `net-${a.kind}-${a.cell}`, kind: a.kind, entityType: 'cell', entity: a.cell, windowStart: a.start, windowEnd: a.start + 600_000, score: 1, evidenceIds: [], seenNs: mapNs(g, a.start + anomalyDelayMs) })
  }
  return { ratedCount, ratedCharge, ratedSubscriber, ratedRecords: ratedCount.size, billRecords: bills.size, bills, alerts, dlq, progress: [], unparsable: new Map(), readFailure: null, duplicateArrivalsS: [] }
}

function score(g: Generated, output: PipelineOutput, batch: BatchRun | null = null, faults: FaultRecord[] = [], after: Pick<ScoreRunInput, 'unplannedExits' | 'unreadInput' | 'unsentUsageIds'> = { unplannedExits: [], unreadInput: null, unsentUsageIds: new Set() }, extra: Partial<ScoreRunInput> = {}): Results {
  const empty = summarize(newHistogram())
  const input: ScoreRunInput = {
    runId: 'checker-self-test',
    producer: { version: '0.0.0-test', git_sha: 'test', dirty: false },
    plan: g.scenario.plan,
    delivery: deliveryOf(g.scenario.plan),
    startedAt: new Date(0),
    finishedAt: new Date(60_000),
    generatedUsageIds: g.ids,
    usageSendOffsetsNs: g.offsets,
    clock: { runStartNs, simStartMs: g.scenario.resolved.startTimeMs, timeCompression: g.scenario.plan.timeCompression },
    unparsableIdByRaw: g.unparsableIdByRaw,
    output,
    truth: g.truth,
    pacer: { sent: g.ids.length, sendErrors: 0, sendRetries: 0, producerSessions: 1, wallNs: g.scenario.plan.durationS * 1e9 },
    loadCost: { generatorWorkers: 1, harnessCpuS: 0.25 },
    latency: {
      summaries: { rated: empty, bills: empty, alerts: empty, schedule_delay: empty },
      warmupSummaries: {},
      histograms: { rated: newHistogram(), bills: newHistogram(), alerts: newHistogram(), schedule_delay: newHistogram(), schedule_delay_outside_faults: newHistogram() },
      intervals: { rated: new Map(), bills: new Map(), alerts: new Map(), schedule_delay: new Map() },
    },
    faults,
    ...after,
    batch,
    samples: {},
    machineLoad: { cores: 2, before: null, during: null },
    thresholdAbort: null,
    toMinor: g.scenario.toMinor,
    aborted: false,
    ...extra,
  }
  return scoreRun(input)
}

/** Every n-th id of a sorted list: a deterministic 1-in-n sample. */
const everyNth = (ids: Iterable<string>, n: number): string[] => [...ids].sort().filter((_, i) => i % n === n - 1)

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tb-checker-'))
  gen = generate()
  await gen.truth.close()
})

afterAll(() => {
  rmSync(dir, { recursive: true, force: true })
})

describe('the checker on a perfect pipeline', () => {
  it('has a fixture with every ingredient the breaks need', () => {
    const kinds = new Set([...gen.truth.injections.values()].map((i) => i.kind))
    expect(kinds).toEqual(new Set(['duplicate', 'malformed', 'negative_value', 'late']))
    expect(gen.truth.expectedCharges.size).toBeGreaterThan(3000)
    expect(gen.truth.labels.filter((l) => l.fraud).length).toBeGreaterThan(0)
    expect(gen.truth.labels.filter((l) => !l.fraud).length).toBeGreaterThan(0)
    expect(gen.truth.anomalies.length).toBe(2)
  })

  it('passes, with every event accounted for and detection exact', () => {
    const r = score(gen, perfectOutput(gen))
    expect(r.verdict.reasons).toEqual([])
    expect(r.state).toBe('passed')
    const distinct = new Set(gen.ids).size
    const invalid = [...gen.truth.injections.values()].filter((i) => i.reason !== null).length
    expect(r.accounting).toMatchObject({ generated: distinct, rated_once: gen.truth.expectedCharges.size, dlq: invalid, late_dropped: 0, lost: 0, duplicated: 0, unexpected: 0 })
    expect(accountingHolds(r.accounting)).toBe(true)
    expect(r.billing).toMatchObject({ exact_match_ratio: 1, bill_exact_match_ratio: 1, bill_records_exact_match_ratio: 1, leakage_ratio: 0, overbilling_ratio: 0 })
    for (const kind of ['SIMBOX', 'IRSF']) {
      expect(r.detection[kind]).toMatchObject({ family: 'fraud', precision: 1, recall: 1, f1: 1, ttd_p50_s: fraudDelayMs / 1000, ttd_p95_s: fraudDelayMs / 1000, false_positives: 0, hard_negative_false_positives: 0 })
      const d = r.detection[kind]
      expect(d?.exposure_minor).toBeGreaterThan(0)
      expect(d?.exposure_minor).toBeLessThanOrEqual(d?.exposure_total_minor ?? 0)
    }
    for (const kind of ['SLEEPING_CELL', 'CONGESTION']) {
      expect(r.detection[kind]).toMatchObject({ family: 'anomaly', precision: 1, recall: 1, truth_units: 1, ttd_p50_s: anomalyDelayMs / 1000 })
    }
    expect(r.detection_summary.hard_negatives['HEAVY_INTERNATIONAL']).toMatchObject({ flagged: 0 })
  })
})

describe('the checker on deliberately broken pipelines', () => {
  it('drop 0.1% of rated records: lost = exactly the dropped count, verdict failed for loss', () => {
    const out = perfectOutput(gen)
    const dropped = everyNth(out.ratedCount.keys(), 1000)
    expect(dropped.length).toBeGreaterThan(2)
    for (const id of dropped) out.ratedCount.delete(id)
    const r = score(gen, out)
    expect(r.accounting.lost).toBe(dropped.length)
    expect(r.accounting.rated_once).toBe(gen.truth.expectedCharges.size - dropped.length)
    expect(accountingHolds(r.accounting)).toBe(true)
    expect(r.state).toBe('failed')
    expect(r.verdict.reasons).toContainEqual({ code: 'lost_events', message: `${dropped.length} events lost` })
    expect(r.verdict.thresholds.find((t) => t.metric === 'lost_events')).toMatchObject({ observed: dropped.length, passed: false })
    expect(r.billing?.leakage_ratio).toBeGreaterThan(0)
  })

  it('lost records and duplicate copies are attributed to the latest fault injected before them', () => {
    const out = perfectOutput(gen)
    const midS = gen.scenario.plan.durationS / 2
    const sendS = new Map(gen.ids.map((id, i) => [id, (gen.offsets[i] ?? 0) / 1e9]))
    const dropped = everyNth(out.ratedCount.keys(), 500)
    for (const id of dropped) out.ratedCount.delete(id)
    const copied = everyNth(out.ratedCount.keys(), 700)
    for (const id of copied) out.ratedCount.set(id, 2)
    const arrivals = copied.map((id) => Math.floor(sendS.get(id) ?? 0) + 2)
    const fault: FaultRecord = { name: 'kill-driver', kind: 'pipeline-crash', target: 'pipeline', at_s: midS, injected_at_s: midS, lifted_at_s: midS + 5, restarted_at_s: midS + 4, recovered_after_s: null, recovery: null, availability: null, nodes: [], error: null }
    const r = score(gen, { ...out, duplicateArrivalsS: arrivals }, null, [fault])
    const lostAfter = dropped.filter((id) => (sendS.get(id) ?? 0) >= midS).length
    const copiesAfter = arrivals.filter((t) => t >= midS).length
    expect(lostAfter).toBeGreaterThan(0)
    expect(r.faults[0]?.integrity).toEqual({ lost: lostAfter, duplicate_copies: copiesAfter })
    expect(r.integrity_before_faults).toEqual({ lost: dropped.length - lostAfter, duplicate_copies: copied.length - copiesAfter })
  })

  it('a harness whose output consumer died mid-run: the missing outputs are unmeasured, the verdict invalid', () => {
    const out = perfectOutput(gen)
    for (const id of everyNth(out.ratedCount.keys(), 3)) out.ratedCount.delete(id)
    const r = score(gen, { ...out, readFailure: 'at 252 s: fetch failed 4 times.' })
    expect(r.state).toBe('invalid')
    expect(r.verdict.reasons[0]).toEqual({ code: 'output_read_failed', message: 'the harness stopped reading the output topics at 252 s: fetch failed 4 times.' })
    expect(r.accounting.lost).toBeGreaterThan(0)
  })

  it('a Spark driver killed from outside: failed for the death, records left unread are unprocessed, not lost', () => {
    const out = perfectOutput(gen)
    // The driver died when 80% of the load had been sent; the pipeline had consumed the first 70% and 5 of
    // those produced nothing. Everything from 70% on is still in the input topic.
    const distinct = [...new Set(gen.ids)]
    const consumedUpTo = Math.floor(distinct.length * 0.7)
    const unread = new Set(distinct.slice(consumedUpTo))
    const dropped = everyNth(distinct.slice(0, consumedUpTo).filter((id) => out.ratedCount.has(id)), 100).slice(0, 5)
    expect(dropped).toHaveLength(5)
    const noOutput = new Set([...unread, ...dropped])
    for (const id of noOutput) out.ratedCount.delete(id)
    const withoutOutput = { ...out, dlq: out.dlq.filter((d) => !noOutput.has(d.id ?? gen.unparsableIdByRaw.get(d.raw) ?? '')) }
    const death = { process: 'spark-streaming', at_s: 41.2, exit_code: null, signal: 'SIGKILL' }
    const r = score(gen, withoutOutput, null, [], { unplannedExits: [death], unreadInput: { ids: unread }, unsentUsageIds: new Set() })
    expect(r.accounting).toMatchObject({ lost: 5, unprocessed: unread.size })
    expect(accountingHolds(r.accounting)).toBe(true)
    expect(r.unplanned_exits).toEqual([death])
    expect(r.state).toBe('failed')
    expect(r.verdict.reasons[0]).toEqual({ code: 'pipeline_died', message: 'Spark streaming driver died at 41 s (signal SIGKILL), not a planned fault' })
    expect(r.verdict.reasons).toContainEqual({ code: 'lost_events', message: '5 events lost' })
    expect(r.verdict.reasons).toContainEqual({ code: 'unprocessed_events', message: `${unread.size} events never read by the pipeline (still in the input topic)` })
    // The lost records, and only they, count against the faults' integrity figures.
    expect(r.integrity_before_faults.lost).toBe(5)
  })

  it('a broker that died makes the run failed even where its effects also invalidate it', () => {
    const out = perfectOutput(gen)
    const rated = [...out.ratedCount.keys()]
    // The last 10 rated ids could not be sent any more; every 100th of the others got no output.
    const unsent = new Set(rated.slice(-10))
    const dropped = everyNth(rated.slice(0, -10), 100)
    for (const id of [...unsent, ...dropped]) out.ratedCount.delete(id)
    const death = { process: 'kafka-broker', at_s: 30, exit_code: 137, signal: null }
    const input = { unplannedExits: [death], unreadInput: { error: 'the dead broker did not start again: port in use' }, unsentUsageIds: unsent }
    const r = score(gen, { ...out, readFailure: 'at 31 s: fetch failed 4 times.' }, null, [], input)
    expect(r.state).toBe('failed')
    expect(r.verdict.reasons.map((x) => x.code).slice(0, 2)).toEqual(['broker_died', 'output_read_failed'])
    expect(r.verdict.reasons[0]?.message).toBe('Kafka broker died at 30 s (exit code 137), not a planned fault')
    // Records that never reached Kafka were never read. Without the read-back nothing else is known to be
    // unread: those records stay lost, and the message says why.
    expect(r.accounting).toMatchObject({ unprocessed: 10, lost: dropped.length })
    expect(accountingHolds(r.accounting)).toBe(true)
    expect(r.verdict.reasons.find((x) => x.code === 'lost_events')?.message).toBe(`${dropped.length} events lost (some may never have been read: the input topic could not be read back, the dead broker did not start again: port in use)`)
  })

  it('duplicate 0.1% of rated records: duplicated = exactly the copies, verdict failed on dup_events', () => {
    const out = perfectOutput(gen)
    const copied = everyNth(out.ratedCount.keys(), 1000)
    for (const id of copied) out.ratedCount.set(id, 2)
    const r = score(gen, out)
    expect(r.accounting).toMatchObject({ duplicated: copied.length, duplicate_copies: copied.length, lost: 0 })
    expect(accountingHolds(r.accounting)).toBe(true)
    expect(r.state).toBe('failed')
    expect(r.verdict.thresholds.find((t) => t.metric === 'dup_events')).toMatchObject({ observed: copied.length, passed: false })
    expect(r.billing?.overbilling_ratio).toBeGreaterThan(0)
  })

  it('duplicates under exactly-once fail the integrity check itself', async () => {
    const eos = generate('exactly-once')
    await eos.truth.close()
    const out = perfectOutput(eos)
    const copied = everyNth(out.ratedCount.keys(), 1000)
    for (const id of copied) out.ratedCount.set(id, 2)
    const r = score(eos, out)
    expect(r.verdict.reasons).toContainEqual({ code: 'duplicates_under_exactly_once', message: `${copied.length} events rated more than once under exactly-once` })
  })

  it('round some charges wrongly: exact match falls by exactly that many, verdict failed on the charge check', () => {
    const out = perfectOutput(gen)
    // Truncating to whole minor units changes only charges that are not already a multiple of 100 sub-units.
    const fractional = [...out.ratedCharge].filter(([, c]) => c % 100 !== 0).map(([id]) => id)
    const rounded = everyNth(fractional, 100)
    expect(rounded.length).toBeGreaterThan(2)
    for (const id of rounded) out.ratedCharge.set(id, Math.floor((out.ratedCharge.get(id) ?? 0) / 100) * 100)
    const r = score(gen, out)
    const comparable = gen.truth.expectedCharges.size
    expect(Math.round((1 - (r.billing?.exact_match_ratio ?? 1)) * comparable)).toBe(rounded.length)
    expect(r.billing?.exact_match_ratio).toBeCloseTo(1 - rounded.length / comparable, 12)
    expect(r.accounting).toMatchObject({ lost: 0, duplicated: 0 })
    expect(accountingHolds(r.accounting)).toBe(true)
    expect(r.state).toBe('failed')
    expect(r.verdict.thresholds.find((t) => t.metric === 'charge_exact_match_ratio')).toMatchObject({ passed: false })
    expect(r.billing?.leakage_ratio).toBeGreaterThan(0)
  })

  it('detect nothing: recall 0 for every kind, verdict failed on both recall thresholds', () => {
    const out = perfectOutput(gen)
    out.alerts.length = 0
    const r = score(gen, out)
    for (const kind of ['SIMBOX', 'IRSF', 'SLEEPING_CELL', 'CONGESTION']) expect(r.detection[kind]).toMatchObject({ recall: 0, precision: null, f1: 0, ttd_p50_s: null, detected_units: 0 })
    expect(r.detection['SIMBOX']?.exposure_minor).toBe(r.detection['SIMBOX']?.exposure_total_minor)
    expect(accountingHolds(r.accounting)).toBe(true)
    expect(r.state).toBe('failed')
    expect(r.verdict.reasons).toContainEqual({ code: 'threshold_failed', message: "threshold fraud_recall 'value==1' failed (observed 0)" })
    expect(r.verdict.reasons).toContainEqual({ code: 'threshold_failed', message: "threshold anomaly_recall 'value==1' failed (observed 0)" })
  })

  it('alerts on hard negatives are false positives, never true ones', () => {
    const out = perfectOutput(gen)
    const heavy = gen.truth.labels.filter((l) => l.kind === 'HEAVY_INTERNATIONAL')
    for (const l of heavy) out.alerts.push({ alertId: `fp-${l.entity}`, kind: 'IRSF', entityType: 'subscriber', entity: l.entity, windowStart: l.start, windowEnd: l.start + 3_600_000, score: 1, evidenceIds: [], seenNs: mapNs(gen, l.start + 1000) })
    const r = score(gen, out)
    const irsf = r.detection['IRSF']
    expect(irsf).toMatchObject({ recall: 1, false_positives: heavy.length, hard_negative_false_positives: heavy.length })
    expect(irsf?.precision).toBeCloseTo(irsf !== undefined ? irsf.true_positives / (irsf.true_positives + heavy.length) : 0, 12)
    expect(r.detection_summary.hard_negatives['HEAVY_INTERNATIONAL']).toMatchObject({ entities: heavy.length, flagged: heavy.length, false_positive_ratio: 1 })
  })
})

describe('a run that starts only some Spark queries', () => {
  const withQueries = (queries: Generated['scenario']['plan']['queries']): Generated => ({ ...gen, scenario: { ...gen.scenario, plan: { ...gen.scenario.plan, queries } } })

  it('rating only: detection is reported as not run, never as recall 0', () => {
    const out = perfectOutput(gen)
    out.alerts.length = 0
    const r = score(withQueries(['rating']), out)
    expect(r.detection).toEqual({})
    expect(r.detection_summary).toMatchObject({ not_run: ['anomaly', 'fraud'], fraud: { precision: null, recall: null }, anomaly: { precision: null, recall: null }, hard_negatives: {} })
    expect(r.accounting).toMatchObject({ lost: 0, duplicated: 0 })
    // A threshold on a family that did not run has nothing to hold against: it fails as unmeasured, not as 0.
    expect(r.verdict.reasons).toEqual([
      { code: 'threshold_failed', message: "threshold fraud_recall 'value==1' failed (observed n/a)" },
      { code: 'threshold_failed', message: "threshold anomaly_recall 'value==1' failed (observed n/a)" },
    ])
  })

  it('without network: cell truth and cell alerts are left out, fraud is scored as usual', () => {
    const r = score(withQueries(['rating', 'fraud']), perfectOutput(gen))
    expect(r.detection_summary.not_run).toEqual(['anomaly'])
    expect(Object.keys(r.detection).sort()).toEqual(['IRSF', 'SIMBOX'])
    expect(r.detection_summary.fraud).toEqual({ precision: 1, recall: 1 })
    expect(r.detection_summary.anomaly).toEqual({ precision: null, recall: null })
  })
})

describe('a run with learned detectors (run --model)', () => {
  const models: ModelFolder = {
    dir: '/models/slow',
    manifest: {
      schema_version: 1,
      scenario: 'trainer',
      scenario_file: 'train.yaml',
      seed: 8,
      trained_at: '2026-01-01T00:00:00.000Z',
      training_wall_s: 30,
      anomaly_cells: [],
      detectors: { network: { detector: 'ml:network-rf', family: 'anomaly', algorithm: 'random-forest', num_trees: 40, max_depth: 8, consecutive_periods: 2, features: ['fail_ratio'], classes: ['NONE', 'SLEEPING_CELL'], class_counts: { NONE: 90, SLEEPING_CELL: 10 }, rows: 100, fit_s: 2 } },
    },
  }
  const withModels: () => Generated = () => ({ ...gen, scenario: { ...gen.scenario, plan: { ...gen.scenario.plan, models } } })

  it("scores the model's alerts apart from the rules', on the same truth, in its own family only", () => {
    const out = perfectOutput(gen)
    const sleeping = gen.truth.anomalies.find((a) => a.kind === 'SLEEPING_CELL')
    if (sleeping === undefined) throw new Error('the fixture has a sleeping cell')
    // The model finds the sleeping cell (later than the rules) and raises one false CONGESTION alert.
    out.alerts.push({ alertId: 'ml-1', kind: 'SLEEPING_CELL', entityType: 'cell', entity: sleeping.cell, windowStart: sleeping.start, windowEnd: sleeping.start + 600_000, score: 0.9, evidenceIds: [], seenNs: mapNs(gen, sleeping.start + 2 * anomalyDelayMs), detector: 'ml:network-rf' })
    out.alerts.push({ alertId: 'ml-2', kind: 'CONGESTION', entityType: 'cell', entity: 'no-such-cell', windowStart: sleeping.start, windowEnd: sleeping.start + 600_000, score: 0.6, evidenceIds: [], seenNs: mapNs(gen, sleeping.start), detector: 'ml:network-rf' })
    const r = score(withModels(), out)
    // The rules' figures are those of a perfect pipeline: the model's alerts are not in them.
    expect(r.detection_summary.anomaly).toEqual({ precision: 1, recall: 1 })
    expect(r.detection['CONGESTION']?.false_positives).toBe(0)
    const m = r.models
    expect(m).toMatchObject({ folder: '/models/slow', training: { scenario: 'trainer', seed: 8 }, evaluation: { scenario: 'checker-self-test', seed: 7 }, shared_anomaly_cells: [], shared_fraud_entities: [] })
    const d = m?.detectors['ml:network-rf']
    expect(d).toMatchObject({ family: 'anomaly', algorithm: 'random-forest', training_rows: 100, alerts: 2 })
    expect(d?.detection['SLEEPING_CELL']).toMatchObject({ truth_units: 1, detected_units: 1, precision: 1, recall: 1, ttd_p50_s: (2 * anomalyDelayMs) / 1000 })
    expect(d?.detection['CONGESTION']).toMatchObject({ truth_units: 1, detected_units: 0, false_positives: 1, precision: 0, recall: 0 })
    // Fraud is not the network model's family: no fraud kind reads as a miss.
    expect(Object.keys(d?.detection ?? {}).sort()).toEqual(['CONGESTION', 'SLEEPING_CELL'])
  })

  it("scores a fraud model's alerts on the fraud truth only and names the fraudulent entities training and evaluation share", () => {
    const irsf = gen.truth.labels.find((l) => l.fraud && l.kind === 'IRSF')
    if (irsf === undefined) throw new Error('the fixture has an IRSF account')
    const fraud = { detector: 'ml:fraud-rf', family: 'fraud' as const, algorithm: 'random-forest', num_trees: 40, max_depth: 8, min_probability: 0.5, features: ['calls_1h'], classes: ['NONE', 'IRSF'], class_counts: { NONE: 900, IRSF: 20 }, class_weights: { NONE: 0.7, IRSF: 4.7 }, rows: 920, fit_s: 3, fraud_entities: [irsf.entity, '001019999999999'] }
    const withFraud: Generated = { ...gen, scenario: { ...gen.scenario, plan: { ...gen.scenario.plan, models: { ...models, manifest: { ...models.manifest, detectors: { ...models.manifest.detectors, fraud } } } } } }
    const out = perfectOutput(gen)
    out.alerts.push({ alertId: 'ml-f1', kind: 'IRSF', entityType: 'subscriber', entity: irsf.entity, windowStart: irsf.start, windowEnd: irsf.start + 60_000, score: 0.8, evidenceIds: [], seenNs: mapNs(gen, irsf.start + 3 * fraudDelayMs), detector: 'ml:fraud-rf' })
    out.alerts.push({ alertId: 'ml-f2', kind: 'IRSF', entityType: 'subscriber', entity: '001010000999999', windowStart: irsf.start, windowEnd: irsf.start + 60_000, score: 0.6, evidenceIds: [], seenNs: mapNs(gen, irsf.start), detector: 'ml:fraud-rf' })
    const r = score(withFraud, out)
    // The rules' figures stay those of a perfect pipeline.
    expect(r.detection_summary.fraud).toEqual({ precision: 1, recall: 1 })
    const m = r.models
    expect(m?.shared_fraud_entities).toEqual([irsf.entity])
    const d = m?.detectors['ml:fraud-rf']
    expect(d).toMatchObject({ family: 'fraud', training_rows: 920, alerts: 2 })
    expect(d?.detection['IRSF']).toMatchObject({ truth_units: 1, detected_units: 1, alerted_units: 2, false_positives: 1, precision: 0.5, recall: 1, ttd_p50_s: (3 * fraudDelayMs) / 1000 })
    // Only fraud kinds: the fraud model is not scored on the cells, and the kinds it never raised read as misses.
    expect(Object.values(d?.detection ?? {}).every((k) => k.family === 'fraud')).toBe(true)
    expect(d?.detection['SIMBOX']).toMatchObject({ detected_units: 0, recall: 0 })
    // The network model is scored as before, beside it.
    expect(m?.detectors['ml:network-rf']?.family).toBe('anomaly')
  })

  it('scores a forecaster per outage at its prediction time (windowEnd), apart from the detectors', () => {
    const forecast = { detector: 'ml:forecast-gbt', family: 'anomaly' as const, algorithm: 'gradient-boosted-trees', max_iter: 40, max_depth: 4, threshold: 0.9, horizon_periods: 6, horizon_s: 1800, kinds: ['SLEEPING_CELL', 'CONGESTION', 'KPI_DEGRADATION'], features: ['fail_ratio'], classes: ['NONE', 'OUTAGE_AHEAD'], class_counts: { NONE: 80, OUTAGE_AHEAD: 12 }, rows: 92, left_out: 8, fit_s: 1 }
    const withForecast: Generated = { ...gen, scenario: { ...gen.scenario, plan: { ...gen.scenario.plan, models: { ...models, manifest: { ...models.manifest, detectors: { ...models.manifest.detectors, forecast } } } } } }
    const sleeping = gen.truth.anomalies.find((a) => a.kind === 'SLEEPING_CELL')
    const busy = gen.truth.anomalies.find((a) => a.kind === 'CONGESTION')
    if (sleeping === undefined || busy === undefined) throw new Error('the fixture has a sleeping and a congested cell')
    const out = perfectOutput(gen)
    const forecastAlert = (id: string, cell: string, predictedAt: number): AlertRecord => ({ alertId: id, kind: 'OUTAGE_FORECAST', entityType: 'cell', entity: cell, windowStart: predictedAt - 300_000, windowEnd: predictedAt, score: 0.8, evidenceIds: [], seenNs: mapNs(gen, sleeping.end), detector: 'ml:forecast-gbt' })
    // Received long after the start, but predicted 10 min before it: a forecast. The congestion only after its start.
    out.alerts.push(forecastAlert('f-1', sleeping.cell, sleeping.start - 600_000), forecastAlert('f-2', busy.cell, busy.start + 300_000))
    const r = score(withForecast, out)
    const f = r.models?.detectors['ml:forecast-gbt']
    expect(f).toMatchObject({ algorithm: 'gradient-boosted-trees', alerts: 2, detection: {}, training_class_counts: { NONE: 80, OUTAGE_AHEAD: 12 } })
    expect(f?.forecast).toMatchObject({ horizon_periods: 6, horizon_s: 1800, outage_count: 2, forecast: 1, detected_late: 1, missed: 0, alerts: 2, matched_alerts: 2, precision: 1, recall: 0.5, lead_time_p50_s: 600 })
    expect(f?.forecast?.outages.map((o) => [o.kind, o.outcome, o.lead_time_s, o.ttd_s])).toEqual([['CONGESTION', 'late', null, 300], ['SLEEPING_CELL', 'forecast', 600, null]])
    expect(r.models?.detectors['ml:network-rf']?.forecast).toBeNull()
    // The forecasts are not the rules' or the network model's alerts.
    expect(r.detection['OUTAGE_FORECAST']).toBeUndefined()
    expect(r.models?.detectors['ml:network-rf']?.detection['OUTAGE_FORECAST']).toBeUndefined()
  })

  it('is null without a model folder', () => {
    expect(score(gen, perfectOutput(gen)).models).toBeNull()
  })
})

describe('streaming vs batch', () => {
  it('scores the batch output with the same scorers and says where each side wins', () => {
    const stream = perfectOutput(gen)
    // The stream drops its late records (as the watermark would); the batch rates everything, an hour later.
    const late = [...gen.truth.injections].filter(([, i]) => i.kind === 'late').map(([id]) => id)
    expect(late.length).toBeGreaterThan(0)
    const lateDlq: DlqRecord[] = late.map((id) => ({ reason: 'late', id, raw: '' }))
    for (const id of late) stream.ratedCount.delete(id)
    const streamOut = { ...stream, dlq: [...stream.dlq, ...lateDlq] }
    const dlqCounts: Record<string, number> = {}
    for (const d of perfectOutput(gen).dlq) dlqCounts[d.reason] = (dlqCounts[d.reason] ?? 0) + 1
    const doneNs = BigInt(Math.round(mapNs(gen, gen.scenario.resolved.startTimeMs + 7_200_000))) + 3_600_000_000_000n
    const batch: BatchRun = {
      resultsFile: 'batch-results.json',
      wallMs: 30_000,
      doneNs,
      output: {
        finishedAfterMs: 30_000,
        counts: {},
        bills: [...stream.bills.values()].map((b) => ({ subscriber: b.subscriber, records: b.records, chargeSubunits: b.chargeSubunits })),
        rated: [...gen.truth.expectedCharges].map(([id, c]) => ({ id, chargeSubunits: c.chargeSubunits })),
        alerts: stream.alerts.map((a) => ({ kind: a.kind, entityType: a.entityType, entity: a.entity, windowStart: a.windowStart, windowEnd: a.windowEnd })),
        dlq: dlqCounts,
      },
    }
    const r = score(gen, streamOut, batch)
    expect(r.accounting.late_dropped).toBe(late.length)
    const b = r.batch
    if (b?.state !== 'scored') throw new Error('batch not scored')
    expect(b.accounting).toMatchObject({ rated_once: gen.truth.expectedCharges.size, late_dropped: 0, lost: 0, duplicated: 0 })
    expect(accountingHolds(b.accounting)).toBe(true)
    expect(b.billing).toMatchObject({ exact_match_ratio: 1, leakage_ratio: 0, bill_records_exact_match_ratio: 1 })
    expect(b.late_data).toEqual({ late: late.length, streaming: 0, batch: late.length })
    const row = (metric: string) => b.comparison.find((x) => x.metric === metric)
    expect(row('late_rated_exactly_events')).toMatchObject({ streaming: 0, batch: late.length, better: 'batch' })
    expect(row('late_dropped_events')).toMatchObject({ streaming: late.length, batch: 0, better: 'batch' })
    expect(row('fraud_recall')).toMatchObject({ streaming: 1, batch: 1, better: 'equal' })
    expect(row('SIMBOX.ttd_p50_s')?.better).toBe('streaming')
    expect(b.detection['SIMBOX']?.ttd_p50_s).toBeGreaterThan(3600)
    expect(b.result_latency?.count).toBe(gen.ids.length)
    expect(b.result_latency?.p50).toBeGreaterThan(3_600_000)
    expect(r.detection['CONGESTION']).toMatchObject({ family: 'anomaly', truth_units: 1, detected_units: 1, alerted_units: 1, false_positives: 0, precision: 1, recall: 1, f1: 1, ttd_p50_s: 900, ttd_s: [900] })
    expect(r.detection_summary.hard_negatives['HEAVY_INTERNATIONAL']?.flagged).toBe(0)
  })

  it('reports an unreadable batch output instead of failing the run', () => {
    const r = score(gen, perfectOutput(gen), { resultsFile: 'batch-results.json', wallMs: 1000, doneNs: runStartNs, error: 'batch output: "rated" is not an array' })
    expect(r.batch).toEqual({ state: 'unreadable', finished_after_s: 1, results_file: 'batch-results.json', error: 'batch output: "rated" is not an array' })
  })
})

describe('windowed thresholds and the machine in results.json', () => {
  /** µs at the top of their HdrHistogram bucket, read back exactly. */
  const fastUs = 1_048_575
  const slowUs = 8_388_607

  it('fails a windowed threshold on its worst window, names the window, and passes the whole-run one', () => {
    const plan = { ...gen.scenario.plan, thresholds: { pipeline_e2e_latency_ms: [{ expr: 'p(99)<5000', windowS: null, abortOnFail: false, delayAbortEvalS: 0 }, { expr: 'p(99)<5000', windowS: 10, abortOnFail: false, delayAbortEvalS: 0 }] } }
    expect([plan.warmupS, plan.durationS]).toEqual([10, 72])
    const intervals = new Map<number, ReturnType<typeof newHistogram>>()
    const whole = newHistogram()
    for (let t = 10; t < 72; t++) {
      const h = newHistogram()
      h.recordValueWithCount(fastUs, 1000)
      if (t === 65) h.recordValueWithCount(slowUs, 200)
      intervals.set(t, h)
      whole.add(h)
    }
    const empty = summarize(newHistogram())
    const r = score({ ...gen, scenario: { ...gen.scenario, plan } }, perfectOutput(gen), null, [], undefined, {
      latency: {
        summaries: { rated: summarize(whole), bills: empty, alerts: empty, schedule_delay: empty },
        warmupSummaries: {},
        histograms: { rated: whole, bills: newHistogram(), alerts: newHistogram(), schedule_delay: newHistogram(), schedule_delay_outside_faults: newHistogram() },
        intervals: { rated: intervals, bills: new Map(), alerts: new Map(), schedule_delay: new Map() },
      },
    })
    expect(r.verdict.thresholds).toEqual([
      { metric: 'pipeline_e2e_latency_ms', expr: 'p(99)<5000', window_s: null, observed: 1048.575, worst_window: null, passed: true },
      { metric: 'pipeline_e2e_latency_ms', expr: 'p(99)<5000', window_s: 10, observed: 8388.607, worst_window: { from_s: 60, to_s: 70 }, passed: false },
    ])
    expect(r.state).toBe('failed')
    expect(r.verdict.reasons).toEqual([{ code: 'threshold_failed', message: "threshold pipeline_e2e_latency_ms 'p(99)<5000' in every 10 s window failed (observed 8388.607 in the window 60–70 s)" }])
  })

  it('flags a run whose machine was busy, and says so in machine_busy', () => {
    const during = { from_s: 0.2, to_s: 71.9, samples: 72, load_avg_1m: { mean: 3.1, max: 3.9 }, steal_ratio: { mean: 0.001, max: 0.01 }, cpu_busy_cores: { mean: 1.9, max: 2 }, other_cpu_cores: { mean: 0.7, max: 1.2 } }
    const r = score(gen, perfectOutput(gen), null, [], undefined, { machineLoad: { cores: 2, before: null, during } })
    expect(r.machine_busy).toEqual({ busy: true, reason: 'other processes used 0.70 cores on average over the load (above 0.50, a quarter of the 2 cores)' })
    // The verdict is the system's: a busy machine is flagged, not failed.
    expect(r.state).toBe('passed')
    expect(score(gen, perfectOutput(gen)).machine_busy).toEqual({ busy: false, reason: 'not measured: no /proc/stat readings before or during the load (not Linux, or the run stopped before its load)' })
  })
})

describe('a run stopped by an abortOnFail threshold', () => {
  it('is aborted with the reason first, exits 4, and still lists what failed after it', () => {
    const stopped = { metric: 'pipeline_e2e_latency_ms', expr: 'p(99)<5000', windowS: 10, observed: 8388.607, atS: 40.2, fromS: 30, toS: 40 }
    const r = score(gen, perfectOutput(gen), null, [], undefined, { thresholdAbort: stopped })
    expect(r.state).toBe('aborted')
    expect(r.verdict.reasons[0]).toEqual({ code: 'aborted', message: "the load was stopped at 40.2 s: threshold pipeline_e2e_latency_ms 'p(99)<5000' in every 10 s window (abortOnFail) failed: observed 8388.607 over 30–40 s" })
    expect(exitCodeForRun(r.state, r.verdict.reasons.map((reason) => reason.code))).toBe(4)
    // Ctrl-C after the stop is still an interrupt: 130, its reason first.
    const interrupted = score(gen, perfectOutput(gen), null, [], undefined, { thresholdAbort: stopped, aborted: true })
    expect(interrupted.verdict.reasons.map((reason) => reason.code).slice(0, 2)).toEqual(['interrupted', 'aborted'])
    expect(exitCodeForRun(interrupted.state, interrupted.verdict.reasons.map((reason) => reason.code))).toBe(130)
  })
})

describe('cpuSecondsAcrossRestarts', () => {
  it('sums each pid of a restarted process instead of subtracting across the restart', () => {
    const at = (pid: number, cpuSeconds: number) => ({ pid, atMs: 0, atNs: 0n, cpuSeconds, rssBytes: 1 })
    expect(cpuSecondsAcrossRestarts([at(1, 10), at(1, 14), at(2, 1), at(2, 3)])).toBe(6)
  })
})
