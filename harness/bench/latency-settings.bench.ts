/**
 * Latency settings compared in one run: a scenario run once per variant per round, the variants interleaved round by
 * round (A B C, A B C, …) so that whatever else loads the machine falls on every variant alike.
 *
 *   npx tsx harness/bench/latency-settings.bench.ts scenarios/quickstart.yaml --rounds 2 \
 *     --variant 'default=' --variant 'trigger0=pipeline.trigger={kind: processing-time, interval: 0s}'
 *
 * A variant is `name=` followed by `--set` values separated by ` ; ` (none for the baseline); an item
 * `--broker-profile <profile>` starts that variant's broker with those JVM flags instead. Printed per variant:
 * the median over the rounds of the rated p50 and p99, of each latency-breakdown stage's mean (docs/method.md
 * §1.1a) and of each Spark query's trigger execution p50, with the runs' states and the load averages seen; then
 * each run's rated p99 and the machine's single-core speed measured just before it (cpuSpeedMBps), so runs made on a
 * slower or faster host can be told apart. Nothing is asserted: it measures. The runs stay in --results (default
 * results/latency-bench-<time>) to be compared with `telcobench compare`.
 */
import { loadavg } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import type { Results } from '../results/index.ts'
import { brokerJvmProfiles, type BrokerJvmProfile } from '../runtime/index.ts'
import { runScenario } from '../run/run.ts'
import { loadScenario } from '../run/scenario-source.ts'
import { medianOf } from '../stats/index.ts'
import { cpuSpeedMBps } from './cpu-speed.ts'

interface Variant {
  name: string
  overrides: string[]
  brokerProfile?: BrokerJvmProfile
}

const brokerProfileItem = '--broker-profile '

function parseVariant(text: string): Variant {
  const eq = text.indexOf('=')
  if (eq <= 0) throw new Error(`--variant ${text}: write name=key=value ; key=value (or name= for the baseline)`)
  const items = text.slice(eq + 1).split(' ; ').map((s) => s.trim()).filter((s) => s !== '')
  const profile = items.find((i) => i.startsWith(brokerProfileItem))?.slice(brokerProfileItem.length).trim()
  if (profile !== undefined && !(profile in brokerJvmProfiles)) {
    throw new Error(`--variant ${text}: no broker profile ${profile} (there are ${Object.keys(brokerJvmProfiles).join(', ')})`)
  }
  const variant: Variant = { name: text.slice(0, eq), overrides: items.filter((i) => !i.startsWith(brokerProfileItem)) }
  if (profile !== undefined) variant.brokerProfile = profile as BrokerJvmProfile
  return variant
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { variant: { type: 'string', multiple: true }, rounds: { type: 'string', default: '2' }, results: { type: 'string' } },
})
const scenarioPath = positionals[0]
if (scenarioPath === undefined) throw new Error('give the scenario file, e.g. scenarios/quickstart.yaml')
const variants = (values.variant ?? ['default=']).map(parseVariant)
const rounds = Number(values.rounds)
const resultsDir = values.results ?? join('results', `latency-bench-${new Date().toISOString().replace(/[-:]/g, '').slice(0, 15)}`)

// Every variant's scenario is checked before the first run, so a typo does not end the bench halfway.
for (const v of variants) loadScenario(scenarioPath, { overrides: v.overrides })

const byVariant = new Map<string, { results: Results; load: number; speed: number }[]>(variants.map((v) => [v.name, []]))
for (let round = 1; round <= rounds; round++) {
  for (const v of variants) {
    const load = loadavg()[0] ?? 0
    const speed = cpuSpeedMBps()
    const profileText = v.brokerProfile === undefined ? '' : ` --broker-profile ${v.brokerProfile}`
    console.error(`round ${round}/${rounds} · ${v.name} ${v.overrides.map((o) => `--set '${o}'`).join(' ')}${profileText} · load ${load.toFixed(1)} · cpu ${speed.toFixed(0)} MB/s`)
    const outcome = await runScenario({ scenarioPath, runtime: 'local', overrides: v.overrides, batch: false, resultsDir: join(resultsDir, v.name), log: () => undefined, ...(v.brokerProfile === undefined ? {} : { brokerProfile: v.brokerProfile }) })
    byVariant.get(v.name)?.push({ results: outcome.results, load, speed })
  }
}

const msText = (x: number | null | undefined): string => (typeof x === 'number' ? Math.round(x).toLocaleString('en-US') : 'n/a')
const median = (xs: (number | null | undefined)[]): string => msText(medianOf(xs.filter((x): x is number => typeof x === 'number')))
console.log(`\n${scenarioPath}, ${rounds} round(s), variants interleaved; medians over the rounds, ms`)
for (const v of variants) {
  const runs = byVariant.get(v.name) ?? []
  const stages = runs[0]?.results.latency_breakdown?.stages.map((s) => s.stage) ?? []
  const stageText = stages.map((stage) => `${stage} ${median(runs.map((r) => r.results.latency_breakdown?.stages.find((s) => s.stage === stage)?.mean_ms))}`).join(' · ')
  const queries = Object.keys(runs[0]?.results.engine ?? {})
  const triggerText = queries.map((q) => `${q} ${median(runs.map((r) => r.results.engine[q]?.trigger_execution_ms.p50))}`).join(' · ')
  console.log(`${v.name.padEnd(14)} rated p50 ${median(runs.map((r) => r.results.latency['rated']?.p50))} p99 ${median(runs.map((r) => r.results.latency['rated']?.p99))} · states ${runs.map((r) => r.results.state).join(',')} · load ${runs.map((r) => r.load.toFixed(1)).join(',')}`)
  console.log(`${''.padEnd(14)} per run: rated p99 ${runs.map((r) => msText(r.results.latency['rated']?.p99)).join(' · ')} · cpu ${runs.map((r) => r.speed.toFixed(0)).join(',')} MB/s before the run`)
  console.log(`${''.padEnd(14)} stage means: ${stageText}`)
  console.log(`${''.padEnd(14)} trigger p50: ${triggerText}`)
}
console.log(`runs: ${resultsDir}`)
