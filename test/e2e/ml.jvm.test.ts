import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { readRun } from '../../harness/results/index.ts'
import { processesMentioning, runCli } from '../helpers.ts'
import { behaviourVerdict } from '../run-verdict.ts'

const dir = mkdtempSync(join(tmpdir(), 'telcobench-ml-'))
afterAll(() => {
  rmSync(dir, { recursive: true, force: true })
})

describe('learned detectors on the embedded runtime (real Spark MLlib, Kafka and Spark streaming)', () => {
  it('trains on one seed, scores the saved model in the streaming job on another, and scores it beside the rules', async () => {
    const models = join(dir, 'models')
    const train = await runCli(['train', 'test/fixtures/ml-train.yaml', '--out', models])
    expect(train.stderr).not.toContain('internal error')
    expect(train.exitCode).toBe(0)
    expect(train.stdout).toMatch(/trained ml:network-rf \(random-forest, 40 trees\) on ml-train seed 21: \d+ PM periods \(NONE \d+, CONGESTION \d+, SLEEPING_CELL \d+\)/)
    expect(train.stdout).toMatch(/trained ml:fraud-rf \(random-forest, 40 trees\) on \d+ usage records \(NONE \d+, IRSF \d+\)/)
    expect(train.stdout).toMatch(/trained ml:forecast-gbt \(gradient-boosted-trees, horizon 6 PM periods = 30 min, threshold 0\.\d{3}\) on \d+ PM periods \(NONE \d+, OUTAGE_AHEAD 30; \d+ inside anomalies left out\)/)
    const manifest = JSON.parse(readFileSync(join(models, 'manifest.json'), 'utf8')) as { seed: number; detectors: { network: { classes: string[] }; fraud?: { classes: string[] }; forecast?: { horizon_periods: number; horizon_s: number } } }
    expect(manifest.seed).toBe(21)
    expect(manifest.detectors.network.classes).toEqual(['NONE', 'CONGESTION', 'SLEEPING_CELL'])
    expect(manifest.detectors.fraud?.classes).toEqual(['NONE', 'IRSF'])
    expect(manifest.detectors.forecast).toMatchObject({ horizon_periods: 6, horizon_s: 1800 })
    for (const file of ['network', 'network-history.csv', 'fraud', 'fraud-history.csv', 'forecast', 'forecast-training.json', 'history/events.jsonl', 'history/anomaly.jsonl', 'history/label.jsonl']) expect(existsSync(join(models, file)), file).toBe(true)
    // The JVM's scratch folder inside the model folder is gone.
    expect(existsSync(join(models, 'tmp'))).toBe(false)

    // The same seed is refused before anything starts: the model would be scored on data it saw.
    const same = await runCli(['run', 'test/fixtures/ml-eval.yaml', '--set', 'seed=21', '--model', models, '--results', join(dir, 'refused')])
    expect(same.exitCode).toBe(2)
    expect(same.stderr).toContain('were trained on seed 21')
    expect(existsSync(join(dir, 'refused'))).toBe(false)

    const out = join(dir, 'runs')
    const r = await runCli(['run', 'test/fixtures/ml-eval.yaml', '--model', models, '--results', out, '--no-batch', '--broker-profile', 'functional'])
    const runs = readdirSync(out)
    expect(runs).toHaveLength(1)
    const runDir = join(out, runs[0] ?? '')
    const { results } = readRun(runDir)
    const verdict = behaviourVerdict(results)
    expect(verdict.behaviour).toEqual([])
    expect(r.exitCode).toBe(verdict.exitCode)
    const m = results.models
    expect(m).not.toBeNull()
    expect(m?.training).toMatchObject({ scenario: 'ml-train', seed: 21 })
    expect(m?.evaluation).toEqual({ scenario: 'ml-eval', seed: 22 })
    expect(m?.shared_anomaly_cells).toEqual([])
    expect(m?.shared_fraud_entities).toEqual([])
    const network = m?.detectors['ml:network-rf']
    // The model's alerts reached the alerts topic with their detector and were scored on the same truth as the rules.
    expect(network?.alerts).toBeGreaterThan(0)
    expect(network?.detection['SLEEPING_CELL']?.truth_units).toBe(1)
    expect(network?.detection['SLEEPING_CELL']?.detected_units).toBe(1)
    const alerts = readFileSync(join(runDir, 'alerts.jsonl'), 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as { alertId: string; kind: string; detector?: string })
    expect(new Set(alerts.map((a) => a.detector))).toContain('ml:network-rf')
    // The rules' detection counts only the rules' alerts (one unit per alert id: at-least-once may repeat one).
    const sleeping = (detector: string): number => new Set(alerts.filter((a) => a.kind === 'SLEEPING_CELL' && a.detector === detector).map((a) => a.alertId)).size
    expect(results.detection['SLEEPING_CELL']?.alerted_units ?? 0).toBe(sleeping('rule'))
    expect(network?.detection['SLEEPING_CELL']?.alerted_units).toBe(sleeping('ml:network-rf'))
    // The fraud model scored the subscribers' records in the fraud query and found the unseen IRSF account.
    const fraud = m?.detectors['ml:fraud-rf']
    expect(fraud?.family).toBe('fraud')
    expect(fraud?.detection['IRSF']).toMatchObject({ truth_units: 1, detected_units: 1 })
    expect(new Set(alerts.map((a) => a.detector))).toContain('ml:fraud-rf')
    expect(r.stdout).toContain('█ RULES vs MODELS')
    // The forecaster ran in the same query: its alerts, if any, carry its detector and kind; the one outage is scored.
    const forecaster = m?.detectors['ml:forecast-gbt']
    const forecasts = alerts.filter((a) => a.detector === 'ml:forecast-gbt')
    expect(forecasts.every((a) => a.kind === 'OUTAGE_FORECAST')).toBe(true)
    expect(forecaster?.alerts).toBe(forecasts.length)
    expect(forecaster?.detection).toEqual({})
    expect(forecaster?.forecast).toMatchObject({ horizon_periods: 6, horizon_s: 1800, outage_count: 1 })
    expect(forecaster?.forecast?.outages[0]).toMatchObject({ name: 'quiet', kind: 'SLEEPING_CELL', precursor: true })
    console.log(`forecast of the eval outage: ${JSON.stringify(forecaster?.forecast?.outages[0])}`)
    expect(r.stdout).toContain('█ FORECASTS')
    expect(processesMentioning(runDir)).toEqual([])
  }, 300_000)
})
