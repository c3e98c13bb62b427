import { createHash } from 'node:crypto'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { isAbsolute, join, relative } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { newHistogram } from '../measure/histograms.ts'
import type { PlannedFault } from './plan.ts'
import { createRunFolder } from './run-folder.ts'
import { loadScenario } from './scenario-source.ts'
import { scoreRun } from '../score/score-run.ts'
import { runJsonSchemas, runJsonSchemaText } from '../results/json-schema.ts'
import { manifestSchemaVersion, readRun, resolvedScenarioFile, resultsSchemaVersion, roundToCarriedPrecision, timelineSchemaVersion, writeRunFiles, type FaultRecord, type Manifest, type Results, type Timeline } from '../results/index.ts'
import { deliveryOf } from './delivery.ts'

const dir = mkdtempSync(join(tmpdir(), 'tb-results-'))
afterAll(() => {
  rmSync(dir, { recursive: true, force: true })
})

const producer = { version: '0.1.0', git_sha: 'abc', dirty: false }
const scenarioFiles = readdirSync('scenarios').filter((f) => f.endsWith('.yaml'))

const faultRecord = (f: PlannedFault): FaultRecord => ({ name: f.name, kind: f.kind, target: 'broker', at_s: f.atS, injected_at_s: f.atS, lifted_at_s: f.atS + f.durationS, restarted_at_s: null, recovered_after_s: null, recovery: null, availability: null, nodes: [], error: null })

/** A machine that was busy during the load: the keys a measured run writes. */
const machineLoad: Manifest['machine_load'] = {
  cores: 2,
  before: { window_s: 1, load_avg: { one: 0.5, five: 0.4, fifteen: 0.3 }, steal_ratio: 0, cpu_busy_cores: 0.1, other_cpu_cores: 0.1 },
  during: { from_s: 0.5, to_s: 30.5, samples: 31, load_avg_1m: { mean: 2.5, max: 3 }, steal_ratio: { mean: 0.08, max: 0.2 }, cpu_busy_cores: { mean: 1.5, max: 2 }, other_cpu_cores: { mean: 0.1, max: 0.3 } },
}

/** The run folder files a scenario's run writes, scored on an empty pipeline output (no JVM needed). */
function runFilesFor(file: string): { results: Results; manifest: Manifest; timeline: Timeline } {
  const scenario = loadScenario(join('scenarios', file), { overrides: [] })
  const plan = scenario.plan
  const empty = { ratedCount: new Map(), ratedCharge: new Map(), ratedSubscriber: new Map(), ratedRecords: 0, billRecords: 0, bills: new Map(), alerts: [], dlq: [], progress: [], unparsable: new Map(), readFailure: null, duplicateArrivalsS: [] }
  const results = scoreRun({
    runId: `${plan.name}-test`,
    producer,
    plan,
    delivery: deliveryOf(plan),
    startedAt: new Date(0),
    finishedAt: new Date(1000),
    generatedUsageIds: ['a', 'b'],
    usageSendOffsetsNs: [0, 1e9],
    clock: { runStartNs: 0n, simStartMs: scenario.resolved.startTimeMs, timeCompression: plan.timeCompression },
    unparsableIdByRaw: new Map(),
    output: empty,
    truth: { expectedCharges: new Map(), injections: new Map(), labels: [], anomalies: [] },
    pacer: { sent: 2, sendErrors: 0, sendRetries: 0, producerSessions: 1, wallNs: plan.durationS * 1e9 },
    loadCost: { generatorWorkers: 1, harnessCpuS: 0.5 },
    latency: {
      summaries: { rated: null },
      warmupSummaries: { rated: null },
      histograms: { rated: newHistogram(), bills: newHistogram(), alerts: newHistogram(), schedule_delay: newHistogram(), schedule_delay_outside_faults: newHistogram() },
      intervals: { rated: new Map(), bills: new Map(), alerts: new Map(), schedule_delay: new Map() },
    },
    faults: plan.faults.map(faultRecord),
    // Exercises the keys an unplanned death adds: 'b' is still unread in the input topic.
    unplannedExits: [{ process: 'spark-streaming', at_s: 0.5, exit_code: null, signal: 'SIGKILL' }],
    unreadInput: { ids: new Set(['b']) },
    unsentUsageIds: new Set(),
    batch: null,
    samples: {},
    machineLoad,
    thresholdAbort: null,
    toMinor: scenario.toMinor,
    aborted: false,
  })
  const manifest: Manifest = {
    schema_version: manifestSchemaVersion,
    telcobench: producer,
    run_id: results.run_id,
    scenario: file,
    scenario_sha256: resolvedScenarioFile(scenario.resolved).sha256,
    runtime: { kind: 'local' },
    delivery_guarantee: plan.guarantee,
    plan: { ...plan },
    kafka_client: 'platformatic',
    engine: { kind: 'spark', job_config: {} },
    versions: { node: process.version },
    machine: { cores: 2, cpu_model: 'test', memory_bytes: 1, platform: 'linux', kernel: 'test' },
    clock: 'test',
    machine_load: machineLoad,
    invocation: { command_line: ['telcobench', 'run', file], set: [] },
  }
  const timeline: Timeline = { schema_version: timelineSchemaVersion, origin: 'load start', window_s: 1, warmup_s: plan.warmupS, faults: [], points: [], resources: { harness: [{ t_s: 0, cpu_cores: null, rss_bytes: 1 }] } }
  return { results, manifest, timeline }
}

describe('the results module', () => {
  it('keeps the committed JSON Schemas equal to the zod schemas (regenerate: npm run schema:generate)', () => {
    for (const name of Object.keys(runJsonSchemas) as (keyof typeof runJsonSchemas)[]) {
      expect(readFileSync(join('harness', 'results', name), 'utf8')).toBe(runJsonSchemaText(name))
    }
  })

  it.each(scenarioFiles)('writes and reads back the run folder of %s', (file) => {
    const files = runFilesFor(file)
    const runDir = join(dir, file)
    writeRunFiles(runDir, files)
    const run = readRun(runDir)
    expect(run.results.schema_version).toBe(resultsSchemaVersion)
    expect(run.results.run_id).toBe(files.results.run_id)
    expect(run.results.faults).toHaveLength(files.results.faults.length)
    expect(run.results.latency['rated']).toBeNull()
    expect(run.results.accounting).toMatchObject({ generated: 2, lost: 1, unprocessed: 1 })
    expect(run.results.unplanned_exits).toEqual(files.results.unplanned_exits)
    expect(run.results.verdict.reasons[0]?.code).toBe('pipeline_died')
    expect(run.manifest.telcobench).toEqual(producer)
    expect(run.manifest.machine_load).toEqual(machineLoad)
    expect(run.results.machine_busy).toEqual({ busy: true, reason: 'CPU steal 8.0 % on average over the load (above 5.0 %)' })
    expect(run.timeline?.warmup_s).toBe(files.timeline.warmup_s)
  })

  it('refuses a folder from another schema version, a hand-broken file and a missing one, naming the file', () => {
    const files = runFilesFor('quickstart.yaml')
    const old = join(dir, 'old')
    writeRunFiles(old, files)
    const resultsFile = join(old, 'results.json')
    writeFileSync(resultsFile, JSON.stringify({ ...files.results, schema_version: 1 }))
    expect(() => readRun(old)).toThrow(`${resultsFile} has schema_version 1; this telcobench reads version ${resultsSchemaVersion}`)
    const broken = join(dir, 'broken')
    writeRunFiles(broken, files)
    const withoutAccounting: Partial<Results> = { ...files.results, throughput: { ...files.results.throughput, offered_eps: 'fast' as unknown as number } }
    delete withoutAccounting.accounting
    writeFileSync(join(broken, 'results.json'), JSON.stringify(withoutAccounting))
    expect(() => readRun(broken)).toThrow(/results\.json is not a valid telcobench file:\n {2}accounting: .*\n {2}throughput\.offered_eps: /)
    expect(() => readRun(join(dir, 'nowhere'))).toThrow(/results\.json does not exist/)
  })

  it('writes scenario.resolved.json into a new run folder and keeps the SHA-256 of its bytes for the manifest', () => {
    const scenario = loadScenario(join('scenarios', 'quickstart.yaml'), { overrides: [] })
    const folder = createRunFolder(join(dir, 'created'), scenario.plan.name, scenario.resolved)
    const written = readFileSync(join(folder.dir, 'scenario.resolved.json'))
    expect(folder.scenarioSha256).toBe(createHash('sha256').update(written).digest('hex'))
    expect(JSON.parse(written.toString('utf8'))).toEqual(JSON.parse(JSON.stringify(scenario.resolved)))
  })

  it('makes the run folder absolute when the results folder is given relative to the working directory', () => {
    const scenario = loadScenario(join('scenarios', 'quickstart.yaml'), { overrides: [] })
    const folder = createRunFolder(relative(process.cwd(), join(dir, 'relative')), scenario.plan.name, scenario.resolved)
    expect(isAbsolute(folder.dir)).toBe(true)
    expect(isAbsolute(folder.logDir) && isAbsolute(folder.checkpointDir)).toBe(true)
    expect(existsSync(join(folder.dir, 'scenario.resolved.json'))).toBe(true)
  })

  it('rounds floats to the precision they carry and leaves integers exact', () => {
    expect(roundToCarriedPrecision({ a: 0.1 + 0.2, b: [123_456_789_012, 1 / 3], c: null })).toEqual({ a: 0.3, b: [123_456_789_012, 0.333333], c: null })
  })

  it('refuses to write a file that breaks its own schema (a bug, exit 70)', () => {
    const files = runFilesFor('quickstart.yaml')
    expect(() => { writeRunFiles(join(dir, 'bad'), { ...files, results: { ...files.results, state: 'great' as Results['state'] } }) }).toThrow(/produced a results\.json that breaks its own schema/)
  })
})
