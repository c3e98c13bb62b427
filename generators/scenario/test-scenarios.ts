/** Test helper: the smallest valid scenario file, for tests of the scenario language and of what reads it. */
export const minimalScenarioYaml = `version: 1
name: t
seed: 1
duration: 1h
population:
  subscribers: 1000
topology:
  sites: 2
`
