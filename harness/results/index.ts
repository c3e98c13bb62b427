/** The results module: what a run folder holds, typed and validated. Every reader of runs goes through it. */
export * from './types.ts'
export type { LiveSnapshot } from './live.ts'
export { readRun, writeRunFiles, runFiles, type RunFolder } from './run-folder.ts'
export { roundToCarriedPrecision } from './json-file.ts'
export { readSet, writeSetFile, setFiles, type SetFolder } from './set-folder.ts'
export { manifestSchemaVersion, resultsSchemaVersion, setSchemaVersion, timelineSchemaVersion, setMetricNames, type SetMetricName, verdictReasonCodes, type VerdictReasonCode, runStates, faultKinds } from './schema.ts'
export { readHistograms, decodeHistogram, type StreamHistograms } from './histograms.ts'
export { resolvedScenarioFile } from './scenario-file.ts'
