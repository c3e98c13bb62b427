import { readFileSync, readdirSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { formatIssue } from './issues.ts'
import { scenarioJsonSchemaText } from './json-schema.ts'
import { validateScenarioFile, validateScenarioText, type ValidationResult } from './validate.ts'

const scenariosDir = new URL('../../scenarios/', import.meta.url)
const shipped = readdirSync(scenariosDir).filter((f) => f.endsWith('.yaml'))

function errorsOf(r: ValidationResult): string[] {
  return r.ok ? [] : r.errors.map(formatIssue)
}

const minimal = `version: 1
name: t
seed: 1
duration: 1h
population:
  subscribers: 1000
topology:
  sites: 2
`

describe('shipped scenarios', () => {
  it('ships the documented scenarios', () => {
    expect(shipped.sort()).toEqual(
      ['broker-failure', 'busy-hour', 'chaos', 'ci-smoke', 'flash-crowd', 'fraud-wave', 'late-and-duplicate-data', 'pipeline-crash', 'quickstart', 'rating-capacity'].map((n) => `${n}.yaml`),
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
      'broken.yaml:5:18  timeCompression  expected number, got "fast"',
      'broken.yaml:8:3  population.prepaidShar  unknown key  (did you mean "prepaidShare"?)',
      'broken.yaml:14:16  faults.late-kill.startTime  fault starts at 12m, outside the run (duration 10m)  (shorten the fault time or extend the run)',
    ])
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
    expect(s.pipeline).toEqual({ guarantee: 'at-least-once', trigger: { kind: 'processing-time', intervalMs: 2000 }, partitions: 4, queries: ['rating', 'network', 'fraud'], dedupWatermarkMs: 600_000, lateThresholdMs: 7_200_000 })
    expect(s.thresholds.pipeline_e2e_latency_ms).toEqual([
      { threshold: 'p(99)<2000', abortOnFail: false, delayAbortEvalMs: undefined },
      { threshold: 'p(50)<500', abortOnFail: false, delayAbortEvalMs: undefined },
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

  it('rejects abortOnFail, which the harness does not carry out', () => {
    const r = validateScenarioText(`${minimal}thresholds:\n  lost_events: [{ threshold: "count==0", abortOnFail: true }]\n`, 't.yaml')
    expect(errorsOf(r)).toEqual(['t.yaml:10:55  thresholds.lost_events[0].abortOnFail  abortOnFail is not carried out: thresholds are evaluated once the run has ended  (remove abortOnFail (and delayAbortEval); the run still fails with exit 1 when the threshold fails)'])
  })

  it('rejects an aggregation the metric does not have', () => {
    const r = validateScenarioText(`${minimal}thresholds:\n  lost_events: ["p(99)<1"]\n`, 't.yaml')
    expect(errorsOf(r)).toEqual(['t.yaml:10:17  thresholds.lost_events[0]  lost_events is a scalar metric: "p(99)<1" observes nothing on it  (use value, count, min, max, avg or med)'])
  })
})
