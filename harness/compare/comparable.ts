import type { Manifest } from '../results/index.ts'
import type { ComparedRun, Side } from './types.ts'

/** A setting the two sides do not share, with the values found on each. */
export interface Difference {
  property: string
  baseline: string[]
  candidate: string[]
}

const runtimeKind = (m: Manifest): string => {
  const kind = m.runtime['kind']
  return typeof kind === 'string' ? kind : 'unknown'
}

/**
 * Settings that must be equal in every run on both sides for their figures to be comparable (docs/ci.md
 * "Comparable runs"). Memory is compared in whole GiB: the same machine type reports a few MiB more or less
 * depending on the kernel's reservations.
 */
const sharedSettings: [string, (m: Manifest) => string][] = [
  ['telcobench version', (m) => m.telcobench.version],
  ['runtime', runtimeKind],
  ['machine cores', (m) => String(m.machine.cores)],
  ['machine memory', (m) => `${Math.round(m.machine.memory_bytes / 2 ** 30)} GiB`],
  ['Kafka version', (m) => m.versions['kafka'] ?? 'unknown'],
  ['Spark version', (m) => m.versions['spark'] ?? 'unknown'],
  ['delivery guarantee', (m) => m.delivery_guarantee],
  ['Kafka client', (m) => m.kafka_client],
]

const distinct = (runs: readonly ComparedRun[], pick: (r: ComparedRun) => string): string[] => [...new Set(runs.map(pick))].sort()

/**
 * What keeps two sides from being compared; empty when nothing does. The resolved scenario's content must be the
 * same on both sides (the same set of contents: repeats may vary the seed, as long as both sides ran the same
 * ones); every other setting must be one value across all runs. A run whose figures cannot be trusted (state
 * `invalid`, or `aborted`) is a difference too.
 */
export function differences(baseline: Side, candidate: Side): Difference[] {
  const found: Difference[] = []
  const scenario = (r: ComparedRun): string => r.manifest.scenario_sha256
  const baseScenarios = distinct(baseline.runs, scenario)
  const candScenarios = distinct(candidate.runs, scenario)
  if (baseScenarios.join() !== candScenarios.join()) found.push({ property: 'scenario content (sha256 of scenario.resolved.json)', baseline: baseScenarios, candidate: candScenarios })
  for (const [property, pick] of sharedSettings) {
    const base = distinct(baseline.runs, (r) => pick(r.manifest))
    const cand = distinct(candidate.runs, (r) => pick(r.manifest))
    if (new Set([...base, ...cand]).size > 1) found.push({ property, baseline: base, candidate: cand })
  }
  const untrusted = (side: Side): string[] => side.runs.filter((r) => r.results.state === 'invalid' || r.results.state === 'aborted').map((r) => `${r.results.run_id} is ${r.results.state}`)
  const badBase = untrusted(baseline)
  const badCand = untrusted(candidate)
  if (badBase.length > 0 || badCand.length > 0) found.push({ property: 'run state (an invalid or aborted run cannot be trusted)', baseline: badBase, candidate: badCand })
  return found
}
