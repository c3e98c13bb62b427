/** The run's entry point for the CLI: run a scenario (its summary and report are rendered by reports/). */
export { runScenario, type RunOptions, type RunOutcome } from './run.ts'
