/**
 * The generators' public API: with generators/scenario/index.ts (the scenario language alone, which loads
 * faster), the only modules the harness and the CLI import. Scenario language (validate → ResolvedScenario),
 * the deterministic event stream, the value encoder, the TS ground-truth rater and the file writer behind
 * `telcobench generate`.
 */
export { createEventStream, shardProblem, type Shard, type StreamOptions } from './stream/engine.ts'
export type { ScheduledEvent, Topic } from './stream/entry.ts'
export { encodeValue } from './stream/encode.ts'
export { LANES } from './stream/model.ts'
export type { Label } from './stream/fraud.ts'
export { truthKinds, type TruthKind, type TruthSink } from './truth.ts'
export { rateRecord, compileRater, type RatableRecord, type RatedCharge } from './rating/rater.ts'
export { invoice, invoiceFromSum, type Invoice } from './rating/invoice.ts'
export { ratingSpecSchema, type RatingSpec } from './rating/spec-schema.ts'
export {
  allowedKeysIn,
  byPosition,
  describeZodIssue,
  didYouMean,
  dottedPath,
  parseYamlText,
  valueAt,
  yamlLocator,
  yamlToPlain,
  type Locator,
  type ParsedYaml,
  type SchemaVocabulary,
  formatEventsPerSecond,
  formatIssue,
  formatTimeCompression,
  scenarioJsonSchemaText,
  scenarioSchema,
  validateScenarioFile,
  validateScenarioText,
  type FaultKind,
  type Issue,
  type JobTrigger,
  type LoadEstimate,
  type ResolvedFault,
  type ResolvedPipeline,
  type ResolvedScenario,
  type ResolvedThreshold,
  type ScenarioConfig,
  type ScenarioInput,
  type SparkQuery,
  type QueryLayout,
  queryLayouts,
  type EngineKind,
  engineKinds,
  type ValidationResult,
} from './scenario/index.ts'
export {
  parseThreshold,
  parseMetricKey,
  thresholdMetrics,
  isThresholdMetric,
  aggregationApplies,
  type ThresholdExpr,
  type ThresholdMetricName,
} from './scenario/thresholds.ts'
export { generateToFiles, type GenerateOptions, type GenerateResult } from './cli-generate.ts'
export { GenerateInputError } from './scenario/input-error.ts'
