import { existsSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { z } from 'zod'
import { TelcobenchError } from '../errors.ts'

/** The manifest `telcobench train` writes beside the models (docs/ml.md "The model folder"). */
export const modelManifestFile = 'manifest.json'
export const modelManifestVersion = 1

/** What TrainApp reports about the network model it fitted (`network-training.json`). */
export const networkTrainingSchema = z.object({
  model: z.string(),
  detector: z.string(),
  algorithm: z.string(),
  numTrees: z.number().int(),
  maxDepth: z.number().int(),
  consecutivePeriods: z.number().int(),
  features: z.array(z.string()),
  classes: z.array(z.string()),
  classCounts: z.record(z.string(), z.number().int()),
  rows: z.number().int(),
  cells: z.number().int(),
  anomalyCells: z.array(z.string()),
  fitMs: z.number(),
  totalMs: z.number(),
  seed: z.number().int(),
})
export type NetworkTraining = z.output<typeof networkTrainingSchema>

/** What TrainApp reports about the fraud model it fitted (`fraud-training.json`), when the truth had fraud. */
export const fraudTrainingSchema = z.object({
  model: z.string(),
  detector: z.string(),
  algorithm: z.string(),
  numTrees: z.number().int(),
  maxDepth: z.number().int(),
  minProbability: z.number(),
  cooldownMs: z.number().int(),
  windowMs: z.number().int(),
  features: z.array(z.string()),
  classes: z.array(z.string()),
  classCounts: z.record(z.string(), z.number().int()),
  classWeights: z.record(z.string(), z.number()),
  rows: z.number().int(),
  subscribers: z.number().int(),
  fraudEntities: z.array(z.string()),
  fitMs: z.number(),
  totalMs: z.number(),
  seed: z.number().int(),
})
export type FraudTraining = z.output<typeof fraudTrainingSchema>

/** The fraud model's file in a model folder (absent when the training truth had no fraud). */
export const fraudTrainingFile = 'fraud-training.json'
/** What TrainApp reports about the outage forecaster it fitted (`forecast-training.json`). */
export const forecastTrainingSchema = z.object({
  model: z.string(),
  detector: z.string(),
  algorithm: z.string(),
  maxIter: z.number().int(),
  maxDepth: z.number().int(),
  threshold: z.number(),
  horizonPeriods: z.number().int(),
  granularitySec: z.number().int(),
  kinds: z.array(z.string()),
  features: z.array(z.string()),
  classes: z.array(z.string()),
  classCounts: z.record(z.string(), z.number().int()),
  rows: z.number().int(),
  leftOut: z.number().int(),
  fitMs: z.number(),
})
export type ForecastTraining = z.output<typeof forecastTrainingSchema>

/** The forecaster in the manifest; absent in folders trained before forecasting existed (the run forecasts nothing). */
export const forecastManifestSchema = z.strictObject({
  detector: z.string(),
  family: z.literal('anomaly'),
  algorithm: z.string(),
  max_iter: z.number().int(),
  max_depth: z.number().int(),
  /** "Ahead" above this probability: 0.5, raised until at most 1 in 1,000 training periods without an outage ahead is above it. */
  threshold: z.number(),
  /** Forecast horizon: an outage starting within this many PM periods after a period's end is "ahead". */
  horizon_periods: z.number().int(),
  /** horizon_periods × the training history's PM granularity. */
  horizon_s: z.number(),
  kinds: z.array(z.string()),
  features: z.array(z.string()),
  classes: z.array(z.string()),
  class_counts: z.record(z.string(), z.number().int()),
  rows: z.number().int(),
  /** PM periods inside an anomaly (or ending at its start), left out of the forecaster's training. */
  left_out: z.number().int(),
  fit_s: z.number(),
})
export type ForecastManifest = z.output<typeof forecastManifestSchema>

export const modelManifestSchema = z.strictObject({
  schema_version: z.literal(modelManifestVersion),
  /** The training scenario: its name, file and seed; a run refuses a scenario with the same seed. */
  scenario: z.string(),
  scenario_file: z.string(),
  seed: z.number().int(),
  trained_at: z.string(),
  /** Wall seconds of the whole `telcobench train` (generation, Spark start, features, fit, save). */
  training_wall_s: z.number(),
  /** Cells (ECGI) with an anomaly window in the training truth: the entities the models learned anomalies on. */
  anomaly_cells: z.array(z.string()),
  detectors: z.strictObject({
    network: z.strictObject({
      detector: z.string(),
      family: z.literal('anomaly'),
      algorithm: z.string(),
      num_trees: z.number().int(),
      max_depth: z.number().int(),
      consecutive_periods: z.number().int(),
      features: z.array(z.string()),
      classes: z.array(z.string()),
      class_counts: z.record(z.string(), z.number().int()),
      rows: z.number().int(),
      fit_s: z.number(),
    }),
    /** The fraud model (docs/ml.md "Fraud model"); absent when the training scenario had no fraud. */
    fraud: z
      .strictObject({
        detector: z.string(),
        family: z.literal('fraud'),
        algorithm: z.string(),
        num_trees: z.number().int(),
        max_depth: z.number().int(),
        min_probability: z.number(),
        features: z.array(z.string()),
        classes: z.array(z.string()),
        class_counts: z.record(z.string(), z.number().int()),
        class_weights: z.record(z.string(), z.number()),
        rows: z.number().int(),
        fit_s: z.number(),
        /** IMSIs and WANGIRI numbers (and their callers' IMSIs) the training truth names as fraudulent. */
        fraud_entities: z.array(z.string()),
      })
      .optional(),
    forecast: forecastManifestSchema.optional(),
  }),
})
export type ModelManifest = z.output<typeof modelManifestSchema>

/** A model folder as a run uses it: where it is and what it says. */
export interface ModelFolder {
  dir: string
  manifest: ModelManifest
}

/** Reads and checks a model folder written by `telcobench train`; a clear TB_USAGE error names what is wrong. */
export function readModelFolder(dir: string): ModelFolder {
  const abs = resolve(dir)
  const file = join(abs, modelManifestFile)
  const fix = `pass a folder written by \`telcobench train <scenario> --out ${dir}\``
  if (!existsSync(file)) throw new TelcobenchError('TB_USAGE', `${dir} is not a model folder: it has no ${modelManifestFile}`, { fix })
  let data: unknown
  try {
    data = JSON.parse(readFileSync(file, 'utf8')) as unknown
  } catch (error) {
    throw new TelcobenchError('TB_USAGE', `${file} is not JSON: ${(error as Error).message}`, { fix: `train again: telcobench train <scenario> --out ${dir}` })
  }
  const parsed = modelManifestSchema.safeParse(data)
  if (!parsed.success) {
    const first = parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
    throw new TelcobenchError('TB_USAGE', `${file} is not a model manifest this telcobench reads:\n  ${first.join('\n  ')}`, { fix: `train again with this telcobench: telcobench train <scenario> --out ${dir}` })
  }
  if (!existsSync(join(abs, 'network'))) throw new TelcobenchError('TB_USAGE', `${dir} has a manifest but no network/ model`, { fix })
  if (parsed.data.detectors.fraud !== undefined && !existsSync(join(abs, 'fraud'))) throw new TelcobenchError('TB_USAGE', `${dir} has a fraud model in its manifest but no fraud/ model`, { fix })
  if (parsed.data.detectors.forecast !== undefined && !existsSync(join(abs, 'forecast'))) throw new TelcobenchError('TB_USAGE', `${dir} has a forecaster in its manifest but no forecast/ model`, { fix })
  return { dir: abs, manifest: parsed.data }
}

/**
 * Refuses to score models on the scenario they were trained on (same seed: the same events and truth), so the
 * figures are always for data the models never saw (docs/ml.md "Train/eval split").
 */
export function checkTrainEvalSplit(model: ModelFolder, evaluation: { name: string; seed: number }): void {
  const m = model.manifest
  if (m.seed === evaluation.seed) {
    throw new TelcobenchError('TB_USAGE', `the models in ${model.dir} were trained on seed ${m.seed} (${m.scenario}), the seed of this run's scenario ${evaluation.name}: they would be scored on data they saw`, {
      fix: `run with another seed (--set seed=${m.seed + 1}) or train on another: telcobench train <scenario> --set seed=<n> --out <folder>`,
    })
  }
}
