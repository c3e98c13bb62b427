import { readFileSync } from 'node:fs'
import { createEventStream, type EngineKind, encodeValue, formatIssue, invoiceFromSum, validateScenarioText, type ResolvedScenario, type ScheduledEvent, type TruthSink } from '../../generators/index.ts'
import { TelcobenchError } from '../errors.ts'
import { checkTrainEvalSplit, type ModelFolder } from '../ml/model-folder.ts'
import type { Guarantee, RunPlan } from './plan.ts'

/** A validated scenario turned into what `run` needs: the plan, the event stream and the money rules. */
export interface LoadedScenario {
  plan: RunPlan
  resolved: ResolvedScenario
  events: (truth: TruthSink) => Iterable<ScheduledEvent>
  encode: (event: ScheduledEvent, runStartNs: bigint) => string
  /** Sub-units → net minor units, as the invoice rounds them. */
  toMinor: (subunits: number) => number
  /** The file and `--set` values it was loaded from: generator agents on other hosts load the same. */
  source: { file: string; text: string; overrides: string[] }
}

export interface LoadOptions {
  overrides: string[]
  guarantee?: Guarantee
  engine?: EngineKind
  batch?: boolean
  /** `--generator-workers`: overrides the scenario's `load.generatorWorkers`. */
  generatorWorkers?: number
  /** `--model`: a model folder, checked against the scenario (training seed ≠ this seed). */
  models?: ModelFolder
}

/** Checks a scenario exactly as `telcobench validate` does (same function, same `--set`) and builds the run plan; throws before any JVM starts. */
export function loadScenario(path: string, o: LoadOptions): LoadedScenario {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    throw new TelcobenchError('TB_USAGE', `cannot read the scenario file ${path}`, { cause: error, fix: 'check the path; shipped scenarios are in scenarios/' })
  }
  const result = validateScenarioText(text, path, { overrides: o.overrides })
  if (!result.ok) {
    throw new TelcobenchError('TB_SCENARIO_INVALID', `the scenario is invalid:\n${result.errors.map(formatIssue).join('\n')}`, { fix: `run \`telcobench validate ${path}\` and fix each line above` })
  }
  const s = result.scenario
  const thresholds = Object.fromEntries(Object.entries(s.thresholds).map(([metric, list]) => [metric, list.map((t) => ({ expr: t.threshold, windowS: t.windowMs === undefined ? null : t.windowMs / 1000, abortOnFail: t.abortOnFail, delayAbortEvalS: (t.delayAbortEvalMs ?? 0) / 1000 }))]))
  const plan: RunPlan = {
    name: s.name,
    seed: s.seed,
    durationS: s.wallDurationS,
    warmupS: Math.min(s.measurement.warmup / 1000, s.wallDurationS / 2),
    timeCompression: s.timeCompression,
    offeredEps: s.load.meanEventsPerWallSecond,
    targetEps: s.load.targetEventsPerWallSecond,
    partitions: s.pipeline.partitions,
    engine: o.engine ?? s.pipeline.engine,
    cluster: { ...s.cluster },
    spark: { ...s.spark },
    security: { tls: s.security.tls, sasl: s.security.sasl === 'none' ? null : s.security.sasl, acls: s.security.acls },
    guarantee: o.guarantee ?? s.pipeline.guarantee,
    trigger: s.pipeline.trigger,
    queries: s.pipeline.queries,
    queryLayout: s.pipeline.queryLayout,
    batchBaseline: o.batch ?? true,
    faults: s.faults.map((f) => ({ name: f.name, kind: f.kind, atS: f.atWallS, durationS: f.durationWallS, ...(f.delayMs !== undefined ? { delayMs: f.delayMs } : {}), ...(f.lossPercent !== undefined ? { lossPercent: f.lossPercent } : {}), ...(f.kind === 'leader-kill' ? { partitionOf: leaderTarget(f.target) } : {}), ...(f.kind === 'executor-kill' || f.kind === 'worker-kill' ? { worker: Number(f.target ?? 1) } : {}) })),
    thresholds,
    ratingSpec: s.ratingSpec,
    detectors: {},
    dedupWatermarkMs: s.pipeline.dedupWatermarkMs,
    lateThresholdMs: s.pipeline.lateThresholdMs,
    engineWarmUpBatches: s.pipeline.warmUpBatches,
    kafkaOptions: s.pipeline.kafkaOptions,
    sparkConf: s.pipeline.sparkConf,
    generatorWorkers: o.generatorWorkers ?? s.load.generatorWorkers,
    remoteGenerators: s.load.remoteGenerators,
    store: s.serving.store,
    models: o.models ?? null,
  }
  if (plan.models !== null) {
    checkTrainEvalSplit(plan.models, plan)
    if (plan.engine !== 'spark') throw new TelcobenchError('TB_USAGE', `--model needs the Spark engine (this run uses ${plan.engine}): the learned detectors are MLlib models`, { fix: 'drop --model, or run with --engine spark' })
    if (!plan.queries.includes('network')) throw new TelcobenchError('TB_USAGE', "--model scores PM counters in the network query, which this scenario's pipeline.queries leaves out", { fix: 'add network to pipeline.queries, or drop --model' })
  }
  return {
    plan,
    resolved: s,
    events: (truth) => createEventStream(s, { truth }),
    encode: encodeValue,
    toMinor: (subunits) => invoiceFromSum(s.ratingSpec, subunits).netMinor,
    source: { file: path, text, overrides: [...o.overrides] },
  }
}

/** `cdr:0` → topic suffix and partition (the validator has checked the form); the default target is `cdr:0`. */
function leaderTarget(target: string | undefined): { topic: string; partition: number } {
  const [topic, partition] = (target ?? 'cdr:0').split(':')
  return { topic: topic ?? 'cdr', partition: Number(partition ?? 0) }
}
