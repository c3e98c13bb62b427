import type { EngineKind, QueryLayout, SparkQuery } from '../../generators/index.ts'
import type { ModelFolder } from '../ml/model-folder.ts'

/** A fault the harness carries out on the timeline. */
export interface PlannedFault {
  name: string
  kind: 'broker-kill' | 'broker-pause' | 'pipeline-crash' | 'generator-restart' | 'network-delay' | 'network-loss' | 'network-partition' | 'leader-kill' | 'controller-kill' | 'rolling-restart' | 'store-kill' | 'executor-kill' | 'worker-kill'
  /** Seconds after run start (wall clock). */
  atS: number
  /** How long the fault lasts (pause length, time before restart), wall seconds. */
  durationS: number
  /** network-delay: latency added per chunk and direction, wall ms (a network quantity: not time-compressed). */
  delayMs?: number
  /** network-loss: TCP segments lost, %. */
  lossPercent?: number
  /** leader-kill: the run topic (suffix) and partition whose leader is killed. */
  partitionOf?: { topic: string; partition: number }
  /** executor-kill, worker-kill: the Spark worker (1…N) whose executor, or which worker, is killed. */
  worker?: number
}

/** What the embedded broker enforces (scenario `security`). */
export interface SecurityPlan {
  tls: boolean
  sasl: 'scram-sha-512' | null
  acls: boolean
}

/** The Kafka cluster shape (scenario `cluster`). */
export interface ClusterPlan {
  brokers: number
  replicationFactor: number
  minInsyncReplicas: number
}

/** Where the Spark streaming job runs (scenario `spark`). */
export interface SparkPlan {
  mode: 'local' | 'standalone'
  workers: number
  executorCores: number
  /** JVM options of the streaming job's driver and executors (scenario `spark.jvmOptions`); [] keeps telcobench's flags. */
  jvmOptions: string[]
}

/** One threshold expression of the scenario; a windowed one must hold in every full window of `windowS` seconds. */
export interface PlannedThreshold {
  expr: string
  /** Null: once over the whole run after the warm-up. */
  windowS: number | null
  /** Checked every second of the load too; a failure stops the load (exit 4). */
  abortOnFail: boolean
  /** abortOnFail: wall seconds after load start before the first check. */
  delayAbortEvalS: number
}

export type Guarantee = 'at-least-once' | 'exactly-once'

export type TriggerSetting = { kind: 'processing-time'; intervalMs: number } | { kind: 'available-now' } | { kind: 'real-time'; checkpointIntervalMs: number; intervalMs: number }

/** What the harness needs from a validated scenario, with CLI overrides applied. */
export interface RunPlan {
  name: string
  seed: number
  /** Wall seconds of load. */
  durationS: number
  /** Wall seconds at the start whose events are left out of the latency figures (still accounted). */
  warmupS: number
  timeCompression: number
  /** The scenario's estimate of the records per wall second the run offers, all topics (results: `throughput.estimated_eps`). */
  offeredEps: number
  /** The rate the scenario asked for with `load.rate` (timeCompression derived from it), or null. */
  targetEps: number | null
  partitions: number
  /** The stream processor under test (scenario `pipeline.engine`, `--engine`). */
  engine: EngineKind
  cluster: ClusterPlan
  spark: SparkPlan
  security: SecurityPlan
  guarantee: Guarantee
  trigger: TriggerSetting
  /** Spark queries the run starts (always `rating`); alert families of the others are not scored. */
  queries: SparkQuery[]
  /** How the queries map onto Spark streaming queries (job config `queryLayout`). */
  queryLayout: QueryLayout
  batchBaseline: boolean
  faults: PlannedFault[]
  thresholds: Record<string, PlannedThreshold[]>
  ratingSpec: unknown
  detectors: Record<string, unknown>
  dedupWatermarkMs: number
  lateThresholdMs: number
  /** The serving store the pipelines write to (docs/serving.md); 'none' ends them at Kafka. */
  store: 'none' | 'cassandra'
  /** Synthetic micro-batches per query the engine runs before the load (job config `warmUpBatches`). */
  engineWarmUpBatches: number
  /** Kafka client settings for the engine's sources and sinks (scenario `pipeline.kafkaOptions`). */
  kafkaOptions: Record<string, string>
  /** Spark settings that win over the job's defaults (scenario `pipeline.sparkConf`). */
  sparkConf: Record<string, string>
  /** Worker threads that produce the load (scenario `load.generatorWorkers`, `--generator-workers`); 1: the harness thread. */
  generatorWorkers: number
  /** Generator agents on other hosts that produce shards beside the run's own (scenario `load.remoteGenerators`). */
  remoteGenerators: number
  /** The learned detectors scored beside the rules (`run --model`, docs/ml.md), or null. */
  models: ModelFolder | null
}
