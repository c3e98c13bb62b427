import { once } from 'node:events'
import { createWriteStream, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync, type WriteStream } from 'node:fs'
import { join, resolve } from 'node:path'
import { createEventStream, encodeValue, formatIssue, validateScenarioText, type ResolvedScenario } from '../../generators/index.ts'
import { TelcobenchError } from '../errors.ts'
import { detectJava } from '../runtime/java.ts'
import { ensureJvmArtifacts } from '../runtime/maven.ts'
import { jvmTmpDir } from '../runtime/paths.ts'
import { runSparkTraining } from '../runtime/spark-job.ts'
import { forecastTrainingSchema, fraudTrainingFile, fraudTrainingSchema, modelManifestFile, modelManifestSchema, modelManifestVersion, networkTrainingSchema, type ForecastManifest, type ForecastTraining, type ModelManifest } from './model-folder.ts'

export interface TrainOptions {
  scenarioPath: string
  /** The model folder to write (created; an earlier model in it is replaced). */
  outDir: string
  /** `--set key=value` overrides of the training scenario (e.g. seed=7). */
  overrides?: string[]
  log?: (line: string) => void
}

export interface TrainOutcome {
  dir: string
  manifest: ModelManifest
}

/**
 * Generated history the training job reads: `history/events.jsonl` (pm and alarms; with fraud in the scenario, the
 * usage records too), `history/anomaly.jsonl`, and with fraud `history/label.jsonl` and `history/rating-spec.json`.
 */
export const historyDir = 'history'

function loadTrainingScenario(path: string, overrides: string[]): ResolvedScenario {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    throw new TelcobenchError('TB_USAGE', `cannot read the scenario file ${path}`, { cause: error, fix: 'check the path; shipped scenarios are in scenarios/' })
  }
  const result = validateScenarioText(text, path, { overrides })
  if (!result.ok) {
    throw new TelcobenchError('TB_SCENARIO_INVALID', `the scenario is invalid:\n${result.errors.map(formatIssue).join('\n')}`, { fix: `run \`telcobench validate ${path}\` and fix each line above` })
  }
  return result.scenario
}

async function writeLine(out: WriteStream, line: string): Promise<void> {
  if (!out.write(`${line}\n`)) await once(out, 'drain')
}

async function close(out: WriteStream): Promise<void> {
  out.end()
  await once(out, 'finish')
}

/** What `writeTrainingHistory` wrote. */
export interface HistoryCounts {
  /** pm and alarms records. */
  records: number
  anomalies: number
  /** Usage records (voice, sms, data), and fraud labels (fraudulent and hard negatives): 0 without fraud. */
  usageRecords: number
  labels: number
}

/**
 * Generates the scenario's training history into `dir`: the pm and alarms records (in `telcobench generate`'s
 * events.jsonl format) and the anomaly truth; when the scenario has fraud patterns, also its usage records, its
 * `label` truth and its rating spec (the fraud features need the destination classes).
 */
export async function writeTrainingHistory(s: ResolvedScenario, dir: string): Promise<HistoryCounts> {
  mkdirSync(dir, { recursive: true })
  const withUsage = Object.keys(s.fraud).length > 0
  const events = createWriteStream(join(dir, 'events.jsonl'), { highWaterMark: 1 << 20 })
  const anomalyLines: string[] = []
  const labelLines: string[] = []
  const counts: HistoryCounts = { records: 0, anomalies: 0, usageRecords: 0, labels: 0 }
  const stream = createEventStream(s, {
    truth: {
      write(kind, record) {
        if (kind === 'anomaly') anomalyLines.push(JSON.stringify(record))
        if (kind === 'label' && withUsage) labelLines.push(JSON.stringify(record))
      },
    },
  })
  for (const ev of stream) {
    if (ev.topic === 'pm' || ev.topic === 'alarms') counts.records++
    else if (withUsage) counts.usageRecords++
    else continue
    await writeLine(events, `{"topic":"${ev.topic}","key":${ev.key === null ? 'null' : `"${ev.key}"`},"sendOffsetNs":${ev.sendOffsetNs},"value":${JSON.stringify(encodeValue(ev, 0n))}}`)
  }
  await close(events)
  writeFileSync(join(dir, 'anomaly.jsonl'), anomalyLines.map((l) => `${l}\n`).join(''))
  if (withUsage) {
    writeFileSync(join(dir, 'label.jsonl'), labelLines.map((l) => `${l}\n`).join(''))
    writeFileSync(join(dir, 'rating-spec.json'), `${JSON.stringify(s.ratingSpec)}\n`)
  }
  counts.anomalies = anomalyLines.length
  counts.labels = labelLines.length
  return counts
}

/**
 * `telcobench train` (docs/ml.md "Training"): generates the training scenario's history (network, and usage with fraud), runs the
 * Spark MLlib job (TrainApp) that fits and saves the models, and writes the folder's manifest.json.
 */
export async function trainModels(o: TrainOptions): Promise<TrainOutcome> {
  const log = o.log ?? ((line: string) => { console.error(line) })
  const began = Date.now()
  const scenario = loadTrainingScenario(o.scenarioPath, o.overrides ?? [])
  const dir = resolve(o.outDir)
  const history = join(dir, historyDir)
  const logDir = join(dir, 'logs')
  mkdirSync(logDir, { recursive: true })
  log(`Generating the training history of ${scenario.name} (seed ${scenario.seed}) …`)
  const written = await writeTrainingHistory(scenario, history)
  if (written.records === 0) throw new TelcobenchError('TB_USAGE', `${o.scenarioPath} generates no PM records to train on`, { fix: 'train on a scenario with cells (topology.sites ≥ 1) and PM counters' })
  log(`  ${written.records} PM and alarm records, ${written.anomalies} anomaly windows${written.usageRecords > 0 ? `, ${written.usageRecords} usage records, ${written.labels} fraud labels` : ''} → ${history}`)
  const fraudArgs = written.usageRecords > 0 ? ['--labels', join(history, 'label.jsonl'), '--rating-spec', join(history, 'rating-spec.json')] : []
  const java = await detectJava()
  await ensureJvmArtifacts(log)
  // An earlier training's fraud model in this folder must not pass for this one's.
  for (const stale of [fraudTrainingFile, 'fraud', 'fraud-history.csv']) rmSync(join(dir, stale), { recursive: true, force: true })
  log('Fitting the models with Spark MLlib …')
  try {
    await runSparkTraining({ java, workDir: dir, logDir, threads: 2 }, ['--events', join(history, 'events.jsonl'), '--anomalies', join(history, 'anomaly.jsonl'), '--out', dir, '--seed', String(scenario.seed), ...fraudArgs])
  } finally {
    rmSync(jvmTmpDir(dir), { recursive: true, force: true })
  }
  const trainingFile = join(dir, 'network-training.json')
  const training = networkTrainingSchema.parse(JSON.parse(readFileSync(trainingFile, 'utf8')) as unknown)
  // TrainApp leaves the fraud model out when no usage record is labelled fraud.
  const fraudFile = join(dir, fraudTrainingFile)
  const fraud = existsSync(fraudFile) ? fraudTrainingSchema.parse(JSON.parse(readFileSync(fraudFile, 'utf8')) as unknown) : null
  const forecastFile = join(dir, 'forecast-training.json')
  const forecast = existsSync(forecastFile) ? forecastTrainingSchema.parse(JSON.parse(readFileSync(forecastFile, 'utf8')) as unknown) : null
  const manifest = modelManifestSchema.parse({
    schema_version: modelManifestVersion,
    scenario: scenario.name,
    scenario_file: o.scenarioPath,
    seed: scenario.seed,
    trained_at: new Date(began).toISOString(),
    training_wall_s: (Date.now() - began) / 1000,
    anomaly_cells: training.anomalyCells,
    detectors: {
      network: {
        detector: training.detector,
        family: 'anomaly',
        algorithm: training.algorithm,
        num_trees: training.numTrees,
        max_depth: training.maxDepth,
        consecutive_periods: training.consecutivePeriods,
        features: training.features,
        classes: training.classes,
        class_counts: training.classCounts,
        rows: training.rows,
        fit_s: training.fitMs / 1000,
      },
      ...(fraud !== null
        ? {
            fraud: {
              detector: fraud.detector,
              family: 'fraud' as const,
              algorithm: fraud.algorithm,
              num_trees: fraud.numTrees,
              max_depth: fraud.maxDepth,
              min_probability: fraud.minProbability,
              features: fraud.features,
              classes: fraud.classes,
              class_counts: fraud.classCounts,
              class_weights: fraud.classWeights,
              rows: fraud.rows,
              fit_s: fraud.fitMs / 1000,
              fraud_entities: fraud.fraudEntities,
            },
          }
        : {}),
      ...(forecast === null ? {} : { forecast: forecastManifest(forecast) }),
    },
  } satisfies ModelManifest)
  writeFileSync(join(dir, modelManifestFile), `${JSON.stringify(manifest, null, 2)}\n`)
  return { dir, manifest }
}

/** The manifest's entry for the outage forecaster, from what TrainApp wrote (`forecast-training.json`). */
function forecastManifest(f: ForecastTraining): ForecastManifest {
  return {
    detector: f.detector,
    family: 'anomaly',
    algorithm: f.algorithm,
    max_iter: f.maxIter,
    max_depth: f.maxDepth,
    threshold: f.threshold,
    horizon_periods: f.horizonPeriods,
    horizon_s: f.horizonPeriods * f.granularitySec,
    kinds: f.kinds,
    features: f.features,
    classes: f.classes,
    class_counts: f.classCounts,
    rows: f.rows,
    left_out: f.leftOut,
    fit_s: f.fitMs / 1000,
  }
}
