import { z } from 'zod'
import { ratingSpecSchema } from '../rating/spec-schema.ts'
import { defaultDataProfile, defaultRatingSpec, defaultVoiceProfile } from './defaults.ts'
import { duration, lognormalDuration, rate, share, size } from './scalars.ts'
import { metricKeyPattern } from './thresholds.ts'

const hourlyProfile = (description: string, fallback: number[]) =>
  z.array(z.number().min(0)).length(24).default(fallback).meta({ description })

/** Where an entry sits on the scenario timeline: offsets from `startTime`, in simulated time. */
const timelineFields = {
  startTime: duration('Offset from the scenario start (simulated time).'),
  duration: duration('How long it lasts (simulated time).'),
}
const timelineFieldsOptionalDuration = {
  startTime: duration('Offset from the scenario start (simulated time).').prefault('0s'),
  duration: duration('How long it lasts (simulated time); defaults to the rest of the run.').optional(),
}

const populationSchema = z
  .strictObject({
    subscribers: z.int().min(1).max(50_000_000).meta({ description: 'Provisioned subscribers (assumption: 100k default scale).' }),
    prepaidShare: share('Share of consumer subscribers on prepaid (docs/telecom-model.md §5: 0.6).').default(0.6),
    postpaidShare: share('Share on postpaid (0.4); prepaid + postpaid = 1.').default(0.4),
    businessPbxShare: share('Business PBX/SIP trunks (0.02).').default(0.02),
    m2mShare: share('M2M SIMs: data-only, small periodic sessions (0.03).').default(0.03),
    inboundRoamerShare: share('Inbound roamers (0.01).').default(0.01),
    outboundRoamerShare: share('Outbound roamers (0.01).').default(0.01),
  })
  .meta({ description: 'Who is on the network (docs/telecom-model.md §1, §5).' })

const topologySchema = z
  .strictObject({
    sites: z.int().min(1).max(100_000).meta({ description: 'eNodeB sites.' }),
    sectorsPerSite: z.int().min(1).max(6).default(3),
    carriersPerSector: z.int().min(1).max(8).default(3).meta({ description: 'Carriers (bands) per sector; cells = sites × sectors × carriers.' }),
    firstEnbId: z.int().min(0).max(1_000_000).default(1000).meta({ description: 'eNB_ID of the first site; ECI = eNB_ID × 256 + cellId.' }),
  })
  .meta({ description: 'Sites → sectors → carriers; every cell gets an ECGI on PLMN 001/01.' })

const destinationMixSchema = z
  .strictObject({
    onnet: share('On-net share (0.60).').default(0.6),
    offnet: share('Off-net national share (0.30).').default(0.3),
    international: share('International share (0.05).').default(0.05),
    premium: share('Premium-rate share (0.01).').default(0.01),
    voicemail: share('Voicemail share (0.04).').default(0.04),
  })
  .prefault({})
  .meta({ description: 'Called-number mix; sums to 1 (docs/telecom-model.md §5.1).' })

const flashCrowdSchema = z.strictObject({
  ...timelineFields,
  cells: z.int().min(1).default(4).meta({ description: 'How many cells (of one area) the crowd lands on.' }),
  firstCell: z.int().min(0).default(0).meta({ description: 'Index of the first crowded cell.' }),
  multiplier: z.number().min(1).max(1000).default(20).meta({ description: 'Load on those cells relative to normal (×20–50).' }),
})

const trafficSchema = z
  .strictObject({
    voiceProfile: hourlyProfile('Share of daily voice and SMS per local hour 00..23; sums to 1.', defaultVoiceProfile),
    dataProfile: hourlyProfile('Share of daily data sessions per local hour; sums to 1.', defaultDataProfile),
    voice: z
      .strictObject({
        attemptsPerSubscriber: rate('MO call attempts per subscriber (5 answered/day at ASR 0.6 ≈ 8.3/day).').prefault('8.3/day'),
        answerRatio: share('ASR: answered / attempts (0.60).').default(0.6),
        dropRatio: share('Answered calls that end in abnormalRelease (0.005).').default(0.005),
        holdingTime: lognormalDuration('Lognormal holding time: median 60 s, σ 1.1, cap 3 h (§5.1).', '60s', 1.1, '3h'),
        partialInterval: duration('A partial record closes every this long (60 min).').prefault('60m'),
        destinations: destinationMixSchema,
      })
      .prefault({}),
    sms: z.strictObject({ perSubscriber: rate('MO SMS per subscriber (3/day).').prefault('3/day') }).prefault({}),
    data: z
      .strictObject({
        sessionsPerSubscriber: rate('Data sessions (bearers) per smartphone subscriber.').prefault('24/day'),
        sessionDuration: lognormalDuration('Lognormal bearer duration.', '3m', 1.2, '3h'),
        volumeLog10Mu: z.number().default(6.6).meta({ description: 'log10(bytes) mean per session: median 4 MB, mean ≈ 22 MB (≈ 500 MB/day).' }),
        volumeLog10Sigma: z.number().min(0).default(0.8),
        uplinkShare: share('Uplink share of volume (UL:DL ≈ 1:10).').default(0.09),
        partialInterval: duration('Time limit closing a partial record (3600 s).').prefault('60m'),
        partialVolume: size('Volume limit closing a partial record (50 MB).').prefault('50MB'),
        m2mSessionsPerSubscriber: rate('Sessions per M2M SIM.').prefault('24/day'),
        m2mVolumeBytes: z.int().min(0).default(20_000).meta({ description: 'Bytes per M2M session (≈ 15 MB/month).' }),
      })
      .prefault({}),
    pm: z
      .strictObject({ granularity: duration('PM granularity period (900 s).').prefault('15m') })
      .prefault({}),
    alarms: z
      .strictObject({
        perCell: rate('Background alarm raises per cell.').prefault('0.5/day'),
        clearAfter: lognormalDuration('Time until the matching clear.', '10m', 1.0, '6h'),
      })
      .prefault({}),
    flashCrowds: z.record(z.string(), flashCrowdSchema).default({}).meta({ description: 'Timeline events: extra load on a few cells.' }),
  })
  .prefault({})
  .meta({ description: 'Normal traffic (docs/telecom-model.md §5).' })

const fraudCommon = timelineFieldsOptionalDuration
const fraudSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('SIMBOX'),
    ...fraudCommon,
    share: share('Share of SIMs in boxes (0.05–0.2%; fastcdrgen 0.1%).').default(0.001),
    simsPerBox: z.int().min(1).max(256).default(16),
    callsPerSim: rate('MO calls per SIM (50–300/day).').prefault('150/day'),
    holdingTime: lognormalDuration('Call length (median 60–90 s).', '75s', 0.6, '30m'),
  }),
  z.strictObject({
    kind: z.literal('WANGIRI'),
    ...fraudCommon,
    aNumbers: z.int().min(1).default(5).meta({ description: 'Premium numbers the campaign rings from (3–20).' }),
    numberPrefix: z.string().regex(/^\d+$/, 'expected digits, e.g. "88213"').prefault('88213').meta({ description: 'Range of those numbers.' }),
    victimShare: share('Subscribers rung (1–5%).').default(0.02),
    callbackShare: share('Victims who call back (1–3%).').default(0.03),
    ringWindow: duration('Rings spread over this long (1–6 h).').prefault('2h'),
    callbackDelay: lognormalDuration('Ring → callback delay.', '20m', 1.0, '48h'),
  }),
  z.strictObject({
    kind: z.literal('IRSF'),
    ...fraudCommon,
    attacks: z.int().min(1).default(1).meta({ description: 'Compromised postpaid accounts.' }),
    testCalls: z.int().min(0).default(3).meta({ description: 'Short test calls first (1–5, < 30 s).' }),
    concurrentCalls: z.int().min(1).default(10).meta({ description: 'Channels pumping at once (10–30).' }),
    callLength: lognormalDuration('Pumping call length (3–20 min).', '8m', 0.5, '20m'),
    numberPrefix: z.string().regex(/^\d+$/, 'expected digits, e.g. "88213"').prefault('88213'),
  }),
  z.strictObject({
    kind: z.literal('PBX'),
    ...fraudCommon,
    attacks: z.int().min(1).default(1).meta({ description: 'Hacked business PBXs.' }),
    channels: z.int().min(1).default(8),
    callLength: lognormalDuration('Out-of-hours international call length.', '6m', 0.6, '30m'),
  }),
  z.strictObject({
    kind: z.literal('SUBSCRIPTION'),
    ...fraudCommon,
    share: share('New fraudulent accounts (0.2–0.5% of activations).').default(0.0005),
    usageMultiplier: z.number().min(1).default(30).meta({ description: 'Usage vs the peer median (10–50×), mostly international.' }),
  }),
  z.strictObject({
    kind: z.literal('SIMSWAP'),
    ...fraudCommon,
    swaps: z.int().min(1).default(1).meta({ description: 'Accounts taken over (1–5 per 100k per month).' }),
    followUpCalls: z.int().min(0).default(4).meta({ description: 'Calls to bank numbers within 30 min of the swap.' }),
  }),
])

const hardNegativesSchema = z
  .strictObject({
    callCentres: z
      .strictObject({
        count: z.int().min(0).default(0),
        agentsPerCentre: z.int().min(1).default(20),
        callsPerAgent: rate('Calls per agent during opening hours.').prefault('12/h'),
        openHour: z.int().min(0).max(23).default(9),
        closeHour: z.int().min(1).max(24).default(17),
      })
      .prefault({}),
    m2mFleets: z
      .strictObject({ count: z.int().min(0).default(0).meta({ description: 'Fleets sharing one TAC among the M2M SIMs.' }) })
      .prefault({}),
    heavyInternationalCallers: z
      .strictObject({
        share: share('Diaspora callers: many long international calls.').default(0),
        internationalShare: share('Their share of international calls.').default(0.6),
      })
      .prefault({}),
  })
  .prefault({})
  .meta({ description: 'Legitimate look-alikes labelled in the truth so false positives can be scored (§7.3).' })

const anomalySchema = z.strictObject({
  kind: z.enum(['SLEEPING_CELL', 'CONGESTION', 'KPI_DEGRADATION', 'ALARM_STORM']),
  ...timelineFields,
  cells: z.array(z.int().min(0)).min(1).meta({ description: 'Cell indices (0-based, in topology order).' }),
  severity: z.number().min(0).max(1).default(0.5).meta({ description: 'How strong: KPI drop fraction, congestion depth.' }),
  alarmsPerCell: z.int().min(1).default(20).meta({ description: 'ALARM_STORM only: raises per cell in the window.' }),
  precursor: duration('SLEEPING_CELL, CONGESTION, KPI_DEGRADATION only: warning signs (a rising abnormal-release share, minor alarms) growing over this long before startTime; leave it out for an anomaly without warning.').optional(),
})

const faultKinds = ['broker-kill', 'broker-pause', 'pipeline-crash', 'generator-restart', 'network-delay', 'network-loss', 'network-partition', 'leader-kill', 'controller-kill', 'rolling-restart', 'store-kill', 'executor-kill', 'worker-kill'] as const
const faultSchema = z.strictObject({
  kind: z.enum(faultKinds).meta({ description: 'Carried out by the harness, not by the generators.' }),
  ...timelineFields,
  target: z.string().min(1).optional().meta({ description: 'Which broker/process; the harness picks a default. leader-kill: `<topic>:<partition>` of the run (e.g. `cdr:0`, the default), whose leader is looked up when the fault fires. executor-kill, worker-kill: the Spark worker, `1` (the default) to `spark.workers`, whose executor or which worker is killed.' }),
  delay: duration('network-delay: latency added to every chunk, each direction (wall time, not compressed).').optional(),
  lossPercent: z.number().min(0).max(100).optional().meta({ description: 'network-loss: TCP segments lost, % (recovered by retransmission timeouts; docs/results.md "Faults").' }),
})

const latenessBucketSchema = z.strictObject({
  upTo: duration('Upper bound of this lateness bucket.'),
  share: share('Share of late records in this bucket.'),
})

const badInputSchema = z
  .strictObject({
    exactDuplicates: share('Exact re-sends, same id (0.1%).').default(0),
    resends: share('Mediation re-sends with a new id (0.01%).').default(0),
    duplicateDelay: duration('A copy follows its original within this long.').prefault('30s'),
    late: z
      .strictObject({
        share: share('Usage records that arrive late (eventTime far behind).').default(0),
        lateness: z
          .array(latenessBucketSchema)
          .min(1)
          .prefault([
            { upTo: '15m', share: 0.95 },
            { upTo: '4h', share: 0.045 },
            { upTo: '48h', share: 0.005 },
          ])
          .meta({ description: 'Lateness distribution: uniform within buckets; shares sum to 1 (§9).' }),
      })
      .prefault({}),
    outOfOrder: z
      .strictObject({
        share: share('Records reordered within a partition.').default(0),
        maxShift: duration('How far behind (≤ 60 s).').prefault('60s'),
      })
      .prefault({}),
    malformedJson: share('Truncated, unparsable values.').default(0),
    negativeDuration: share('callDuration/duration/volume < 0 → dlq negative_value.').default(0),
    unknownSubscriber: share('Valid IMSI the operator never provisioned (not a DLQ case).').default(0),
    badImsi: share('subscriber not 15 digits → dlq bad_imsi.').default(0),
    oversized: share('Values above 64 KiB → dlq oversized.').default(0),
  })
  .prefault({})
  .meta({ description: 'Delivery imperfections and invalid input (§9, contracts "What makes an input record invalid").' })

const triggerSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('processing-time'), interval: duration('Micro-batch interval.').prefault('0s') }),
  z.strictObject({ kind: z.literal('available-now') }),
  z.strictObject({
    kind: z.literal('real-time'),
    checkpointInterval: duration('Checkpoint interval of the real-time query (rating-rt).').prefault('5s'),
    interval: duration('Micro-batch interval of the queries beside it (billing, network, fraud).').prefault('0s'),
  }),
])

/** The Spark streaming queries a run can start (docs/spark-pipelines.md "Queries"). */
export const sparkQueries = ['rating', 'network', 'fraud'] as const
export type SparkQuery = (typeof sparkQueries)[number]

/** How the queries map onto Spark streaming queries (docs/spark-pipelines.md "Query layout"). */
export const queryLayouts = ['per-query', 'per-source', 'single'] as const
export type QueryLayout = (typeof queryLayouts)[number]

/** The stream processors a run can test (docs/flink-pipelines.md for Flink). */
export const engineKinds = ['spark', 'flink'] as const
export type EngineKind = (typeof engineKinds)[number]

const pipelineSchema = z
  .strictObject({
    engine: z
      .enum(engineKinds)
      .default('spark')
      .meta({ description: 'The stream processor under test: `spark` (Spark Structured Streaming) or `flink` (Apache Flink, an embedded cluster in one JVM; it ignores `trigger` and `warmUpBatches`, and checkpoints every second). Both run the same rating, billing and detector logic; the batch baseline is Spark\'s for both.' }),
    guarantee: z.enum(['at-least-once', 'exactly-once']).default('at-least-once'),
    trigger: triggerSchema.default({ kind: 'processing-time', interval: 0 }),
    partitions: z.int().min(1).max(1024).default(4),
    queries: z
      .array(z.enum(sparkQueries))
      .min(1)
      .default([...sparkQueries])
      .meta({ description: 'Spark queries to start: `rating` (rated, bills, cdr dlq; always needed: accounting, latency and billing are measured on its output), `network` (cell alerts), `fraud` (fraud alerts). Detection of a family whose query is off is reported as not run.' }),
    queryLayout: z
      .enum(queryLayouts)
      .default('per-query')
      .meta({ description: 'How `queries` map onto Spark streaming queries: `per-query` (one each), `per-source` (one per input: rating and fraud share the cdr query) or `single` (one query for all, one micro-batch and one stateful operator). Fewer queries plan, schedule and commit fewer micro-batches on the same cores (docs/spark-pipelines.md "Query layout"). Real-time mode and Flink keep one each.' }),
    dedupWatermark: duration('How long the job remembers ids to de-duplicate.').prefault('10m'),
    lateThreshold: duration('Records later than this are dropped as late (counted).').prefault('2h'),
    warmUpBatches: z
      .int()
      .min(0)
      .max(50)
      .default(6)
      .meta({ description: 'Synthetic micro-batches each Spark query runs (from memory, into no sink) before the load starts, so the load meets a warm JVM; 0 starts cold. A driver restarted after a crash always starts cold (docs/spark-pipelines.md "Warm-up").' }),
    kafkaOptions: z
      .record(z.string().min(1), z.string())
      .default({})
      .meta({ description: 'Kafka client settings for the engine, passed as `kafka.<key>` to every Spark Kafka source and sink (and to the Flink job\'s clients), e.g. { "fetch.max.wait.ms": "50", "linger.ms": "0" }; they win over telcobench\'s defaults (docs/spark-pipelines.md "Kafka client settings"). Security settings come from the runtime and cannot be set here.' }),
    sparkConf: z
      .record(z.string().min(1), z.string())
      .default({})
      .meta({ description: 'Spark settings for the streaming job and the batch baseline, e.g. { "spark.sql.streaming.stateStore.providerClass": "org.apache.spark.sql.execution.streaming.state.RocksDBStateStoreProvider" }; they win over telcobench\'s defaults (docs/spark-pipelines.md "Tuning"). Ignored by Flink.' }),
  })
  .prefault({})
  .meta({ description: 'Settings of the system under test, handed to the Spark job config.' })

/** The embedded Kafka cluster of the local runtime (docs/runtime.md "A replicated cluster"); also the replication of the run's topics on any runtime. */
const clusterSchema = z
  .strictObject({
    brokers: z.int().min(1).max(5).default(1).meta({ description: 'Kafka nodes the local runtime starts (each a combined broker+controller; 3 make a quorum that survives one loss). 1 is the light single broker.' }),
    replicationFactor: z.int().min(1).max(5).default(1).meta({ description: "Replication factor of the run's topics (and of Kafka's internal offsets and transaction topics on the embedded cluster); at most `brokers` on the local runtime." }),
    minInsyncReplicas: z.int().min(1).max(5).default(1).meta({ description: 'min.insync.replicas of the run\'s topics: with acks=all a write needs this many replicas in sync; at most replicationFactor.' }),
  })
  .prefault({})
  .meta({ description: 'The Kafka cluster shape: how many brokers, and how the run\'s topics are replicated.' })

/** Where the Spark streaming job runs on the local runtime (docs/spark-standalone.md). */
export const sparkModes = ['local', 'standalone'] as const
export type SparkMode = (typeof sparkModes)[number]

const sparkSchema = z
  .strictObject({
    mode: z
      .enum(sparkModes)
      .default('local')
      .meta({ description: '`local`: the driver runs the tasks itself in `local[N]` (one JVM, the light default). `standalone`: a Spark standalone master and `workers` workers start as child JVMs and the streaming driver runs against them in client mode, its tasks in one executor per worker (local runtime, Spark engine).' }),
    workers: z.int().min(1).max(4).default(2).meta({ description: 'standalone: Spark workers, each running one executor of the streaming job.' }),
    executorCores: z.int().min(1).max(4).default(1).meta({ description: 'standalone: cores each worker offers, and so task slots per executor.' }),
    jvmOptions: z
      .array(z.string().regex(/^-\S+$/, 'one JVM option per item, starting with "-" and without spaces'))
      .default([])
      .meta({ description: 'JVM options for the Spark streaming job: its driver (local or standalone) and executors, or `--driver-java-options` and `spark.executor.extraJavaOptions` through spark-submit. They come after telcobench\'s own flags, so they win; naming a collector (e.g. "-XX:+UseZGC") replaces the default G1. The batch baseline keeps the defaults (docs/spark-pipelines.md "JVM and garbage collector").' }),
  })
  .prefault({})
  .meta({ description: 'How the Spark streaming job is deployed: in one local JVM, or on a standalone cluster with executors that faults can kill.' })

/** What the embedded broker enforces (docs/security.md); off by default. */
const securitySchema = z
  .strictObject({
    tls: z.boolean().default(false).meta({ description: 'TLS on the client listener, with a certificate authority and broker certificate made for this run only.' }),
    sasl: z.enum(['none', 'scram-sha-512']).default('none').meta({ description: 'SASL/SCRAM-SHA-512 authentication over TLS (needs tls): every client gets its own user, created through the Admin API.' }),
    acls: z.boolean().default(false).meta({ description: "Kafka ACLs (needs sasl): the generator may only write the input topics, Spark read those and write the outputs, the harness's measuring consumer only read the outputs; an intruder check runs before the load." }),
  })
  .prefault({})
  .meta({ description: 'Security of the local runtime\'s broker: TLS, SASL/SCRAM and ACLs.' })
/** Serving stores the pipelines can write to (docs/serving.md). */
export const servingStores = ['none', 'cassandra'] as const
export type ServingStore = (typeof servingStores)[number]

const servingSchema = z
  .strictObject({
    store: z
      .enum(servingStores)
      .default('none')
      .meta({ description: 'The store the pipelines write rated usage, bills, alerts and cell KPIs to, and the harness reads back from (`served` latency, store-side billing): `cassandra` starts an Apache Cassandra 5 node in the local runtime (or uses --cassandra with the external runtime); `none` ends the pipelines at Kafka topics.' }),
  })
  .prefault({})
  .meta({ description: 'The serving side of the architecture: where billing and customer care read the results (docs/serving.md).' })

const measurementSchema = z
  .strictObject({
    warmup: duration('Wall-clock time at the start of the load whose events are left out of the latency figures and thresholds (JIT, first micro-batches); they still count in the accounting.').prefault('10s'),
  })
  .prefault({})
  .meta({ description: 'How the harness measures the run (docs/method.md §1.1, §1.6).' })

/** A k6 expression; its grammar is checked by the threshold rule (thresholds.ts), the one place that knows it. */
const thresholdExpression = z.string().min(1).meta({ description: 'k6 threshold expression: aggregation operator number, e.g. "p(99)<2000", "count==0".' })
const thresholdSchema = z.union([
  thresholdExpression,
  z.strictObject({
    threshold: thresholdExpression,
    abortOnFail: z.boolean().default(false).meta({ description: 'Latency metrics only: check the threshold every second of the load and stop the run when it fails (exit 4).' }),
    delayAbortEval: duration('With abortOnFail: wall-clock time after the load starts before the threshold is first checked (never before the warm-up ends).').optional(),
    window: duration('Latency metrics only: the threshold must hold over every full window of this length (wall clock, whole seconds, at least 1s) of the load after the warm-up, each window read from its merged per-second histograms; the worst window is reported.').optional(),
  }),
])

/** The most generator worker threads a run may start (each needs a core to be worth it). */
export const MAX_GENERATOR_WORKERS = 16

/** The highest timeCompression a scenario may give or load.rate may derive. */
export const MAX_TIME_COMPRESSION = 1_000_000

/** Record-batch compressions the harness's producers offer (docs/capacity.md "The planner's knobs"). */
export const producerCompressions = ['none', 'gzip'] as const

/** How the harness's generator producers write the input topics: the ingestion settings a capacity planner varies. */
const producerSchema = z
  .strictObject({
    acks: z
      .union([z.literal('all'), z.literal(1)])
      .default('all')
      .meta({ description: '`all`: a write is acknowledged once every in-sync replica has it, by an idempotent producer; `1`: once the partition leader has it (not idempotent: a retried send may duplicate). acks 0 is not offered: the run\'s accounting starts from what the broker acknowledged.' }),
    lingerMs: z.int().min(0).max(1000).default(5).meta({ description: 'How long a producer waits to merge concurrent sends into one produce request (linger.ms).' }),
    compression: z.enum(producerCompressions).default('none').meta({ description: 'Compression of each produce request\'s record batch (compression.type).' }),
  })
  .prefault({})
  .meta({ description: 'The generator producers\' acks, linger and compression.' })

const loadSchema = z
  .strictObject({
    rate: rate('Target offered rate, every record of every topic per wall second (e.g. "5000/s"). Replaces timeCompression: it is derived so that the mean offered rate over the run is this rate; giving both is an error.').optional(),
    generatorWorkers: z
      .int()
      .min(1)
      .max(MAX_GENERATOR_WORKERS)
      .default(1)
      .meta({ description: `Worker threads that generate, encode and produce the load, each its own shard of the stream on the run's one clock (1: the harness thread itself). The stream and its truth are the same whatever the number (docs/method.md "Load that scales out").` }),
    remoteGenerators: z
      .int()
      .min(0)
      .max(MAX_GENERATOR_WORKERS)
      .default(0)
      .meta({ description: 'Generator agents on other hosts (`telcobench produce --join <bootstrap> --agent i/n`) that produce shards of the stream beside the run\'s own workers, on the run\'s clock (docs/capacity.md "Generators on several hosts"). 0: the run produces everything itself.' }),
    producer: producerSchema,
    hotPartitionShare: z
      .number()
      .min(0)
      .max(1)
      .default(0)
      .meta({ description: 'Skew: this share of subscribers (picked by a hash of the IMSI) send all their usage records with one Kafka key, so they land on one partition of cdr; 0 spreads every subscriber by its own key (docs/capacity.md "Skew").' }),
  })
  .prefault({})
  .meta({ description: 'How the load is offered: its pace stated as a rate (for capacity planning) instead of a timeCompression, the generator workers, their producers and partition skew.' })

/** The scenario file schema (version 1): the single source of truth for types and the JSON Schema. */
export const scenarioSchema = z
  .strictObject({
    version: z.literal(1).meta({ description: 'Scenario format version.' }),
    name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'expected a kebab-case name').meta({ description: 'Scenario name.' }),
    description: z.string().optional(),
    seed: z.int().min(0).max(4_294_967_295).meta({ description: 'Same scenario + seed → byte-identical events and truth.' }),
    startTime: z.iso.datetime({ offset: true }).prefault('2026-01-05T00:00:00Z').meta({ description: 'Simulated wall-clock time at run start (ISO 8601).' }),
    duration: duration('Simulated length of the run.'),
    timeCompression: z.number().positive().max(MAX_TIME_COMPRESSION).default(1).meta({ description: 'Simulated seconds per wall second. Leave it out when load.rate sets the pace.' }),
    load: loadSchema,
    population: populationSchema,
    topology: topologySchema,
    ratingSpec: ratingSpecSchema.prefault(defaultRatingSpec),
    traffic: trafficSchema,
    fraud: z.record(z.string(), fraudSchema).default({}).meta({ description: 'Fraud patterns, keyed by name; `kind` picks the pattern (§7).' }),
    hardNegatives: hardNegativesSchema,
    anomalies: z.record(z.string(), anomalySchema).default({}).meta({ description: 'Network anomalies keyed by name (§8).' }),
    faults: z.record(z.string(), faultSchema).default({}).meta({ description: 'Infrastructure faults the harness injects, keyed by name.' }),
    badInput: badInputSchema,
    pipeline: pipelineSchema,
    cluster: clusterSchema,
    spark: sparkSchema,
    security: securitySchema,
    serving: servingSchema,
    measurement: measurementSchema,
    thresholds: z
      .record(z.string().regex(metricKeyPattern, 'expected a snake_case metric name, optionally with one {tag:value}'), z.array(thresholdSchema).min(1))
      .default({})
      .meta({ description: 'metric → k6 expressions, e.g. pipeline_e2e_latency_ms: ["p(99)<2000"].' }),
  })
  .meta({ title: 'telcobench scenario', description: 'A telecom network, its traffic, fraud, faults and bad input on one timeline.' })

/** The parsed scenario: every default applied, every human scalar converted (durations in ms, rates per second). */
export type ScenarioConfig = z.output<typeof scenarioSchema>
/** What a scenario file may contain (before defaults). */
export type ScenarioInput = z.input<typeof scenarioSchema>
/** One fraud pattern entry. */
export type FraudConfig = ScenarioConfig['fraud'][string]
/** One anomaly entry. */
export type AnomalyConfig = ScenarioConfig['anomalies'][string]
/** One fault entry. */
export type FaultConfig = ScenarioConfig['faults'][string]
/** The kinds of infrastructure fault the harness carries out. */
export type FaultKind = (typeof faultKinds)[number]
