import { readFileSync, readdirSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { formatIssue } from './issues.ts'
import { scenarioJsonSchemaText } from './json-schema.ts'
import { validateScenarioFile, validateScenarioText, type ValidationResult } from './validate.ts'
import { minimalScenarioYaml as minimal } from './test-scenarios.ts'

const scenariosDir = new URL('../../scenarios/', import.meta.url)
const shipped = readdirSync(scenariosDir).filter((f) => f.endsWith('.yaml'))

function errorsOf(r: ValidationResult): string[] {
  return r.ok ? [] : r.errors.map(formatIssue)
}


describe('shipped scenarios', () => {
  it('ships the documented scenarios', () => {
    expect(shipped.sort()).toEqual(
      ['broker-failure', 'busy-hour', 'chaos', 'ci-smoke', 'flash-crowd', 'fraud-wave-train', 'fraud-wave', 'late-and-duplicate-data', 'pipeline-crash', 'quickstart', 'rating-capacity', 'replicated-broker-failure', 'secure-quickstart', 'slow-degradation-train', 'slow-degradation', 'standalone-executor-kill'].map((n) => `${n}.yaml`),
    )
  })
  it.each(shipped)('%s is valid, names itself after its file and points editors at the schema', async (file) => {
    const path = new URL(file, scenariosDir).pathname
    const r = await validateScenarioFile(path)
    expect(errorsOf(r)).toEqual([])
    if (!r.ok) return
    expect(`${r.scenario.name}.yaml`).toBe(file)
    const text = readFileSync(path, 'utf8')
    expect(text.startsWith('# yaml-language-server: $schema=./scenario.schema.json\n')).toBe(true)
    expect(text).toMatch(/# Look at:/)
  })
  it('quickstart and ci-smoke stay light enough for a 2-core box running Kafka and Spark', async () => {
    for (const [file, maxWallS, maxPeak] of [['quickstart.yaml', 45, 300], ['ci-smoke.yaml', 45, 100]] as const) {
      const r = await validateScenarioFile(new URL(file, scenariosDir).pathname)
      if (!r.ok) throw new Error(errorsOf(r).join('\n'))
      expect(r.scenario.wallDurationS).toBeLessThanOrEqual(maxWallS)
      expect(r.scenario.load.peakEventsPerWallSecond).toBeLessThan(maxPeak)
    }
  })
})

describe('scenarios/scenario.schema.json', () => {
  it('matches the zod schema (regenerate: npx tsx generators/scenario/write-json-schema.ts)', () => {
    expect(readFileSync(new URL('scenario.schema.json', scenariosDir), 'utf8')).toBe(scenarioJsonSchemaText())
  })
})

describe('validation reports every problem at once with its line and column', () => {
  it('a typo, a wrong type and an impossible timeline give three located errors', () => {
    const text = `version: 1
name: broken
seed: 1
duration: 10m
timeCompression: fast
population:
  subscribers: 1000
  prepaidShar: 0.6
topology:
  sites: 2
faults:
  late-kill:
    kind: broker-kill
    startTime: 12m
    duration: 1m
`
    const r = validateScenarioText(text, 'broken.yaml')
    expect(r.ok).toBe(false)
    expect(errorsOf(r)).toEqual([
      'broken.yaml:5:18  timeCompression  expected a number, got "fast"  (e.g. 0.5 or 120)',
      'broken.yaml:8:3  population.prepaidShar  unknown key  (did you mean "prepaidShare"?)',
      'broken.yaml:14:16  faults.late-kill.startTime  fault starts at 12m, outside the run (duration 10m)  (shorten the fault time or extend the run)',
    ])
  })

  it('executor-kill and worker-kill need a Spark standalone cluster of the Spark engine and name one of its workers', () => {
    const kill = (kind: string, target: string): string => `${minimal}faults:\n  k:\n    kind: ${kind}\n    target: "${target}"\n    startTime: 1m\n    duration: 1m\n`
    expect(errorsOf(validateScenarioText(kill('executor-kill', '1'), 'k.yaml'))[0]).toContain('faults.k.kind  executor-kill needs Spark executors on a standalone cluster (spark.mode is local)')
    const standalone = ['spark.mode=standalone', 'spark.workers=2']
    const on = validateScenarioText(kill('worker-kill', '2'), 'k.yaml', { overrides: standalone })
    expect(errorsOf(on)).toEqual([])
    expect(on.ok && on.scenario.spark).toEqual({ mode: 'standalone', workers: 2, executorCores: 1, jvmOptions: [] })
    expect(errorsOf(validateScenarioText(kill('executor-kill', '3'), 'k.yaml', { overrides: standalone }))[0]).toContain('faults.k.target  executor-kill target "3" is not a worker of the cluster')
    expect(errorsOf(validateScenarioText(minimal, 'f.yaml', { overrides: ['spark.mode=standalone', 'pipeline.engine=flink'] }))[0]).toContain('spark.mode  spark.mode standalone runs the Spark job on a Spark cluster, but pipeline.engine is flink')
    const local = validateScenarioText(minimal, 'm.yaml')
    expect(local.ok && local.scenario.spark.mode).toBe('local')
  })

  it('takes the producer knobs, skew and generator agents, and refuses what cannot be measured', () => {
    const knobs = validateScenarioText(minimal, 'p.yaml', { overrides: ['load.producer.acks=1', 'load.producer.compression=gzip', 'load.hotPartitionShare=0.3', 'load.remoteGenerators=2'] })
    expect(errorsOf(knobs)).toEqual([])
    expect(knobs.ok && knobs.scenario.load).toMatchObject({ producer: { acks: 1, lingerMs: 5, compression: 'gzip' }, hotPartitionShare: 0.3, remoteGenerators: 2 })
    expect(errorsOf(validateScenarioText(minimal, 'p.yaml', { overrides: ['load.producer.acks=1', 'pipeline.guarantee=exactly-once'] }))[0]).toContain('load.producer.acks  exactly-once needs the idempotent producer')
    expect(errorsOf(validateScenarioText(minimal, 'p.yaml', { overrides: ['load.producer.acks=0'] })).join('\n')).toContain('load.producer.acks')
    const secured = ['security.tls=true', 'security.sasl=scram-sha-512', 'security.acls=true', 'load.remoteGenerators=1']
    expect(errorsOf(validateScenarioText(minimal, 'p.yaml', { overrides: secured }))[0]).toContain('load.remoteGenerators  generator agents on other hosts are not given ACLs')
  })

  it('a serving store needs a micro-batch trigger, and store-kill needs a store; --set serving.store=cassandra turns it on', () => {
    const realTime = validateScenarioText(`${minimal}pipeline:\n  trigger: { kind: real-time }\nserving:\n  store: cassandra\n`, 's.yaml')
    expect(errorsOf(realTime)[0]).toContain('serving.store  serving.store cassandra needs a micro-batch trigger')
    const kill = `${minimal}faults:\n  k:\n    kind: store-kill\n    startTime: 1m\n    duration: 1m\n`
    expect(errorsOf(validateScenarioText(kill, 'k.yaml'))[0]).toContain('faults.k.kind  store-kill needs a serving store to kill')
    const on = validateScenarioText(kill, 'k.yaml', { overrides: ['serving.store=cassandra'] })
    expect(errorsOf(on)).toEqual([])
    expect(on.ok && on.scenario.serving.store).toBe('cassandra')
  })

  it('names a misspelt kind with a suggestion', () => {
    const r = validateScenarioText(`${minimal}fraud:\n  x:\n    kind: SIMBX\n`, 'k.yaml')
    expect(errorsOf(r)).toEqual(['k.yaml:11:11  fraud.x.kind  unknown kind "SIMBX"  (did you mean "SIMBOX"?)'])
  })

  it('reports a missing required key at its parent', () => {
    const r = validateScenarioText(minimal.replace('  subscribers: 1000\n', '  prepaidShare: 0.6\n'), 'm.yaml')
    expect(errorsOf(r)).toEqual(['m.yaml:6:3  population.subscribers  required key is missing  (add subscribers)'])
  })

  it('reports YAML syntax errors with their position', () => {
    const r = validateScenarioText('version: 1\nname: [unclosed\n', 'y.yaml')
    expect(r.ok).toBe(false)
    expect(errorsOf(r)[0]).toMatch(/^y\.yaml:\d+:\d+ {2}\(root\) {2}YAML: /)
  })

  it('runs the semantic rules: shares, victims, cells, rating spec', () => {
    const text = `${minimal}  sectorsPerSite: 1
  carriersPerSector: 1
population:
  subscribers: 100
  prepaidShare: 0.7
  businessPbxShare: 0
fraud:
  pbx: { kind: PBX }
anomalies:
  a: { kind: SLEEPING_CELL, startTime: 0s, duration: 10m, cells: [9] }
ratingSpec:
  currency: EUR
  rounding: { mode: up, per: call }
  taxBasisPoints: 0
  utcOffsetMinutes: 0
  timeBands: [{ name: day, fromHour: 0, toHour: 20 }]
  destinations: [{ prefix: "353", class: national }]
  defaultDestinationClass: international
  tariffs: {}
`.replace(/population:\n {2}subscribers: 1000\n/, '')
    const messages = validateScenarioText(text, 'r.yaml')
    const found = errorsOf(messages).join('\n')
    expect(found).toMatch(/prepaidShare \+ postpaidShare = 1\.1, not 1/)
    expect(found).toMatch(/PBX fraud has no victims/)
    expect(found).toMatch(/cell 9 does not exist/)
    expect(found).toMatch(/hours 20, 21, 22, 23 are in no time band/)
    expect(found).toMatch(/destination class "national" has no tariff/)
  })

  it('takes a precursor on a cell outage kind only, starting inside the run, and names the place of each refusal', () => {
    const text = `${minimal}anomalies:
  ok: { kind: CONGESTION, startTime: 40m, duration: 10m, precursor: 30m, cells: [1] }
  storm: { kind: ALARM_STORM, startTime: 40m, duration: 10m, precursor: 10m, cells: [2] }
  early: { kind: SLEEPING_CELL, startTime: 10m, duration: 10m, precursor: 15m, cells: [3] }
`
    const r = validateScenarioText(text, 'p.yaml')
    expect(errorsOf(r)).toEqual([
      'p.yaml:11:73  anomalies.storm.precursor  ALARM_STORM has no precursor: only SLEEPING_CELL, CONGESTION, KPI_DEGRADATION are preceded by warning signs  (remove precursor from this anomaly)',
      'p.yaml:12:75  anomalies.early.precursor  the precursor (15m) would begin before the run: the anomaly starts at 10m  (shorten it to at most 10m or start the anomaly later)',
    ])
    const fine = validateScenarioText(`${minimal}anomalies:\n  ok: { kind: KPI_DEGRADATION, startTime: 40m, duration: 10m, precursor: 30m, cells: [1] }\n`, 'q.yaml')
    expect(fine.ok && fine.scenario.anomalies['ok']?.precursor).toBe(1_800_000)
  })

  it('keeps warnings apart from errors', () => {
    // The peak is the busiest stretch of the run's own window: 18:00 for an hour.
    const r = validateScenarioText(`${minimal}startTime: "2026-01-05T18:00:00Z"\ntimeCompression: 1000000\n`, 'w.yaml')
    expect(r.ok).toBe(true)
    expect(r.warnings.map(formatIssue).join('\n')).toMatch(/w\.yaml:\d+:\d+ {2}timeCompression {2}warning: peak load/)
  })
})

describe('the resolved scenario', () => {
  it('starts only the listed Spark queries, and always rating', () => {
    const only = validateScenarioText(`${minimal}pipeline:\n  queries: [rating]\n`, 'ok.yaml')
    if (!only.ok) throw new Error(errorsOf(only).join('\n'))
    expect(only.scenario.pipeline.queries).toEqual(['rating'])
    expect(errorsOf(validateScenarioText(`${minimal}pipeline:\n  queries: [network, fraud]\n`, 'bad.yaml')).join('\n')).toMatch(/pipeline\.queries.*leave out rating/)
    expect(errorsOf(validateScenarioText(`${minimal}pipeline:\n  queries: [rating, rating]\n`, 'bad.yaml')).join('\n')).toMatch(/rating is listed more than once/)
    expect(errorsOf(validateScenarioText(`${minimal}pipeline:\n  queries: [billing]\n`, 'bad.yaml')).join('\n')).toMatch(/pipeline\.queries/)
  })
  it('maps the queries onto Spark queries by queryLayout, per-query unless asked', () => {
    const shared = validateScenarioText(`${minimal}pipeline:\n  queryLayout: per-source\n`, 'ok.yaml')
    if (!shared.ok) throw new Error(errorsOf(shared).join('\n'))
    expect(shared.scenario.pipeline.queryLayout).toBe('per-source')
    expect(errorsOf(validateScenarioText(`${minimal}pipeline:\n  queryLayout: per-topic\n`, 'bad.yaml')).join('\n')).toMatch(/pipeline\.queryLayout/)
  })
  it('gives real-time mode a checkpoint interval and a micro-batch interval for the queries beside it', () => {
    const plain = validateScenarioText(`${minimal}pipeline:\n  trigger: { kind: real-time }\n`, 'ok.yaml')
    if (!plain.ok) throw new Error(errorsOf(plain).join('\n'))
    expect(plain.scenario.pipeline.trigger).toEqual({ kind: 'real-time', checkpointIntervalMs: 5000, intervalMs: 0 })
    const tuned = validateScenarioText(`${minimal}pipeline:\n  trigger: { kind: real-time, checkpointInterval: 30s, interval: 2s }\n`, 'ok.yaml')
    if (!tuned.ok) throw new Error(errorsOf(tuned).join('\n'))
    expect(tuned.scenario.pipeline.trigger).toEqual({ kind: 'real-time', checkpointIntervalMs: 30_000, intervalMs: 2000 })
  })
  it('passes Kafka client tuning to the engine, but not where or how it connects', () => {
    const tuned = validateScenarioText(`${minimal}pipeline:\n  kafkaOptions: { fetch.max.wait.ms: "50" }\n`, 'ok.yaml')
    if (!tuned.ok) throw new Error(errorsOf(tuned).join('\n'))
    expect(tuned.scenario.pipeline.kafkaOptions).toEqual({ 'fetch.max.wait.ms': '50' })
    const errors = errorsOf(validateScenarioText(`${minimal}pipeline:\n  kafkaOptions: { security.protocol: PLAINTEXT }\n`, 'bad.yaml')).join('\n')
    expect(errors).toMatch(/pipeline\.kafkaOptions\.security\.protocol.*set by the runtime/)
  })
  it("takes the Spark job's JVM options one per item, and points at the item that is not one option", () => {
    const tuned = validateScenarioText(`${minimal}spark:\n  jvmOptions: ["-XX:MaxGCPauseMillis=20", "-Xmn256m"]\n`, 'ok.yaml')
    if (!tuned.ok) throw new Error(errorsOf(tuned).join('\n'))
    expect(tuned.scenario.spark.jvmOptions).toEqual(['-XX:MaxGCPauseMillis=20', '-Xmn256m'])
    const errors = errorsOf(validateScenarioText(`${minimal}spark:\n  jvmOptions: ["-XX:+UseZGC -Xmx4g"]\n`, 'bad.yaml')).join('\n')
    expect(errors).toMatch(/^bad\.yaml:\d+:\d+ {2}spark\.jvmOptions\[0\] {2}"-XX:\+UseZGC -Xmx4g": one JVM option per item/)
  })
  it('names the engine under test: spark by default, flink when asked, nothing else', () => {
    const flink = validateScenarioText(`${minimal}pipeline:\n  engine: flink\n`, 'ok.yaml')
    if (!flink.ok) throw new Error(errorsOf(flink).join('\n'))
    expect(flink.scenario.pipeline.engine).toBe('flink')
    expect(errorsOf(validateScenarioText(`${minimal}pipeline:\n  engine: storm\n`, 'bad.yaml')).join('\n')).toMatch(/pipeline\.engine/)
  })

  it('carries wall-clock fault times, job-config pipeline settings and normalised thresholds', () => {
    const r = validateScenarioText(
      `${minimal}timeCompression: 10
faults:
  k: { kind: broker-kill, startTime: 20m, duration: 5m }
pipeline:
  trigger: { kind: processing-time, interval: 2s }
thresholds:
  pipeline_e2e_latency_ms: ["p(99)<2000", { threshold: "p(50)<500", abortOnFail: false }]
`,
      'ok.yaml',
    )
    if (!r.ok) throw new Error(errorsOf(r).join('\n'))
    const s = r.scenario
    expect(s.wallDurationS).toBe(360)
    expect(s.faults).toEqual([{ name: 'k', kind: 'broker-kill', target: undefined, delayMs: undefined, lossPercent: undefined, startMs: 1_200_000, durationMs: 300_000, atWallS: 120, durationWallS: 30 }])
    expect(s.pipeline).toEqual({ engine: 'spark', guarantee: 'at-least-once', trigger: { kind: 'processing-time', intervalMs: 2000 }, partitions: 4, queries: ['rating', 'network', 'fraud'], queryLayout: 'per-query', dedupWatermarkMs: 600_000, lateThresholdMs: 7_200_000, warmUpBatches: 6, kafkaOptions: {}, sparkConf: {} })
    expect(s.thresholds.pipeline_e2e_latency_ms).toEqual([
      { threshold: 'p(99)<2000', abortOnFail: false, delayAbortEvalMs: undefined, windowMs: undefined },
      { threshold: 'p(50)<500', abortOnFail: false, delayAbortEvalMs: undefined, windowMs: undefined },
    ])
    expect(s.traffic.voice.attemptsPerSubscriber).toBeCloseTo(8.3 / 86_400)
    expect(s.ratingSpec.tariffs.national?.voice.firstIncrementSec).toBe(60)
  })

  it('rejects a threshold that is not k6 syntax', () => {
    const r = validateScenarioText(`${minimal}thresholds:\n  lost_events: ["count = 0"]\n`, 't.yaml')
    expect(errorsOf(r)).toEqual(['t.yaml:10:17  thresholds.lost_events[0]  "count = 0" is not a threshold expression: bad operator  (write aggregation, operator, number, e.g. "p(99)<2000" or "count==0")'])
  })

  it('rejects an unknown threshold metric with a suggestion', () => {
    const r = validateScenarioText(`${minimal}thresholds:\n  pipeline_e2e_latncy_ms: ["p(99)<2000"]\n`, 't.yaml')
    expect(errorsOf(r)).toEqual(['t.yaml:10:3  thresholds.pipeline_e2e_latncy_ms  unknown metric "pipeline_e2e_latncy_ms"  (did you mean "pipeline_e2e_latency_ms"?)'])
  })

  it('rejects an unknown tag and an unknown tag value, accepts a known one', () => {
    const bad = validateScenarioText(`${minimal}thresholds:\n  fraud_recall{knd:SIMBOX}: ["value>=0.8"]\n  fraud_recall{kind:SIMBAX}: ["value>=0.8"]\n  lost_events{kind:SIMBOX}: ["count==0"]\n`, 't.yaml')
    expect(errorsOf(bad)).toEqual([
      't.yaml:10:3  thresholds.fraud_recall{knd:SIMBOX}  fraud_recall has no tag "knd"  (did you mean "kind"?)',
      't.yaml:11:3  thresholds.fraud_recall{kind:SIMBAX}  unknown fraud kind "SIMBAX" in fraud_recall{kind:SIMBAX}  (did you mean "SIMBOX"?)',
      't.yaml:12:3  thresholds.lost_events{kind:SIMBOX}  lost_events has no tag "kind"  (lost_events takes no tags: write it without {…})',
    ])
    expect(validateScenarioText(`${minimal}thresholds:\n  fraud_recall{kind:SIMBOX}: ["value>=0.8"]\n`, 't.yaml').ok).toBe(true)
  })

  it('takes abortOnFail on a latency threshold, with its delay, and refuses it on a figure known only after the drain', () => {
    const ok = validateScenarioText(`${minimal}thresholds:\n  pipeline_e2e_latency_ms: [{ threshold: "p(99)<5000", abortOnFail: true, delayAbortEval: 20s }]\n`, 't.yaml')
    if (!ok.ok) throw new Error(errorsOf(ok).join('\n'))
    expect(ok.scenario.thresholds.pipeline_e2e_latency_ms).toEqual([{ threshold: 'p(99)<5000', abortOnFail: true, delayAbortEvalMs: 20_000, windowMs: undefined }])
    const r = validateScenarioText(`${minimal}thresholds:\n  lost_events: [{ threshold: "count==0", abortOnFail: true }]\n`, 't.yaml')
    expect(errorsOf(r)).toEqual(['t.yaml:10:55  thresholds.lost_events[0].abortOnFail  abortOnFail needs a metric measured while the load runs: lost_events is known only once the run has drained  (remove abortOnFail (and delayAbortEval); the run still fails with exit 1 when the threshold fails)'])
  })

  it('takes a window on a latency threshold, in whole seconds, and resolves it to ms', () => {
    const r = validateScenarioText(`${minimal}thresholds:\n  pipeline_e2e_latency_ms: [{ threshold: "p(99)<5000", window: "10s" }, "p(99)<4000"]\n`, 't.yaml')
    if (!r.ok) throw new Error(errorsOf(r).join('\n'))
    expect(r.scenario.thresholds.pipeline_e2e_latency_ms).toEqual([
      { threshold: 'p(99)<5000', abortOnFail: false, delayAbortEvalMs: undefined, windowMs: 10_000 },
      { threshold: 'p(99)<4000', abortOnFail: false, delayAbortEvalMs: undefined, windowMs: undefined },
    ])
  })

  it('rejects a window shorter than a second, a window of a fraction of a second, and a window on a scalar metric', () => {
    const short = validateScenarioText(`${minimal}thresholds:\n  pipeline_e2e_latency_ms: [{ threshold: "p(99)<5000", window: "500ms" }]\n`, 't.yaml')
    expect(errorsOf(short)).toEqual(['t.yaml:10:64  thresholds.pipeline_e2e_latency_ms[0].window  window 500 ms is shorter than 1 s, the resolution of the per-second histograms  (use a whole number of seconds, e.g. "10s")'])
    const fraction = validateScenarioText(`${minimal}thresholds:\n  pipeline_e2e_latency_ms: [{ threshold: "p(99)<5000", window: "1500ms" }]\n`, 't.yaml')
    expect(errorsOf(fraction)).toEqual(['t.yaml:10:64  thresholds.pipeline_e2e_latency_ms[0].window  window 1.5 s is not a whole number of seconds: windows are made of the per-second histograms  (use "1s" or "2s")'])
    const scalar = validateScenarioText(`${minimal}thresholds:\n  lost_events: [{ threshold: "count==0", window: "10s" }]\n`, 't.yaml')
    expect(errorsOf(scalar)).toEqual(['t.yaml:10:50  thresholds.lost_events[0].window  window applies to latency (trend) metrics only: lost_events is one number per run  (remove window, or put it on a latency metric such as pipeline_e2e_latency_ms)'])
  })

  it('rejects a window longer than the load after the warm-up, also when --set makes the run shorter', () => {
    const text = `${minimal}thresholds:\n  pipeline_e2e_latency_ms: [{ threshold: "p(99)<5000", window: "30s" }]\n`
    expect(validateScenarioText(text, 't.yaml').ok).toBe(true)
    // 1 h at ×120 is 30 s of load; the warm-up takes the first 10.
    expect(errorsOf(validateScenarioText(text, 't.yaml', { overrides: ['timeCompression=120'] }))).toEqual([
      't.yaml:10:64  thresholds.pipeline_e2e_latency_ms[0].window  window 30 s is longer than the load after the warm-up (20 whole seconds): not one full window to evaluate  (shorten the window or lengthen the run (duration / timeCompression))',
    ])
  })

  it('rejects an aggregation the metric does not have', () => {
    const r = validateScenarioText(`${minimal}thresholds:\n  lost_events: ["p(99)<1"]\n`, 't.yaml')
    expect(errorsOf(r)).toEqual(['t.yaml:10:17  thresholds.lost_events[0]  lost_events is a scalar metric: "p(99)<1" observes nothing on it  (use value, count, min, max, avg or med)'])
  })
})

describe('YAML syntax errors name their real line and column', () => {
  it('an unclosed [ on line 4 is reported at its bracket, not at 1:1', () => {
    const r = validateScenarioText('version: 1\nname: t\nseed: 1\nduration: [1h\npopulation:\n  subscribers: 1000\n', 's.yaml')
    expect(errorsOf(r)).toEqual(['s.yaml:4:11  (root)  YAML: this [ is not closed (Flow sequence in block collection must be sufficiently indented and end with a ])  (end the sequence with ] on this line, or indent its continuation lines)'])
  })
  it('a duplicate key is reported at the second one', () => {
    const r = validateScenarioText(`${minimal}duration: 2h\n`, 'd.yaml')
    expect(errorsOf(r)).toEqual(['d.yaml:9:1  (root)  YAML: Map keys must be unique  (remove one of the two keys)'])
  })
  it('a bad indentation is reported on its line', () => {
    const r = validateScenarioText('version: 1\nname: t\nseed: 1\nduration: 1h\npopulation:\n  subscribers: 1000\n    sites: 2\n', 'i.yaml')
    expect(errorsOf(r)[0]).toMatch(/^i\.yaml:[67]:\d+ {2}\(root\) {2}YAML: /)
  })
})

describe('a YAML alias bomb', () => {
  const levels = ['a0: &a0 [x, x, x, x, x, x, x, x, x]', ...Array.from({ length: 8 }, (_, i) => `a${i + 1}: &a${i + 1} [${Array(9).fill(`*a${i}`).join(', ')}]`)]
  it('is one clear error naming the file and a fix, not a crash', () => {
    const r = validateScenarioText(`${minimal}${levels.join('\n')}\n`, 'bomb.yaml')
    expect(errorsOf(r)).toEqual(['bomb.yaml:10:10  (root)  YAML: too many YAML aliases: the *references expand to more than 100 values (an "alias bomb")  (write the values out, or refer to each &anchor only a few times)'])
  })
  it('while a few aliases stay allowed', () => {
    const r = validateScenarioText(`${minimal.replace('  subscribers: 1000\n', '  subscribers: &n 1000\n')}description: x\nhardNegatives:\n  m2mFleets: { count: 0 }\n  callCentres: { count: 0, agentsPerCentre: *n }\n`, 'a.yaml')
    expect(errorsOf(r)).toEqual([])
  })
})

describe('--set overrides', () => {
  it('apply before the checks', () => {
    const r = validateScenarioText(minimal, 'o.yaml', { overrides: ['duration=2h', 'timeCompression=120', 'population.subscribers=2000'] })
    if (!r.ok) throw new Error(errorsOf(r).join('\n'))
    expect(r.scenario.wallDurationS).toBe(60)
    expect(r.scenario.population.subscribers).toBe(2000)
  })
  it('name the flag, not a line of the file, for a bad value', () => {
    expect(errorsOf(validateScenarioText(minimal, 'o.yaml', { overrides: ['duration=soon'] }))).toEqual(['o.yaml (--set duration=soon)  duration  "soon": expected a duration such as "90s", "10m" or "1h30m"'])
    expect(errorsOf(validateScenarioText(minimal, 'o.yaml', { overrides: ['durationS=30'] }))).toEqual(['o.yaml (--set durationS=30)  durationS  unknown key  (did you mean "duration"?)'])
  })
  it('name the last flag that set the value', () => {
    expect(errorsOf(validateScenarioText(minimal, 'o.yaml', { overrides: ['population.subscribers=5', 'population={ subscribers: -1 }'] }))).toEqual([
      'o.yaml (--set population={ subscribers: -1 })  population.subscribers  -1 is too small: it must be ≥ 1  (use a value ≥ 1)',
    ])
  })
  it('refuse a value that is not YAML, a key without =, and a path through a single value', () => {
    expect(errorsOf(validateScenarioText(minimal, 'o.yaml', { overrides: ['duration=[1'] }))).toEqual([
      'o.yaml (--set duration=[1)  duration  the value is not YAML: Flow sequence must end with a ]  (write a YAML value: a number, a word, "quoted text", [a, b] or { key: value })',
    ])
    expect(errorsOf(validateScenarioText(minimal, 'o.yaml', { overrides: ['duration'] }))).toEqual(['o.yaml (--set duration)  (root)  is not key=value  (write e.g. --set duration=30m or --set population.subscribers=2000)'])
    expect(errorsOf(validateScenarioText(minimal, 'o.yaml', { overrides: ['duration.hours=1'] }))).toEqual(['o.yaml (--set duration.hours=1)  duration.hours  duration is a single value, so duration.hours cannot be set'])
  })
  it('leave the file lines of other problems untouched', () => {
    expect(errorsOf(validateScenarioText(`${minimal}timeCompression: fast\n`, 'o.yaml', { overrides: ['seed=2'] }))).toEqual(['o.yaml:9:18  timeCompression  expected a number, got "fast"  (e.g. 0.5 or 120)'])
  })
})

describe('schema messages are in the project\'s words, each with a hint', () => {
  it.each([
    ['seed: -1', 'seed  -1 is too small: it must be ≥ 0  (use a value ≥ 0)'],
    ['timeCompression: 0', 'timeCompression  0 is too small: it must be > 0  (use a value > 0)'],
    ['topology:\n  sites: 2\n  sectorsPerSite: 9', 'topology.sectorsPerSite  9 is too large: it must be ≤ 6  (use a value ≤ 6)'],
    ['population:\n  subscribers: 1.5', 'population.subscribers  expected a whole number, got 1.5  (e.g. 3)'],
    ['startTime: yesterday', 'startTime  "yesterday" is not an ISO 8601 date-time with a time zone  (e.g. "2026-01-06T17:00:00Z")'],
    ['traffic:\n  voiceProfile: [1, 2]', 'traffic.voiceProfile  the list has 2 items; it needs exactly 24 items  (give exactly 24 items)'],
    ['anomalies:\n  a: { kind: SLEEPING_CELL, startTime: 0s, duration: 10m, cells: [] }', 'anomalies.a.cells  the list has 0 items; it needs at least 1 item  (add items)'],
    ['thresholds:\n  Bad-Metric: ["p(99)<2"]', 'thresholds.Bad-Metric  key "Bad-Metric": expected a snake_case metric name, optionally with one {tag:value}  (rename the key)'],
    ['population: 5', 'population  expected a mapping of keys to values, got 5  (indent the keys under it, or write { key: value })'],
    ['fraud:\n  w: { kind: WANGIRI, numberPrefix: "88x" }', 'fraud.w.numberPrefix  "88x": expected digits, e.g. "88213"'],
  ])('%s', (yaml, expected) => {
    const text = `${minimal}${yaml}\n`.replace(/^(seed|population|topology|startTime|timeCompression): .*\n(?=[\s\S]*^\1:)/m, '').replace(/^(population|topology):\n(  .*\n)+(?=[\s\S]*^\1:)/m, '')
    const found = errorsOf(validateScenarioText(text, 'm.yaml'))
    expect(found.map((e) => e.replace(/^m\.yaml:\d+:\d+ {2}/, ''))).toContain(expected)
    expect(found.join('\n')).not.toMatch(/Too (small|big)|Invalid|expected (number|int|string|object)\b/)
  })
})

describe('the PM-period warning', () => {
  const short = minimal.replace('duration: 1h', 'duration: 10m')
  const pmWarnings = (text: string): string[] => validateScenarioText(text, 'p.yaml').warnings.map(formatIssue).filter((w) => w.includes('PM period'))
  it('fires once when the network query runs and the run is shorter than one PM period', () => {
    expect(pmWarnings(short)).toEqual([
      'p.yaml:1:1  traffic.pm.granularity  warning: PM period 15m is longer than the run (10m): no PM records, the network query sees no cell KPIs  (set traffic.pm.granularity to 2m30s or less, or leave network out of pipeline.queries)',
    ])
  })
  it('stays quiet when the network query is off, or the period fits the run', () => {
    expect(pmWarnings(`${short}pipeline:\n  queries: [rating]\n`)).toEqual([])
    expect(pmWarnings(`${short}traffic:\n  pm: { granularity: 5m }\n`)).toEqual([])
    expect(pmWarnings(minimal)).toEqual([])
  })
})

describe('--set problems belong to the flag that caused them', () => {
  it('a mapping the flag created where the file has none', () => {
    expect(errorsOf(validateScenarioText(minimal, 'o.yaml', { overrides: ['traffic.voiceProfile.x=1'] }))).toEqual([
      'o.yaml (--set traffic.voiceProfile.x=1)  traffic.voiceProfile  expected a list, got a mapping  (write [a, b] or one "- item" per line)',
    ])
  })
  it('a list item named by anything but its index', () => {
    expect(errorsOf(validateScenarioText(`${minimal}pipeline:\n  queries: [rating]\n`, 'o.yaml', { overrides: ['pipeline.queries.x=rating'] }))).toEqual([
      'o.yaml (--set pipeline.queries.x=rating)  pipeline.queries.x  pipeline.queries is a list: name an item by its index, e.g. pipeline.queries.0',
    ])
  })
})

describe('a bound the schema words itself', () => {
  it('keeps its words', () => {
    const r = validateScenarioText(`${minimal}ratingSpec:\n  currency: EUR\n  rounding: { mode: up, per: call }\n  taxBasisPoints: 100001\n  utcOffsetMinutes: 0\n  timeBands: [{ name: day, fromHour: 0, toHour: 24 }]\n  destinations: []\n  defaultDestinationClass: national\n  tariffs:\n    national:\n      voice: { connectFeeSubunits: 0, firstIncrementSec: 60, nextIncrementSec: 86401, ratePerMinuteSubunits: { day: 1 } }\n      sms: { perMessageSubunits: 1 }\n      data: { incrementBytes: 1, ratePerMegabyteSubunits: { day: 1 } }\n`, 'b.yaml')
    const found = errorsOf(r).map((e) => e.replace(/^b\.yaml:\d+:\d+ {2}/, ''))
    expect(found).toContain('ratingSpec.taxBasisPoints  100001 is too large: it must be ≤ 100000  (use a value ≤ 100000)')
    expect(found.find((e) => e.startsWith('ratingSpec.tariffs.national.voice.nextIncrementSec'))).toMatch(/nextIncrementSec {2}above 86400 s \(one day\)/)
  })
})
