import { z } from 'zod'

/**
 * The run folder's files as zod schemas: the single source of the Results, Manifest and Timeline types, of the
 * committed JSON Schemas beside this file, and of the checks readRun makes. Every key is described in
 * docs/results.md. Bump the version of a file whenever one of its keys changes meaning or shape.
 */
export const resultsSchemaVersion = 9
export const manifestSchemaVersion = 5
export const timelineSchemaVersion = 3
export const setSchemaVersion = 1

const count = z.number().int().nonnegative()
const ratio = z.number()
const nullableNumber = z.number().nullable()

/** Which telcobench wrote a file. */
export const producerSchema = z.strictObject({ version: z.string(), git_sha: z.string(), dirty: z.boolean() })

/** Percentiles of one latency stream, milliseconds from intended send time; null when the stream had no values. */
export const latencySummarySchema = z
  .strictObject({ unit: z.literal('ms'), count: count, p50: z.number(), p90: z.number(), p95: z.number(), p99: z.number(), p999: z.number(), max: z.number() })
  .nullable()

export const accountingSchema = z.strictObject({
  generated: count,
  rated_once: count,
  dlq: count,
  late_dropped: count,
  lost: count,
  duplicated: count,
  unprocessed: count,
  duplicate_copies: count,
  unexpected: count,
})

export const billingSchema = z.strictObject({
  exact_match_ratio: ratio,
  bill_exact_match_ratio: ratio,
  bill_records_exact_match_ratio: ratio.nullable(),
  expected_minor: z.number().int(),
  billed_minor: z.number().int(),
  leakage_ratio: ratio,
  overbilling_ratio: ratio,
  billing_error_ratio: ratio,
  subscribers: count,
  subscriber_abs_error_minor: z.strictObject({ p50: nullableNumber, p90: nullableNumber, p99: nullableNumber, max: nullableNumber }),
})

/** The store's bills at the end against the truth and the bills topic, and its rated rows against the rated topic (docs/serving.md). */
export const storeBillingSchema = z.strictObject({
  subscribers: count,
  bill_exact_match_ratio: ratio,
  expected_minor: z.number().int(),
  billed_minor: z.number().int(),
  leakage_ratio: ratio,
  overbilling_ratio: ratio,
  billing_error_ratio: ratio,
  bills_topic: z.strictObject({ subscribers: count, agree: count, differ: count, store_only: count }),
  rated_rows: z.strictObject({ in_store: count, rated_on_topic: count, missing_from_store: count, not_on_topic: count }),
})

/** The serving store of the run: where it was, what it held at the end, and what the `served` sampling cost. */
export const servingSchema = z.strictObject({
  store: z.literal('cassandra'),
  contact_point: z.string(),
  keyspace: z.string(),
  billing: storeBillingSchema.nullable(),
  /** Why the store could not be read at the end, or null. */
  read_error: z.string().nullable(),
  served_sampling: z.strictObject({
    sample_every: count,
    poll_ms: z.number(),
    sampled: count,
    read_back: count,
    never_read: count,
    reads: count,
    read_errors: count,
  }),
})

export const kindDetectionSchema = z.strictObject({
  family: z.enum(['fraud', 'anomaly']),
  precision: nullableNumber,
  recall: nullableNumber,
  f1: nullableNumber,
  ttd_p50_s: nullableNumber,
  ttd_p95_s: nullableNumber,
  ttd_max_s: nullableNumber,
  /** Every detected unit's time to detect, scenario seconds, ascending. */
  ttd_s: z.array(z.number()),
  truth_units: count,
  detected_units: count,
  alerted_units: count,
  true_positives: count,
  false_positives: count,
  hard_negative_false_positives: count,
  exposure_minor: nullableNumber,
  exposure_total_minor: nullableNumber,
})

const familyQuality = z.strictObject({ precision: nullableNumber, recall: nullableNumber })
export const hardNegativeSchema = z.strictObject({ entities: count, flagged: count, false_positive_ratio: ratio })
export const detectionSummarySchema = z.strictObject({
  fraud: familyQuality,
  anomaly: familyQuality,
  hard_negatives: z.record(z.string(), hardNegativeSchema),
  not_run: z.array(z.enum(['fraud', 'anomaly'])),
})

/**
 * The learned detectors a run scored beside the rules (`run --model`, docs/ml.md): what they were trained on,
 * that the evaluation is on other data, and each detector's detection by kind, scored like the rules' `detection`.
 */
/** One outage (truth anomaly of a forecastable kind) as a forecaster saw it (docs/results.md "Forecasts"). */
export const outageForecastSchema = z.strictObject({
  name: z.string(),
  cell: z.string(),
  kind: z.string(),
  start: z.string(),
  /** Whether the truth gave the outage warning signs (a precursor window). */
  precursor: z.boolean(),
  outcome: z.enum(['forecast', 'late', 'missed']),
  lead_time_s: z.number().nullable(),
  ttd_s: z.number().nullable(),
})

/** A forecasting detector's scoring: per outage, and the totals (lead time, precision, recall). */
export const forecastScoreSchema = z.strictObject({
  horizon_periods: count,
  horizon_s: z.number(),
  outages: z.array(outageForecastSchema),
  outage_count: count,
  forecast: count,
  detected_late: count,
  missed: count,
  alerts: count,
  matched_alerts: count,
  precision: z.number().nullable(),
  recall: z.number().nullable(),
  lead_time_p50_s: z.number().nullable(),
  lead_time_s: z.array(z.number()),
})

export const modelsResultSchema = z.strictObject({
  /** The model folder (absolute). */
  folder: z.string(),
  training: z.strictObject({
    scenario: z.string(),
    seed: z.number().int(),
    trained_at: z.string(),
    training_wall_s: z.number(),
  }),
  /** The run's scenario and seed; the seed always differs from the training seed (a run refuses the same seed). */
  evaluation: z.strictObject({ scenario: z.string(), seed: z.number().int() }),
  /** Cells (ECGI) with an anomaly in both the training and this run's truth: entities the models were trained on. */
  shared_anomaly_cells: z.array(z.string()),
  /**
   * Fraudulent entities (IMSIs, WANGIRI numbers and their callers) in both the training and this run's fraud truth:
   * entities the fraud model was trained on. Empty without a fraud model.
   */
  shared_fraud_entities: z.array(z.string()),
  /** Keyed by detector (`ml:<model>`, the alerts' `detector` field). */
  detectors: z.record(
    z.string(),
    z.strictObject({
      family: z.enum(['fraud', 'anomaly']),
      algorithm: z.string(),
      features: z.array(z.string()),
      training_rows: count,
      training_class_counts: z.record(z.string(), count),
      fit_s: z.number(),
      alerts: count,
      detection: z.record(z.string(), kindDetectionSchema),
      /** A forecaster's scoring (its `detection` is then empty: a forecast is not a detection); null for the others. */
      forecast: forecastScoreSchema.nullable(),
    }),
  ),
})

export const integrityCountsSchema = z.strictObject({ lost: count, duplicate_copies: count })

export const recoverySchema = z.strictObject({
  until_s: z.number(),
  pre_fault: z
    .strictObject({ from_s: z.number(), to_s: z.number(), reference: z.enum(['before-fault', 'earlier-window']), output_eps: z.number(), backlog_p95: z.number(), backlog_p99: z.number() })
    .nullable(),
  window_s: z.number(),
  time_to_detect_s: nullableNumber,
  detected_by: z.enum(['backlog', 'output-gap']).nullable(),
  time_to_recover_s: nullableNumber,
  time_to_drain_s: nullableNumber,
  restart_time_s: nullableNumber,
  latency_spike: z.strictObject({ pre_fault_p99_ms: nullableNumber, peak_p99_ms: nullableNumber, area_above_ms_s: z.number() }).nullable(),
})

export const faultKinds = ['broker-kill', 'broker-pause', 'pipeline-crash', 'generator-restart', 'network-delay', 'network-loss', 'network-partition', 'leader-kill', 'controller-kill', 'rolling-restart', 'store-kill', 'executor-kill', 'worker-kill'] as const

/**
 * Whether the cluster served over a span of seconds [from_s, to_s) after load start (docs/results.md "Availability"):
 * seconds in which a produce attempt failed, in which nothing was acknowledged while the load was sending, in which no
 * usage record came out, and the under-replicated partitions sampled each second.
 */
export const availabilitySchema = z.strictObject({
  from_s: z.number(),
  to_s: z.number(),
  produce_failed_s: count,
  produce_stalled_s: count,
  longest_produce_stall_s: count,
  no_output_s: count,
  longest_output_gap_s: count,
  under_replicated_max: nullableNumber,
  under_replicated_s: nullableNumber,
})

/** A secured run: what the broker enforced, the intruder check, and the denials the authorizer logged (docs/security.md). */
export const securityResultSchema = z.strictObject({
  tls: z.boolean(),
  sasl: z.string().nullable(),
  acls: z.boolean(),
  intruder: z
    .strictObject({
      attempts: z.array(z.strictObject({ intruder: z.enum(['no-credentials', 'wrong-password', 'no-acl']), action: z.enum(['read-cdr', 'write-bills']), refused: z.boolean(), detail: z.string() })),
      refused: count,
      landed: count,
      marker: z.string(),
    })
    .nullable(),
  denied_operations: nullableNumber,
  authorizer_log: z.string().nullable(),
})

export const faultRecordSchema = z.strictObject({
  name: z.string(),
  kind: z.enum(faultKinds),
  target: z.enum(['broker', 'pipeline', 'generator', 'network', 'store']),
  /** Cluster faults: the node ids acted on, in order (the leader or controller found when the fault fired); executor-kill, worker-kill: the Spark worker. */
  nodes: z.array(z.int()),
  at_s: z.number(),
  injected_at_s: nullableNumber,
  lifted_at_s: nullableNumber,
  restarted_at_s: nullableNumber,
  recovered_after_s: nullableNumber,
  recovery: recoverySchema.nullable(),
  /** From injection to the next fault's injection (or the end of the load). */
  availability: availabilitySchema.nullable(),
  error: z.string().nullable(),
})

export const steadyStateSchema = z.strictObject({
  state: z.enum(['steady', 'settled-late', 'never-settled', 'not-assessed']),
  from_s: z.number(),
  to_s: z.number(),
  lag_trend_eps: nullableNumber,
  lag_trend_stderr_eps: nullableNumber,
  threshold_eps: z.number(),
  settled_at_s: nullableNumber,
  reason: z.string(),
})

export const measurementCostSchema = z.strictObject({
  batches: count,
  records: count,
  consumer_handler_s: z.number(),
  consumer_handler_cpu_s: z.number(),
  per_record_us: nullableNumber,
  harness_process_cpu_s: nullableNumber,
  consumer_share_of_harness: nullableNumber,
})

const spreadSchema = z.strictObject({ p50: nullableNumber, p95: nullableNumber, max: nullableNumber })
export const engineQuerySchema = z.strictObject({
  batches_with_input: count,
  progress_records: count,
  input_rows: count,
  trigger_execution_ms: spreadSchema,
  add_batch_ms: spreadSchema,
  /** Spark: every phase of `durationMs` (latestOffset, walCommit, getBatch, queryPlanning, addBatch, commitOffsets, triggerExecution) over the micro-batches with input; null for Flink. */
  phases_ms: z.record(z.string(), spreadSchema).nullable(),
  processed_rows_per_s_max: z.number(),
  rows_dropped_by_watermark: count,
  state_rows_last: count,
  /** Flink: the query's operator's end-to-end checkpoint duration, one value per completed checkpoint; null for Spark. */
  checkpoint_ms: spreadSchema.nullable(),
  /** Flink: the largest share of time a subtask of the query's operator was back-pressured (0–1) in any progress record; null for Spark. */
  backpressured_ratio_max: nullableNumber,
  /** Flink: the largest share of time a subtask of the query's operator was busy (0–1); null for Spark. */
  busy_ratio_max: nullableNumber,
})

const breakdownStageSchema = z.strictObject({
  stage: z.string(),
  from: z.string(),
  to: z.string(),
  mean_ms: z.number(),
  p50_ms: nullableNumber,
  p99_ms: nullableNumber,
  /** The stage's mean over the slowest 1 % of the sampled records (by end-to-end latency): where the tail goes. */
  slowest_1pct_mean_ms: z.number(),
  /** Records whose two marks were read in the other order (ms clocks): counted as 0 in the percentiles, kept in the mean. */
  below_zero: count,
})

/** What the run's engine, trigger and guarantee promise about the outputs. */
export const deliverySchema = z.strictObject({
  engine: z.enum(['spark', 'flink']),
  trigger: z.enum(['processing-time', 'available-now', 'real-time', 'record-at-a-time']),
  /** The micro-batch trigger interval (0: as soon as the previous batch ends; in real-time mode, that of the micro-batch queries beside rating-rt); null without one. */
  interval_ms: nullableNumber,
  /** Real-time mode's and Flink's checkpoint interval; null for micro-batches (they commit every batch). */
  checkpoint_interval_ms: nullableNumber,
  guarantee: z.enum(['at-least-once', 'exactly-once']),
  statement: z.string(),
})

/** Where the rated stream's end-to-end latency goes, stage by stage (docs/method.md "Where the time goes"). */
export const latencyBreakdownSchema = z.strictObject({
  stream: z.literal('rated'),
  /** Rated records after the warm-up that carried every mark. */
  records: count,
  /** Rated records after the warm-up without the engine's marks. */
  unmarked: count,
  e2e_mean_ms: z.number(),
  e2e_p50_ms: nullableNumber,
  e2e_p99_ms: nullableNumber,
  /** The sum of the stages' means: equals e2e_mean_ms, since each record's stages add up to its latency. */
  stage_mean_sum_ms: z.number(),
  slowest_1pct: z.strictObject({ sampled: count, records: count, e2e_mean_ms: z.number() }),
  stages: z.array(breakdownStageSchema),
})

export const comparisonRowSchema = z.strictObject({
  metric: z.string(),
  unit: z.string(),
  streaming: nullableNumber,
  batch: nullableNumber,
  better: z.enum(['streaming', 'batch', 'equal']).nullable(),
})

export const batchResultsSchema = z.discriminatedUnion('state', [
  z.strictObject({
    state: z.literal('scored'),
    finished_after_s: z.number(),
    results_file: z.string(),
    counts: z.record(z.string(), z.number()),
    accounting: accountingSchema,
    billing: billingSchema.nullable(),
    detection: z.record(z.string(), kindDetectionSchema),
    detection_summary: detectionSummarySchema,
    result_latency: latencySummarySchema,
    late_data: z.strictObject({ late: count, streaming: count, batch: count }),
    comparison: z.array(comparisonRowSchema),
  }),
  z.strictObject({ state: z.literal('unreadable'), finished_after_s: z.number(), results_file: z.string(), error: z.string() }),
])

/** A watched child (Spark driver, Kafka broker) that ended while nobody asked it to; times after load start. */
export const unplannedExitSchema = z.strictObject({
  process: z.string(),
  at_s: z.number(),
  exit_code: z.number().int().nullable(),
  signal: z.string().nullable(),
})

/** Codes a program can act on; the message beside each code is for people. */
export const verdictReasonCodes = [
  'interrupted',
  'aborted',
  'pipeline_died',
  'broker_died',
  'send_errors',
  'output_read_failed',
  'generator_behind_schedule',
  'generator_shortfall',
  'not_settled',
  'accounting_broken',
  'lost_events',
  'unprocessed_events',
  'duplicates_under_exactly_once',
  'not_sustained',
  'unexpected_ids',
  'threshold_failed',
  'intruder_not_refused',
] as const
export type VerdictReasonCode = (typeof verdictReasonCodes)[number]

/**
 * One threshold expression's outcome. A windowed one (`window_s`) observed its worst full window of the load after
 * the warm-up (`worst_window`, seconds after load start; null when no window held a value).
 */
export const thresholdResultSchema = z.strictObject({
  metric: z.string(),
  expr: z.string(),
  window_s: nullableNumber,
  observed: nullableNumber,
  worst_window: z.strictObject({ from_s: z.number(), to_s: z.number() }).nullable(),
  passed: z.boolean(),
})
export const verdictSchema = z.strictObject({
  passed: z.boolean(),
  reasons: z.array(z.strictObject({ code: z.enum(verdictReasonCodes), message: z.string() })),
  thresholds: z.array(thresholdResultSchema),
})

export const resourceUseSchema = z.strictObject({ cpu_seconds: z.number(), cpu_avg_cores: z.number(), rss_max_bytes: count, samples: count })

/** Whether other work on the machine may have coloured the run's figures, and the readings that say so (docs/method.md §1.7). */
export const machineBusySchema = z.strictObject({ busy: z.boolean(), reason: z.string() })

const meanMaxSchema = z.strictObject({ mean: nullableNumber, max: nullableNumber })

/** The second before the run: load averages at its end; steal, busy cores and other processes' cores over it (null without /proc/stat). */
export const machineLoadBeforeSchema = z.strictObject({
  window_s: z.number(),
  load_avg: z.strictObject({ one: z.number(), five: z.number(), fifteen: z.number() }),
  steal_ratio: nullableNumber,
  cpu_busy_cores: nullableNumber,
  other_cpu_cores: nullableNumber,
})

/** The load phase, from the per-second samples inside it (seconds after load start). */
export const machineLoadDuringSchema = z.strictObject({
  from_s: z.number(),
  to_s: z.number(),
  samples: count,
  load_avg_1m: z.strictObject({ mean: z.number(), max: z.number() }),
  steal_ratio: meanMaxSchema,
  cpu_busy_cores: meanMaxSchema,
  other_cpu_cores: meanMaxSchema,
})

export const machineLoadSchema = z.strictObject({ cores: count, before: machineLoadBeforeSchema.nullable(), during: machineLoadDuringSchema.nullable() })

export const runStates = ['passed', 'failed', 'invalid', 'aborted'] as const

export const resultsSchema = z.strictObject({
  schema_version: z.literal(resultsSchemaVersion),
  telcobench: producerSchema,
  run_id: z.string(),
  scenario: z.string(),
  started_at: z.string(),
  duration_s: z.number(),
  state: z.enum(runStates),
  verdict: verdictSchema,
  accounting: accountingSchema,
  latency: z.record(z.string(), latencySummarySchema),
  latency_warmup: z.strictObject({ warmup_s: z.number(), streams: z.record(z.string(), latencySummarySchema) }),
  delivery: deliverySchema,
  /** Null when no rated record carried the engine's timing marks. */
  latency_breakdown: latencyBreakdownSchema.nullable(),
  throughput: z.strictObject({
    offered_eps: z.number(),
    achieved_eps: z.number(),
    estimated_eps: z.number(),
    output_eps: z.number(),
    schedule_delay_p99_ms: nullableNumber,
    schedule_delay_outside_faults_p99_ms: nullableNumber,
    send_errors: count,
    send_retries: count,
    producer_sessions: count,
    /** Worker threads that produced the load (1: the harness thread). */
    generator_workers: count,
    /** CPU ms the whole harness process (generation, encoding, producing, the measuring consumer) used per 1,000 records sent during the load; null when nothing was sent. */
    harness_cpu_ms_per_1000_events: nullableNumber,
  }),
  billing: billingSchema.nullable(),
  detection: z.record(z.string(), kindDetectionSchema),
  detection_summary: detectionSummarySchema,
  faults: z.array(faultRecordSchema.extend({ integrity: integrityCountsSchema })),
  /** The cluster the run ran on and its availability over the load after the warm-up. */
  cluster: z.strictObject({ brokers: count, replication_factor: count, min_insync_replicas: count }),
  availability: availabilitySchema.nullable(),
  /** Null for a run on an unsecured broker. */
  security: securityResultSchema.nullable(),
  unplanned_exits: z.array(unplannedExitSchema),
  integrity_before_faults: integrityCountsSchema,
  steady_state: steadyStateSchema.nullable(),
  timeline: z.strictObject({ file: z.string(), window_s: z.number(), seconds: count }).nullable(),
  measurement_cost: measurementCostSchema.nullable(),
  batch: batchResultsSchema.nullable(),
  engine: z.record(z.string(), engineQuerySchema),
  outputs: z.strictObject({
    rated_records: count,
    distinct_rated: count,
    bill_records: count,
    billed_subscribers: count,
    alerts: count,
    dlq: count,
    progress_events: count,
    unparsable: z.record(z.string(), count),
  }),
  resources: z.record(z.string(), resourceUseSchema),
  machine_busy: machineBusySchema,
  /** Null when the run had no serving store (scenario serving.store none). */
  serving: servingSchema.nullable(),
  /** Null when the run scored no learned detectors (no `--model`). */
  models: modelsResultSchema.nullable(),
})

export const manifestSchema = z.strictObject({
  schema_version: z.literal(manifestSchemaVersion),
  telcobench: producerSchema,
  run_id: z.string(),
  scenario: z.string(),
  /** SHA-256 (hex) of scenario.resolved.json as written: the scenario's content with every default and `--set` value applied. */
  scenario_sha256: z.string().regex(/^[0-9a-f]{64}$/),
  runtime: z.record(z.string(), z.unknown()),
  delivery_guarantee: z.enum(['at-least-once', 'exactly-once']),
  /** The run plan the harness derived from the scenario (docs/results.md "manifest.json"). */
  plan: z.record(z.string(), z.unknown()),
  kafka_client: z.string(),
  engine: z.strictObject({ kind: z.string(), job_config: z.record(z.string(), z.unknown()) }),
  versions: z.record(z.string(), z.string()),
  machine: z.strictObject({ cores: count, cpu_model: z.string(), memory_bytes: count, platform: z.string(), kernel: z.string() }),
  clock: z.string(),
  /** How loaded the machine was in the second before the run and over its load (docs/results.md "manifest.json"). */
  machine_load: machineLoadSchema,
  /** How the run was started: the command line and the `--set` overrides among it. */
  invocation: z.strictObject({ command_line: z.array(z.string()), set: z.array(z.string()) }),
})

export const timelinePointSchema = z.strictObject({
  t_s: z.number(),
  offered: count,
  acked: count,
  accounted: count,
  rated: count,
  bills: count,
  alerts: count,
  dlq: count,
  rated_p50_ms: nullableNumber,
  rated_p99_ms: nullableNumber,
  backlog: z.number(),
  e2e_backlog: z.number(),
  /** Records whose produce attempt failed in this second (retried, or given up). */
  produce_failed: count,
  /** Partitions of the run's topics under-replicated at the last sample of this second; null when the run does not sample them (one broker, RF 1). */
  under_replicated: nullableNumber,
})

/** One /proc sample of a process placed in its second: CPU cores used since the previous sample, resident memory. */
export const timelineResourcePointSchema = z.strictObject({ t_s: count, cpu_cores: nullableNumber, rss_bytes: count })

export const timelineSchema = z.strictObject({
  schema_version: z.literal(timelineSchemaVersion),
  origin: z.string(),
  window_s: z.number(),
  warmup_s: z.number(),
  faults: z.array(z.strictObject({ name: z.string(), kind: z.enum(faultKinds), injected_at_s: nullableNumber, lifted_at_s: nullableNumber })),
  points: z.array(timelinePointSchema),
  /** Per process (`harness`, `broker`, `spark`), one sample per second of the load and the drain. */
  resources: z.record(z.string(), z.array(timelineResourcePointSchema)),
})

/** The figures a set of repeated runs summarises, each named with its unit (docs/results.md "set.json"). */
export const setMetricNames = [
  'rated_p50_ms',
  'rated_p99_ms',
  'bills_p50_ms',
  'bills_p99_ms',
  'achieved_rate_eps',
  'lost_events',
  'duplicated_events',
  'billing_error_ratio',
  'fraud_recall',
  'fraud_precision',
  'anomaly_recall',
  'anomaly_precision',
  'ttd_p50_s',
] as const
export type SetMetricName = (typeof setMetricNames)[number]

/** One run of a set: where it is, how it ended, and whether its figures count in the statistics. */
export const setRunSchema = z.strictObject({
  index: z.int().positive(),
  run_id: z.string().nullable(),
  /** The run's folder inside the set folder; null when the run ended in an error before it wrote results. */
  folder: z.string().nullable(),
  state: z.enum(runStates).nullable(),
  exit_code: z.int(),
  /** Its figures are in the statistics: only `passed` and `failed` runs measured the system under test. */
  counted: z.boolean(),
  reasons: z.array(z.enum(verdictReasonCodes)),
  machine_busy: machineBusySchema.nullable(),
  /** The error that ended the run before it wrote results (the line telcobench printed). */
  error: z.string().nullable(),
})

/** The distribution-free interval of the median between two order statistics, and the exact probability that it covers the median. */
export const medianIntervalSchema = z.strictObject({ low: z.number(), high: z.number(), level: z.number() })

/** One figure over the runs of a set: the value of each run in run order (null where a run has none or is not counted), then statistics over the counted values. */
export const setMetricSchema = z.strictObject({
  unit: z.enum(['ms', 'eps', 'events', 'ratio', 's']),
  values: z.array(nullableNumber),
  n: count,
  median: nullableNumber,
  min: nullableNumber,
  max: nullableNumber,
  ci: medianIntervalSchema.nullable(),
})

export const setSchema = z.strictObject({
  schema_version: z.literal(setSchemaVersion),
  telcobench: producerSchema,
  set_id: z.string(),
  scenario: z.string(),
  scenario_file: z.string(),
  started_at: z.string(),
  /** Runs asked for with `--repeat`. */
  repeat: z.int().positive(),
  /** Set by Ctrl-C/SIGTERM: the set stopped after the run that was going on. */
  interrupted: z.boolean(),
  /** The worst exit code of the runs (docs: README "Exit codes"), 130 when interrupted. */
  exit_code: z.int(),
  /** How `ci` is computed: the order-statistic interval of the median (docs/method.md "Repetitions"). */
  ci_method: z.literal('order-statistic'),
  ci_target_level: z.number(),
  runs: z.array(setRunSchema),
  metrics: z.record(z.enum(setMetricNames), setMetricSchema),
})
