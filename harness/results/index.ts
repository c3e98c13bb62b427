/** The results module: what a run folder holds, typed and validated. Every reader of runs goes through it. */
export * from './types.ts'
export { readRun, writeRunFiles, roundToCarriedPrecision, runFiles, type RunFolder } from './run-folder.ts'
export { manifestSchemaVersion, resultsSchemaVersion, timelineSchemaVersion, verdictReasonCodes, type VerdictReasonCode, runStates, faultKinds } from './schema.ts'
export { readHistograms, decodeHistogram, type StreamHistograms } from './histograms.ts'
export { resolvedScenarioFile } from './scenario-file.ts'
