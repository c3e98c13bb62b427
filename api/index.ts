/**
 * telcobench's programmatic API: `import { runScenario, validateScenario, generate, readRun, compareRuns, findCapacity, reproduceSuite, trainModels } from 'telcobench'`
 * (docs/api.md). Each function is the one the CLI verb calls (`run`, `validate`, `generate`; `report` reads runs
 * with readRun; `compare` calls compareRuns), so a script and the command line get the same checks, files and errors.
 *
 * Importing this module loads only the scenario language: `run`, `generate` and `readRun` load the harness and the
 * event generators on their first call (as the CLI loads a verb's module when that verb runs), since loading all of
 * it up front took about 2 s and `validateScenario` needs none of it.
 */
import type { GenerateOptions, GenerateResult } from '../generators/index.ts'
import type { CapacityOptions, CapacityOutcome } from '../harness/capacity/index.ts'
import type { Comparison } from '../harness/compare/index.ts'
import type { RunFolder } from '../harness/results/index.ts'
import type { RunOptions, RunOutcome } from '../harness/run/index.ts'
import type { SuiteOptions, SuiteOutcome, SuiteValidation } from '../harness/reproduce/index.ts'
import type { TrainOptions, TrainOutcome } from '../harness/ml/index.ts'

/**
 * Runs a scenario end to end on the runtime `options.runtime` names (`'local'`: the embedded Kafka + Spark) and
 * writes `results/<run-id>/` (results.json, manifest.json, timeline.json, histograms, truth, logs). Rejects with a
 * TelcobenchError for an invalid scenario (`TB_SCENARIO_INVALID`) or a failed environment (`TB_INFRA_UNAVAILABLE`); a
 * run whose thresholds fail resolves, with `results.state` saying so. Abort it with `options.signal`.
 */
export async function runScenario(options: RunOptions): Promise<RunOutcome> {
  const harness = await import('../harness/run/index.ts')
  return harness.runScenario(options)
}

/**
 * Writes a scenario's records (`events.jsonl`) and ground truth (`truth/*.jsonl`) to `options.outDir`, without Kafka:
 * `telcobench generate`. Rejects with GenerateInputError (its `issues` are the formatted problems) for an invalid
 * scenario or shard.
 */
export async function generate(scenarioPath: string, options: GenerateOptions): Promise<GenerateResult> {
  const generators = await import('../generators/index.ts')
  return generators.generateToFiles(scenarioPath, options)
}

/**
 * Reads a finished run folder: results.json, manifest.json and timeline.json, typed and validated against their
 * schemas. Rejects with a TelcobenchError when a file is missing, invalid, or from another schema version.
 */
export async function readRun(runDir: string): Promise<RunFolder> {
  const results = await import('../harness/results/index.ts')
  return results.readRun(runDir)
}

/** What compareRuns may be told; every field has the CLI's default. */
export interface CompareRunsOptions {
  /** Gate rules in the `--fail-on` grammar, e.g. `'rated.p99 +10%'`. */
  failOn?: string[]
  /** Compare runs whose settings differ (each output then carries a warning). @default false */
  allowMismatch?: boolean
  /** @default 0.95 */
  confidence?: number
  /** Bootstrap resamples for one run a side. @default 2000 */
  resamples?: number
  /** Seed of the bootstrap. @default 1 */
  seed?: number
  /** Bootstrap block length in seconds. @default chosen from the data */
  blockLength?: number
}

/**
 * Compares candidate runs with baseline runs metric by metric (`telcobench compare`): each side a list of run
 * folders or set folders. Resolves with the comparison: `state` is `'not-comparable'` (with `differences`) when the
 * runs' settings differ, otherwise `regressions` names what got worse beyond the gate rules. A bad rule rejects
 * with a TelcobenchError (`TB_USAGE`).
 */
export async function compareRuns(baseline: string[], candidate: string[], options: CompareRunsOptions = {}): Promise<Comparison> {
  const compare = await import('../harness/compare/index.ts')
  return compare.compareSides(compare.readSide('baseline', baseline), compare.readSide('candidate', candidate), {
    rules: (options.failOn ?? []).map(compare.parseGateRule),
    allowMismatch: options.allowMismatch ?? false,
    confidence: options.confidence ?? compare.defaultConfidence,
    resamples: options.resamples ?? compare.defaultResamples,
    seed: options.seed ?? compare.defaultSeed,
    ...(options.blockLength !== undefined ? { blockLength: options.blockLength } : {}),
  })
}

/**
 * Searches the highest rate each configuration of a grid holds at latency SLOs (`telcobench capacity`, docs/capacity.md)
 * and writes the capacity folder (capacity.json and one run folder per run). Rejects with a TelcobenchError
 * (`TB_USAGE`) for a bad SLO, knob or number before any run starts; abort it with `options.run.signal`.
 */
export async function findCapacity(options: CapacityOptions): Promise<CapacityOutcome> {
  const capacity = await import('../harness/capacity/index.ts')
  return capacity.runCapacity(options)
}

/**
 * Runs an evaluation suite at one size (`telcobench reproduce`, docs/reproducing-the-paper.md): every experiment in
 * the suite folder, evaluation.json with the figures and a verdict per research question, the suite file and the
 * provenance. Rejects with a TelcobenchError (`TB_SCENARIO_INVALID`) for a broken suite file before anything starts;
 * abort it with `options.run.signal`.
 */
export async function reproduceSuite(options: SuiteOptions): Promise<SuiteOutcome> {
  const reproduce = await import('../harness/reproduce/index.ts')
  return reproduce.runSuite(options)
}

/** Validates a suite file as `telcobench reproduce` does before it starts: the suite and its experiments at both sizes, or every issue. */
export async function validateSuite(path: string): Promise<SuiteValidation> {
  const reproduce = await import('../harness/reproduce/index.ts')
  return reproduce.validateSuiteFile(path)
}

/**
 * Fits the learned detectors on a training scenario's generated history with Spark MLlib and writes the model folder
 * `options.outDir` (manifest.json, the saved MLlib pipeline, the labelled history): `telcobench train` (docs/ml.md).
 * Pass the folder to runScenario as `modelDir` on a scenario of another seed.
 */
export async function trainModels(options: TrainOptions): Promise<TrainOutcome> {
  const ml = await import('../harness/ml/index.ts')
  return ml.trainModels(options)
}

export {
  validateScenarioFile as validateScenario,
  validateScenarioText,
  formatIssue,
  GenerateInputError,
  type ValidateOptions,
  type ValidationResult,
  type Issue,
  type ResolvedScenario,
} from '../generators/scenario/index.ts'
export { TelcobenchError, ExitCode, exitCodeFor, type ErrorCode, type ExitCodeValue } from '../harness/errors.ts'
export type { RunOptions, RunOutcome } from '../harness/run/index.ts'
export type { RuntimeKind } from '../harness/runtime/index.ts'
export type { RunFolder, Results, Manifest, Timeline, RunState, LatencySummary } from '../harness/results/index.ts'
export type { GenerateOptions, GenerateResult, Shard } from '../generators/index.ts'
export type { Comparison, MetricComparison, Verdict } from '../harness/compare/index.ts'
export type { CapacityOptions, CapacityOutcome } from '../harness/capacity/index.ts'
export type { CapacityFile, EvaluationFile } from '../harness/results/index.ts'
export type { SuiteOptions, SuiteOutcome, SuiteValidation } from '../harness/reproduce/index.ts'
export type { TrainOptions, TrainOutcome, ModelManifest } from '../harness/ml/index.ts'
