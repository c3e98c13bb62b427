import type { RatingSpec } from '../rating/spec-schema.ts'
import { cellCount, estimateLoad, type LoadEstimate } from './load.ts'
import type { EngineKind, FaultKind, QueryLayout, ScenarioConfig, SparkQuery } from './schema.ts'

/** A fault on the harness's wall-clock timeline. */
export interface ResolvedFault {
  name: string
  kind: FaultKind
  target: string | undefined
  /** network-delay: added latency in ms. */
  delayMs: number | undefined
  /** network-loss: percent of packets dropped. */
  lossPercent: number | undefined
  /** Simulated offset from run start, ms. */
  startMs: number
  /** Simulated length, ms. */
  durationMs: number
  /** When the harness injects it: wall seconds after run start (startMs / timeCompression). */
  atWallS: number
  /** How long it lasts in wall seconds. */
  durationWallS: number
}

/** The trigger as the Spark job config spells it. */
export type JobTrigger =
  | { kind: 'processing-time'; intervalMs: number }
  | { kind: 'available-now' }
  | { kind: 'real-time'; checkpointIntervalMs: number; intervalMs: number }

/** The pipeline settings in job-config units (docs/contracts.md "Job config"). */
export interface ResolvedPipeline {
  engine: EngineKind
  guarantee: 'at-least-once' | 'exactly-once'
  trigger: JobTrigger
  partitions: number
  queries: SparkQuery[]
  queryLayout: QueryLayout
  dedupWatermarkMs: number
  lateThresholdMs: number
  /** Synthetic micro-batches per query before the load (0: cold start). */
  warmUpBatches: number
  /** Kafka client settings for the engine's sources and sinks (merged into job config `kafkaOptions`). */
  kafkaOptions: Record<string, string>
  /** Spark settings that win over the job's defaults (job config `sparkConf`). */
  sparkConf: Record<string, string>
}

/** A threshold in k6 form, normalised to the object shape. */
export interface ResolvedThreshold {
  threshold: string
  abortOnFail: boolean
  delayAbortEvalMs: number | undefined
  /** Evaluate over every full window of this many wall ms of the load after the warm-up (latency metrics only). */
  windowMs: number | undefined
}

/**
 * A validated scenario with every default applied and every time also given on the wall clock.
 * Durations are ms, rates are per simulated second, times are offsets from `startTimeMs` unless named otherwise.
 */
export interface ResolvedScenario extends Omit<ScenarioConfig, 'faults' | 'pipeline' | 'thresholds' | 'ratingSpec' | 'load'> {
  /** The file it came from (or the name given to validateScenarioText). */
  file: string
  /** Simulated epoch ms of run start; `eventTime`s are near this. */
  startTimeMs: number
  /** Simulated run length, ms (same as `duration`). */
  durationMs: number
  /** Wall-clock run length in seconds: duration / timeCompression. */
  wallDurationS: number
  /** Cells in the topology. */
  cells: number
  faults: ResolvedFault[]
  pipeline: ResolvedPipeline
  thresholds: Record<string, ResolvedThreshold[]>
  ratingSpec: RatingSpec
  /** The records the run sends and the rate it offers (with `load.rate` of the file as `targetEventsPerWallSecond`), and the generator worker threads that produce it. */
  load: LoadEstimate & Pick<ScenarioConfig['load'], 'generatorWorkers' | 'remoteGenerators' | 'producer' | 'hotPartitionShare'>
}

/** Adds the derived fields the harness needs to a parsed scenario (whose timeCompression `load.rate` has already set, see target-rate.ts). */
export function resolveScenario(config: ScenarioConfig, file: string): ResolvedScenario {
  const c = config.timeCompression
  const faults: ResolvedFault[] = Object.entries(config.faults)
    .map(([name, f]) => ({
      name,
      kind: f.kind,
      target: f.target,
      delayMs: f.delay,
      lossPercent: f.lossPercent,
      startMs: f.startTime,
      durationMs: f.duration,
      atWallS: f.startTime / 1000 / c,
      durationWallS: f.duration / 1000 / c,
    }))
    .sort((a, b) => a.startMs - b.startMs || a.name.localeCompare(b.name))
  const p = config.pipeline
  const trigger: JobTrigger =
    p.trigger.kind === 'processing-time'
      ? { kind: 'processing-time', intervalMs: p.trigger.interval }
      : p.trigger.kind === 'real-time'
        ? { kind: 'real-time', checkpointIntervalMs: p.trigger.checkpointInterval, intervalMs: p.trigger.interval }
        : { kind: 'available-now' }
  const thresholds = Object.fromEntries(
    Object.entries(config.thresholds).map(([metric, list]) => [
      metric,
      list.map((t) =>
        typeof t === 'string'
          ? { threshold: t.trim(), abortOnFail: false, delayAbortEvalMs: undefined, windowMs: undefined }
          : { threshold: t.threshold.trim(), abortOnFail: t.abortOnFail, delayAbortEvalMs: t.delayAbortEval, windowMs: t.window },
      ),
    ]),
  )
  return {
    ...config,
    file,
    startTimeMs: Date.parse(config.startTime),
    durationMs: config.duration,
    wallDurationS: config.duration / 1000 / c,
    cells: cellCount(config),
    faults,
    pipeline: {
      engine: p.engine,
      guarantee: p.guarantee,
      trigger,
      partitions: p.partitions,
      queries: p.queries,
      queryLayout: p.queryLayout,
      dedupWatermarkMs: p.dedupWatermark,
      lateThresholdMs: p.lateThreshold,
      warmUpBatches: p.warmUpBatches,
      kafkaOptions: p.kafkaOptions,
      sparkConf: p.sparkConf,
    },
    thresholds,
    load: { ...estimateLoad(config), generatorWorkers: config.load.generatorWorkers, remoteGenerators: config.load.remoteGenerators, producer: config.load.producer, hotPartitionShare: config.load.hotPartitionShare },
  }
}
