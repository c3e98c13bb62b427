import { z } from 'zod'
import { engineKinds } from '../../generators/index.ts'

/**
 * The evaluation suite file (suites/*.yaml, docs/reproducing-the-paper.md): the paper's research questions, the
 * experiments that answer each one (a scenario, its `--set` overrides and flags, a plain or repeated run or a
 * capacity search, at two sizes), the figures of results.json they read, and the checks that decide the verdict.
 * The single source of the format: the types are inferred from it, suites/suite.schema.json is generated from it.
 */

export const suiteSizes = ['quick', 'full'] as const
export type SuiteSize = (typeof suiteSizes)[number]

/**
 * What an experiment may need that a build or a runtime may not have: `ml-detectors` (a learned detector trained
 * by the suite itself, which it has no step for yet), `realtime-detection` (detection queries in Spark's real-time mode, which Spark 4.1 runs for
 * stateless queries only), `local-runtime` (a broker and Spark the run owns: faults, security, Spark threads).
 */
export const capabilities = ['ml-detectors', 'realtime-detection', 'local-runtime'] as const
export type Capability = (typeof capabilities)[number]

const experimentId = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, { error: 'an id is lower-case letters, digits and hyphens, e.g. rq1-capacity' })
const text = z.string().min(1)
const repeats = z.int().min(1).max(100)

/** The `telcobench capacity` flags of a capacity experiment, named as the flags are. */
const capacitySettingsSchema = z.strictObject({
  slo: z.array(text).min(1).optional().describe("Latency SLOs, as --slo: 'rated p99<3000'."),
  vary: z.array(text).optional().describe('Grid knobs, as --vary: trigger=1s,realtime; partitions=2,4; cores=1,2,4.'),
  repeat: z.int().min(1).max(10).optional().describe('Runs per point (--repeat).'),
  startRate: z.number().positive().optional().describe('First rate tried, ev/s (--start-rate).'),
  maxRate: z.number().positive().optional().describe('Highest rate tried, ev/s (--max-rate).'),
  resolution: z.number().gt(0).lt(1).optional().describe('Bisection stops within this share (--resolution).'),
  load: z.number().min(10).optional().describe('Wall seconds of load per run (--load).'),
})
export type CapacitySettings = z.infer<typeof capacitySettingsSchema>

/** What one size changes of an experiment: `set` is appended, `repeats` replaces, `capacity` is merged key by key. */
const sizeOverlaySchema = z.strictObject({
  set: z.array(text).optional().describe('More --set overrides, after the experiment\'s own.'),
  repeats: repeats.optional(),
  capacity: capacitySettingsSchema.optional(),
  skip: text.optional().describe('Leave the experiment out at this size; the text says why (the report shows it as not measured).'),
})
export type SizeOverlay = z.infer<typeof sizeOverlaySchema>

export const experimentSchema = z.strictObject({
  id: experimentId,
  title: text,
  kind: z.enum(['run', 'capacity']).describe('run: the scenario `repeats` times in one set folder (run --repeat); capacity: a capacity search.'),
  scenario: text.describe('Scenario file, relative to the suite file.'),
  set: z.array(text).default([]).describe('--set key=value overrides of the scenario.'),
  engine: z.enum(engineKinds).optional(),
  guarantee: z.enum(['at-least-once', 'exactly-once']).optional(),
  batch: z.boolean().optional().describe('Run the batch baseline (default: the scenario\'s setting).'),
  repeats: repeats.optional().describe('Runs of a run experiment (default: the size\'s, else the suite\'s).'),
  atCapacity: z
    .strictObject({ experiment: experimentId, fraction: z.number().gt(0).max(1) })
    .optional()
    .describe('Pace the scenario at this fraction of the capacity a capacity experiment found (run experiments).'),
  capacity: capacitySettingsSchema.optional().describe('The search (capacity experiments; `slo` is required there).'),
  requires: z.array(z.enum(capabilities)).default([]),
  figures: z.array(text).min(1).describe('The figures of results.json (or capacity.json) that answer the question.'),
  quick: sizeOverlaySchema.optional(),
  full: sizeOverlaySchema.optional(),
})
export type Experiment = z.infer<typeof experimentSchema>

/** Comparisons a check may make: the figure's median (or its ratio to another) against a number. */
export const checkOperators = ['<', '<=', '>', '>=', '=='] as const

export const checkSchema = z.strictObject({
  says: text.describe('The claim the check tests, in plain words.'),
  experiment: experimentId,
  figure: text,
  relativeTo: z.strictObject({ experiment: experimentId, figure: text }).optional().describe('Compare figure ÷ this figure (medians) instead of the figure itself.'),
  holds: z.string().regex(/^\s*(<=|>=|==|<|>)\s*-?\d+(\.\d+)?(e-?\d+)?\s*$/, { error: 'write a comparison and a number, e.g. "<= 0.001" or ">= 1000"' }),
  condition: text.optional().describe('Makes the check a condition: when it fails or is not measured the verdict is "supported with conditions" and says this text.'),
})
export type Check = z.infer<typeof checkSchema>

export const questionSchema = z.strictObject({
  id: z.string().regex(/^RQ\d+$/, { error: 'a question id is RQ and a number, e.g. RQ1' }),
  title: text,
  question: text.describe("The paper's question, verbatim."),
  claim: z.strictObject({ quote: text, where: text }).describe("A short sentence of the paper's that the experiments put numbers against, and where it stands."),
  experiments: z.array(experimentSchema).min(1),
  checks: z.array(checkSchema).min(1),
})
export type Question = z.infer<typeof questionSchema>

const sizeSchema = z.strictObject({
  description: text,
  repeats: repeats.optional().describe('Runs of every run experiment at this size (an experiment\'s own repeats win).'),
  budgetMinutes: z.number().positive().optional().describe('The wall time the size must fit; validation warns when the estimate exceeds it.'),
})

export const suiteSchema = z.strictObject({
  version: z.literal(1),
  name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, { error: 'a suite name is kebab-case, e.g. paper' }),
  title: text,
  paper: text.describe('The citation of the paper the suite reproduces.'),
  repeats: repeats.default(3),
  sizes: z.strictObject({ quick: sizeSchema, full: sizeSchema }),
  threats: z.array(text).min(1).describe('Threats to validity, printed in the report.'),
  questions: z.array(questionSchema).min(1),
})
export type SuiteInput = z.input<typeof suiteSchema>
export type Suite = z.output<typeof suiteSchema>

/** The JSON Schema of a suite file (input side), committed as suites/suite.schema.json. */
export function suiteJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(suiteSchema, { io: 'input' })
}

export function suiteJsonSchemaText(): string {
  return `${JSON.stringify(suiteJsonSchema(), null, 2)}\n`
}
