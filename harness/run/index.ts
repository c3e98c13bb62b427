/** The run's entry point for the CLI: run a scenario, render its summary. */
export { runScenario, type RunOptions, type RunOutcome } from './run.ts'
export { renderSummary } from './summary.ts'
