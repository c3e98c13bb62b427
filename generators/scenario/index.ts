/**
 * The scenario language alone (validate → ResolvedScenario), for callers that need no events: importing it does
 * not load the event generators (and faker), which keeps `telcobench validate` fast.
 */
export { formatIssue, byPosition, dottedPath, type Issue } from './issues.ts'
export { parseYamlText, yamlToPlain, yamlLocator, type Locator, type ParsedYaml } from './yaml-document.ts'
export { describeZodIssue, valueAt, type SchemaVocabulary } from './zod-issues.ts'
export { allowedKeysIn } from './json-schema.ts'
export { didYouMean } from './suggest.ts'
export { validateScenarioFile, validateScenarioText, type ValidateOptions, type ValidationResult } from './validate.ts'
export type { ResolvedScenario, ResolvedFault, ResolvedPipeline, ResolvedThreshold, JobTrigger } from './resolved.ts'
export { formatEventsPerSecond, formatTimeCompression, type LoadEstimate } from './load.ts'
export { MAX_GENERATOR_WORKERS, scenarioSchema, type ScenarioConfig, type ScenarioInput, type FaultKind, type SparkQuery, sparkQueries, type QueryLayout, queryLayouts, type EngineKind, engineKinds, servingStores, type ServingStore } from './schema.ts'
export { scenarioJsonSchemaText } from './json-schema.ts'
export { GenerateInputError } from './input-error.ts'
