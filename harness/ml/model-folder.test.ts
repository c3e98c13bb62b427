import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { validateScenarioText } from '../../generators/index.ts'
import { TelcobenchError } from '../errors.ts'
import { checkTrainEvalSplit, readModelFolder, type ModelManifest } from './model-folder.ts'
import { writeTrainingHistory } from './train.ts'

const dir = mkdtempSync(join(tmpdir(), 'tb-models-'))
afterAll(() => {
  rmSync(dir, { recursive: true, force: true })
})

const manifest: ModelManifest = {
  schema_version: 1,
  scenario: 'trainer',
  scenario_file: 'train.yaml',
  seed: 7,
  trained_at: '2026-01-01T00:00:00.000Z',
  training_wall_s: 30,
  anomaly_cells: ['00101000000A1'],
  detectors: { network: { detector: 'ml:network-rf', family: 'anomaly', algorithm: 'random-forest', num_trees: 40, max_depth: 8, consecutive_periods: 2, features: ['fail_ratio'], classes: ['NONE', 'SLEEPING_CELL'], class_counts: { NONE: 90, SLEEPING_CELL: 10 }, rows: 100, fit_s: 2 } },
}

function folder(name: string, content: unknown, withModel = true): string {
  const d = join(dir, name)
  mkdirSync(d, { recursive: true })
  if (content !== undefined) writeFileSync(join(d, 'manifest.json'), typeof content === 'string' ? content : JSON.stringify(content))
  if (withModel) mkdirSync(join(d, 'network'), { recursive: true })
  return d
}

function usageError(f: () => unknown): TelcobenchError {
  try {
    f()
  } catch (error) {
    if (error instanceof TelcobenchError) return error
    throw error
  }
  throw new Error('no error')
}

describe('a model folder', () => {
  it('is read with its manifest', () => {
    const d = folder('good', manifest)
    expect(readModelFolder(d)).toEqual({ dir: d, manifest })
  })

  it('without a manifest, with a broken one or without its model is refused with the folder named and a fix', () => {
    const none = usageError(() => readModelFolder(folder('empty', undefined)))
    expect(none.code).toBe('TB_USAGE')
    expect(none.message).toContain(`${join(dir, 'empty')} is not a model folder: it has no manifest.json`)
    expect(none.fix).toContain('telcobench train')
    expect(usageError(() => readModelFolder(folder('not-json', '{'))).message).toContain('is not JSON')
    expect(usageError(() => readModelFolder(folder('old', { ...manifest, schema_version: 0 }))).message).toContain('schema_version')
    expect(usageError(() => readModelFolder(folder('no-model', manifest, false))).message).toContain('no network/ model')
    const fraud = { detector: 'ml:fraud-rf', family: 'fraud', algorithm: 'random-forest', num_trees: 40, max_depth: 8, min_probability: 0.5, features: ['calls_1h'], classes: ['NONE', 'SIMBOX'], class_counts: { NONE: 90, SIMBOX: 10 }, class_weights: { NONE: 0.7, SIMBOX: 2.2 }, rows: 100, fit_s: 1, fraud_entities: ['001010000000001'] }
    expect(usageError(() => readModelFolder(folder('no-fraud-model', { ...manifest, detectors: { ...manifest.detectors, fraud } }))).message).toContain('no fraud/ model')
  })

  it('trained on the seed of the evaluation scenario is refused: it would be scored on data it saw', () => {
    const m = readModelFolder(folder('split', manifest))
    const e = usageError(() => {
      checkTrainEvalSplit(m, { name: 'eval', seed: 7 })
    })
    expect(e.message).toContain('were trained on seed 7 (trainer)')
    expect(e.fix).toContain('--set seed=8')
    expect(() => {
      checkTrainEvalSplit(m, { name: 'eval', seed: 8 })
    }).not.toThrow()
  })
})

describe('the training history', () => {
  it('without fraud in the scenario: the pm and alarms records in generate format and the anomaly windows, nothing else', async () => {
    const r = validateScenarioText(
      `version: 1
name: tiny
seed: 3
duration: 1h
timeCompression: 60
population: { subscribers: 200 }
topology: { sites: 1 }
traffic: { pm: { granularity: 15m } }
anomalies:
  storm: { kind: ALARM_STORM, startTime: 10m, duration: 20m, cells: [2], alarmsPerCell: 5 }
`,
      'tiny.yaml',
    )
    if (!r.ok) throw new Error(r.errors.map((e) => e.message).join('\n'))
    const out = join(dir, 'history')
    const written = await writeTrainingHistory(r.scenario, out)
    const lines = readFileSync(join(out, 'events.jsonl'), 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as { topic: string; key: string; value: string })
    expect(lines).toHaveLength(written.records)
    expect(new Set(lines.map((l) => l.topic))).toEqual(new Set(['pm', 'alarms']))
    // 9 cells, 4 PM periods each.
    expect(lines.filter((l) => l.topic === 'pm')).toHaveLength(36)
    expect(lines.filter((l) => l.topic === 'alarms').length).toBeGreaterThanOrEqual(10)
    expect(typeof (JSON.parse(lines[0]?.value ?? '{}') as { id?: string }).id).toBe('string')
    const anomalies = readFileSync(join(out, 'anomaly.jsonl'), 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as { kind: string; cell: string })
    expect(written.anomalies).toBe(1)
    expect(anomalies[0]?.kind).toBe('ALARM_STORM')
    expect(written.usageRecords).toBe(0)
    expect(existsSync(join(out, 'label.jsonl'))).toBe(false)
  })

  it('with fraud: also the usage records, the fraud labels (hard negatives included) and the rating spec', async () => {
    const r = validateScenarioText(
      `version: 1
name: tiny-fraud
seed: 4
duration: 1h
timeCompression: 60
population: { subscribers: 400 }
topology: { sites: 1 }
traffic: { pm: { granularity: 15m } }
fraud:
  box: { kind: SIMBOX, share: 0.01, simsPerBox: 4 }
hardNegatives:
  heavyInternationalCallers: { share: 0.01 }
`,
      'tiny-fraud.yaml',
    )
    if (!r.ok) throw new Error(r.errors.map((e) => e.message).join('\n'))
    const out = join(dir, 'fraud-history')
    const written = await writeTrainingHistory(r.scenario, out)
    const lines = readFileSync(join(out, 'events.jsonl'), 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as { topic: string })
    expect(lines).toHaveLength(written.records + written.usageRecords)
    expect(new Set(lines.map((l) => l.topic))).toEqual(new Set(['pm', 'alarms', 'cdr']))
    expect(lines.filter((l) => l.topic === 'cdr')).toHaveLength(written.usageRecords)
    const labels = readFileSync(join(out, 'label.jsonl'), 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as { kind: string; fraud: boolean })
    expect(labels).toHaveLength(written.labels)
    expect(labels.filter((l) => l.kind === 'SIMBOX' && l.fraud)).toHaveLength(4)
    expect(labels.some((l) => l.kind === 'HEAVY_INTERNATIONAL' && !l.fraud)).toBe(true)
    const spec = JSON.parse(readFileSync(join(out, 'rating-spec.json'), 'utf8')) as { destinations: { prefix: string; class: string }[] }
    expect(spec.destinations).toContainEqual({ prefix: '88213', class: 'premium' })
  })
})
