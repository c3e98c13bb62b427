import { z } from 'zod'
import { medianIntervalSchema, producerSchema } from './schema.ts'

/**
 * evaluation.json (`telcobench reproduce`): the suite that ran and where it ran, each experiment's runs and the
 * figures read from them (every run's value, the median and the interval of the median), and per research question
 * the checks with what was observed and the verdict. docs/reproducing-the-paper.md.
 */
export const evaluationSchemaVersion = 1

const nullableNumber = z.number().nullable()

export const verdictKinds = ['supported', 'supported-with-conditions', 'not-supported', 'not-measured'] as const

/** One figure over an experiment's counted runs (a capacity search gives one value). */
export const evaluationFigureSchema = z.strictObject({
  unit: z.string(),
  values: z.array(nullableNumber),
  n: z.int().nonnegative(),
  median: nullableNumber,
  min: nullableNumber,
  max: nullableNumber,
  ci: medianIntervalSchema.nullable(),
})

export const evaluationExperimentSchema = z.strictObject({
  id: z.string(),
  question: z.string(),
  title: z.string(),
  kind: z.enum(['run', 'capacity']),
  scenario: z.string(),
  scenario_file: z.string(),
  overrides: z.array(z.string()),
  engine: z.string().nullable(),
  guarantee: z.string().nullable(),
  batch: z.boolean(),
  repeats: z.int().positive(),
  capacity: z.record(z.string(), z.union([z.string(), z.number(), z.array(z.string())])).nullable(),
  /** The offered rate a run experiment was paced to (atCapacity), ev/s; null when the scenario's own. */
  paced_eps: nullableNumber,
  /** measured: its runs were made (whatever they showed); not-measured: left out, `reason` says why. */
  status: z.enum(['measured', 'not-measured', 'pending']),
  reason: z.string().nullable(),
  /** The set folder (run) or the capacity folder, relative to the suite folder. */
  folder: z.string().nullable(),
  runs: z.array(z.strictObject({ folder: z.string().nullable(), state: z.string().nullable(), counted: z.boolean() })),
  figures: z.record(z.string(), evaluationFigureSchema),
  elapsed_s: nullableNumber,
})

export const evaluationCheckSchema = z.strictObject({
  says: z.string(),
  experiment: z.string(),
  figure: z.string(),
  relative_to: z.strictObject({ experiment: z.string(), figure: z.string() }).nullable(),
  holds: z.string(),
  condition: z.string().nullable(),
  /** The median (or the ratio of the two medians) the check compared. */
  observed: nullableNumber,
  outcome: z.enum(['holds', 'fails', 'not-measured']),
  /** Why it was not measured. */
  reason: z.string().nullable(),
})

export const evaluationQuestionSchema = z.strictObject({
  id: z.string(),
  title: z.string(),
  question: z.string(),
  claim: z.strictObject({ quote: z.string(), where: z.string() }),
  experiments: z.array(z.string()),
  checks: z.array(evaluationCheckSchema),
  verdict: z.enum(verdictKinds),
  /** The verdict in plain words, with its conditions or its reasons. */
  verdict_text: z.string(),
  conditions: z.array(z.string()),
})

export const evaluationSchema = z.strictObject({
  schema_version: z.literal(evaluationSchemaVersion),
  telcobench: producerSchema,
  suite_id: z.string(),
  suite: z.string(),
  title: z.string(),
  paper: z.string(),
  size: z.enum(['quick', 'full']),
  /** The suite file as it was, copied into the suite folder, and where it was read from. */
  suite_file: z.string(),
  suite_source: z.string(),
  started_at: z.string(),
  finished_at: z.string().nullable(),
  interrupted: z.boolean(),
  runtime: z.string(),
  /** The suite's own estimate of its wall time before it started, and what it took. */
  estimate_s: z.number(),
  elapsed_s: nullableNumber,
  provenance: z.strictObject({
    command_line: z.array(z.string()),
    versions: z.record(z.string(), z.string()),
    machine: z.strictObject({ cores: z.int(), cpu_model: z.string(), memory_bytes: z.number(), platform: z.string(), kernel: z.string() }),
    load_avg_start: z.array(z.number()),
    load_avg_end: z.array(z.number()).nullable(),
  }),
  threats: z.array(z.string()),
  experiments: z.array(evaluationExperimentSchema),
  questions: z.array(evaluationQuestionSchema),
})

export type EvaluationFile = z.infer<typeof evaluationSchema>
export type EvaluationExperiment = z.infer<typeof evaluationExperimentSchema>
export type EvaluationQuestion = z.infer<typeof evaluationQuestionSchema>
export type EvaluationCheck = z.infer<typeof evaluationCheckSchema>
export type EvaluationFigure = z.infer<typeof evaluationFigureSchema>
export type VerdictKind = (typeof verdictKinds)[number]
