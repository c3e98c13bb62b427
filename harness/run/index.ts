/** The run's entry points for the CLI: run a scenario (its summary and report are rendered by reports/), and the generator agent that produces shards of other hosts' runs. */
export { runScenario, type RunOptions, type RunOutcome } from './run.ts'
export { runGeneratorAgent, type AgentOptions } from './generator-agent.ts'
