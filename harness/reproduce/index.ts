/**
 * The evaluation suite (`telcobench reproduce`, docs/reproducing-the-paper.md): a suite file maps the paper's research
 * questions to experiments; the runner makes their runs and capacity searches in one suite folder with its
 * provenance; the checks turn the figures into a verdict per question. reports/ renders evaluation.json.
 */
export { runSuite, type SuiteOptions, type SuiteOutcome } from './run-suite.ts'
export { validateSuiteFile, validateSuiteText, loadSuite, type SuiteValidation } from './validate-suite.ts'
export { suiteSchema, suiteJsonSchemaText, suiteSizes, capabilities, type Suite, type SuiteInput, type SuiteSize } from './suite-schema.ts'
export { formatMinutes, maxSearchPoints, experimentSeconds, suiteEstimate, unavailable, runOverheadS, batchBaselineS } from './estimate.ts'
export { evaluateQuestions, questionVerdict, figureOver } from './evaluate.ts'
export type { PlannedExperiment } from './plan.ts'
