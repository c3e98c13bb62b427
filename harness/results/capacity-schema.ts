import { z } from 'zod'
import { producerSchema } from './schema.ts'

/** capacity.json (`telcobench capacity`): every point of the search, its runs and verdicts, the capacity per configuration and the scalability fit. docs/capacity.md. */
export const capacitySchemaVersion = 1

const nullableNumber = z.number().nullable()

/** One run at one rate: its folder (relative to the capacity folder) and what the capacity judgement read from it. */
export const capacityRunSchema = z.strictObject({
  folder: z.string().nullable(),
  /** pass: every SLO held; fail: the system missed one; invalid: the harness, not the system, fell behind (or the run ended without results). */
  outcome: z.enum(['pass', 'fail', 'invalid']),
  reasons: z.array(z.string()),
  offered_eps: nullableNumber,
  achieved_eps: nullableNumber,
  /** p99 per latency stream the SLOs name, ms. */
  p99_ms: z.record(z.string(), nullableNumber),
  lag_state: z.string().nullable(),
  lag_trend_eps: nullableNumber,
  schedule_delay_p99_ms: nullableNumber,
  produce_response_p99_ms: nullableNumber,
  /** Median micro-batch duration per query (Spark `triggerExecution`), ms. */
  trigger_p50_ms: z.record(z.string(), nullableNumber),
  cpu_cores: z.record(z.string(), z.number()),
  /** The run's throughput.harness_cpu_ms_per_1000_events: what the measuring side took from the machine. */
  harness_cpu_ms_per_1000_events: nullableNumber,
  machine_busy: z.boolean().nullable(),
  /** Mean ms per stage of the rated stream's latency breakdown (to_broker, wait_for_trigger, …); absent when the run had none, and in files written before it was recorded. */
  stage_means_ms: z.record(z.string(), z.number()).optional(),
})

export const capacityPointSchema = z.strictObject({
  config: z.string(),
  rate_eps: z.number(),
  /** pass only when every repeat passed; fail when a valid repeat failed; invalid otherwise. */
  verdict: z.enum(['pass', 'fail', 'invalid']),
  runs: z.array(capacityRunSchema),
})

export const bottleneckSchema = z.strictObject({
  component: z.enum(['spark', 'broker', 'generator', 'machine', 'unknown']),
  summary: z.string(),
  evidence: z.array(z.string()),
})

export const configurationCapacitySchema = z.strictObject({
  config: z.string(),
  /** The `--vary` values of this configuration, e.g. { trigger: "1s", partitions: "4" }. */
  settings: z.record(z.string(), z.string()),
  /** Highest rate at which every repeat held every SLO; null when none did. */
  capacity_eps: nullableNumber,
  /** Lowest rate that failed (or was invalid) above it; null when the search stopped at --max-rate. */
  limit_eps: nullableNumber,
  /** Why the search stopped: the system missed an SLO, the harness could not offer the load, the rate cap, or nothing passed. */
  stopped_by: z.enum(['slo', 'harness', 'max-rate', 'none-passed', 'interrupted']),
  bottleneck: bottleneckSchema.nullable(),
  /** SLO p99 per stream at the capacity rate (median over its repeats), ms. */
  p99_at_capacity_ms: z.record(z.string(), nullableNumber),
})

const uslParametersSchema = z.strictObject({ lambda: z.number(), sigma: z.number(), kappa: z.number() })

export const uslFamilySchema = z.strictObject({
  /** The configurations that differ only in `resource`. */
  family: z.string(),
  resource: z.string(),
  points: z.array(z.strictObject({ resources: z.number(), capacity_eps: z.number() })),
  fit: z
    .strictObject({
      parameters: uslParametersSchema,
      stderr: uslParametersSchema.nullable(),
      r_squared: z.number(),
      degrees_of_freedom: z.number().int(),
      peak_resources: nullableNumber,
      /** The fitted curve at whole resources from 1 to twice the largest measured, for the report's chart. */
      curve: z.array(z.strictObject({ resources: z.number(), capacity_eps: z.number() })),
    })
    .nullable(),
  held_out: z.strictObject({ resources: z.number(), measured_eps: z.number(), predicted_eps: z.number(), relative_error: z.number() }).nullable(),
  caveats: z.array(z.string()),
})

export const capacitySchema = z.strictObject({
  schema_version: z.literal(capacitySchemaVersion),
  telcobench: producerSchema,
  capacity_id: z.string(),
  scenario: z.string(),
  scenario_file: z.string(),
  started_at: z.string(),
  finished_at: z.string().nullable(),
  runtime: z.string(),
  machine: z.strictObject({ cores: z.number().int(), memory_gib: z.number(), cpu: z.string(), load_avg_start: z.array(z.number()), load_avg_end: z.array(z.number()).nullable() }),
  search: z.strictObject({
    slos: z.array(z.string()),
    vary: z.record(z.string(), z.array(z.string())),
    repeat: z.number().int(),
    start_eps: z.number(),
    max_eps: z.number(),
    /** Bisection stops when the failing rate is within this share above the passing one. */
    resolution: z.number(),
    load_wall_s: z.number(),
  }),
  points: z.array(capacityPointSchema),
  configurations: z.array(configurationCapacitySchema),
  scalability: z.array(uslFamilySchema),
  /** One sentence per `--target`: what holds it, or why nothing measured does. */
  answers: z.array(z.strictObject({ target_eps: z.number(), answer: z.string() })),
})
