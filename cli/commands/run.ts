import { ExitCode, exitCodeForRun, TelcobenchError } from '../../harness/errors.ts'
import type { KafkaConnection } from '../../harness/kafka/index.ts'
import { runScenario, type RunOptions, type RunOutcome } from '../../harness/run/index.ts'
import { runSet } from '../../harness/sets/index.ts'
import { writeFileSync } from 'node:fs'
import { isAbsolute, join, relative } from 'node:path'
import type { Dashboard } from '../../reports/index.ts'
import type { RunCliOptions } from '../program.ts'
import { installSignalHandlers } from '../signals.ts'

/** TLS and SASL settings from `--tls`, `--sasl-*` (the password only from the environment). */
export function kafkaSecurityFromFlags(o: Pick<RunCliOptions, 'tls' | 'saslMechanism' | 'saslUsername' | 'saslPasswordEnv'>): Pick<KafkaConnection, 'tls' | 'sasl'> {
  const result: Pick<KafkaConnection, 'tls' | 'sasl'> = {}
  if (o.tls === true) result.tls = true
  if (o.saslMechanism !== undefined) {
    const mechanism = o.saslMechanism
    const envName = o.saslPasswordEnv ?? 'TELCOBENCH_SASL_PASSWORD'
    const password = process.env[envName]
    if (o.saslUsername === undefined || password === undefined) {
      throw new TelcobenchError('TB_USAGE', 'SASL needs a user name and a password', { fix: `pass --sasl-username and put the password in $${envName} (never on the command line)` })
    }
    result.sasl = { mechanism, username: o.saslUsername, password }
  }
  return result
}

const externalOnly = [
  ['bootstrap', '--bootstrap'],
  ['tls', '--tls'],
  ['saslMechanism', '--sasl-mechanism'],
  ['saslUsername', '--sasl-username'],
  ['saslPasswordEnv', '--sasl-password-env'],
  ['sparkMaster', '--spark-master'],
  ['sparkSubmit', '--spark-submit'],
] as const

/** Flag combinations that cannot work, refused before the run folder exists or a JVM starts (the harness's preflight checks the rest). */
function checkRuntimeFlags(o: RunCliOptions): void {
  if (o.runtime !== 'external') {
    const stray = externalOnly.filter(([key]) => o[key] !== undefined).map(([, flag]) => flag)
    if (stray.length > 0) throw new TelcobenchError('TB_USAGE', `${stray.join(', ')} only apply to --runtime external (this run uses --runtime ${o.runtime})`, { fix: `add --runtime external, or drop ${stray.join(', ')}` })
    return
  }
  if (o.sparkSubmit !== undefined && o.sparkMaster === undefined) throw new TelcobenchError('TB_USAGE', '--spark-submit needs --spark-master', { fix: 'pass --spark-master spark://host:7077 (or yarn, k8s://…), or drop --spark-submit to run Spark as a local child JVM' })
}

/** A path as the user would type it from here: relative when it is under the working directory. */
function shown(path: string): string {
  const rel = relative(process.cwd(), path)
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path
}

/** The run settings `run` and `capacity` take from the same flags. */
export function sharedRunOptions(o: Pick<RunCliOptions, 'runtime' | 'set' | 'guarantee' | 'bootstrap' | 'sparkMaster' | 'sparkSubmit' | 'results' | 'generatorWorkers'>, signal: AbortSignal, log: (line: string) => void): Omit<RunOptions, 'scenarioPath'> {
  return {
    runtime: o.runtime,
    overrides: o.set,
    commandLine: ['telcobench', ...process.argv.slice(2)],
    signal,
    log,
    ...(o.guarantee !== undefined ? { guarantee: o.guarantee } : {}),
    ...(o.bootstrap !== undefined ? { bootstrap: o.bootstrap } : {}),
    ...(o.sparkMaster !== undefined ? { sparkSubmit: { command: o.sparkSubmit ?? 'spark-submit', master: o.sparkMaster, extraArgs: [], sparkVersion: '4.1.1' } } : {}),
    ...(o.results !== undefined ? { resultsDir: o.results } : {}),
    ...(o.generatorWorkers !== undefined ? { generatorWorkers: o.generatorWorkers } : {}),
  }
}

/** `telcobench run`: returns the exit code of the documented table. */
export async function runCommand(scenarioPath: string, o: RunCliOptions): Promise<number> {
  const startedMs = performance.now()
  const controller = new AbortController()
  const log = (line: string): void => {
    console.error(line)
  }
  checkRuntimeFlags(o)
  installSignalHandlers(controller, log)
  const options: RunOptions = {
    scenarioPath,
    ...sharedRunOptions(o, controller.signal, log),
    ...(o.engine !== undefined ? { engine: o.engine } : {}),
    ...(o.runtime === 'external' ? { security: kafkaSecurityFromFlags(o) } : {}),
    ...(o.cassandra !== undefined ? { cassandra: o.cassandra } : {}),
    ...(o.batch !== undefined ? { batch: o.batch } : {}),
    ...(o.kafkaClient !== undefined ? { kafkaClient: o.kafkaClient } : {}),
    ...(o.brokerProfile !== undefined ? { brokerProfile: o.brokerProfile } : {}),
    ...(o.keepKafkaData === true ? { keepKafkaData: true } : {}),
    ...(o.keepCheckpoints === true ? { keepCheckpoints: true } : {}),
    ...(o.model !== undefined ? { modelDir: o.model } : {}),
  }
  try {
    if (o.repeat !== undefined) return await runSetCommand(options, o.repeat, startedMs)
    const dashboard = o.dashboard === true ? await startLiveDashboard(options, log) : null
    const cpuBefore = process.cpuUsage()
    const outcome = await runScenario(options).finally(() => dashboard?.close())
    if (dashboard !== null) writeDashboardCost(outcome, dashboard.published, process.cpuUsage(cpuBefore), log)
    const { code, html } = await reportRun(outcome)
    console.log(`report: ${shown(html)} · ${((performance.now() - startedMs) / 1000).toFixed(1)} s wall in all · exit code ${code} (${outcome.results.state})`)
    return code
  } catch (error) {
    if (controller.signal.aborted) {
      console.error('telcobench: interrupted; every child process was stopped')
      return ExitCode.interrupted
    }
    throw error
  }
}

/** Starts the live dashboard and routes the run's snapshots to it. */
async function startLiveDashboard(options: RunOptions, log: (line: string) => void): Promise<Dashboard> {
  const { startDashboard } = await import('../../reports/index.ts')
  const dashboard = await startDashboard()
  log(`dashboard: ${dashboard.url} (live while the run goes)`)
  options.live = (snapshot) => {
    dashboard.publish(snapshot)
  }
  return dashboard
}

/** dashboard.json in the run folder: what the live dashboard cost against the harness's whole CPU time. */
function writeDashboardCost(outcome: RunOutcome, published: number, harnessCpu: NodeJS.CpuUsage, log: (line: string) => void): void {
  const cost = outcome.liveFeedCost
  if (cost === null) return
  const harnessCpuS = (harnessCpu.user + harnessCpu.system) / 1e6
  const feedCpuS = cost.cpu_ms / 1000
  const share = harnessCpuS > 0 ? feedCpuS / harnessCpuS : null
  const record = { snapshots: published, feed_cpu_s: feedCpuS, harness_cpu_s: harnessCpuS, share_of_harness_cpu: share, max_tick_ms: cost.max_tick_ms }
  writeFileSync(join(outcome.runDir, 'dashboard.json'), `${JSON.stringify(record, null, 2)}\n`)
  log(`dashboard: ${published} snapshots cost ${feedCpuS.toFixed(2)} s CPU, ${share === null ? '–' : (share * 100).toFixed(2)} % of the harness's ${harnessCpuS.toFixed(1)} s; longest tick ${cost.max_tick_ms.toFixed(1)} ms`)
}

const useColor = (): boolean => process.stdout.isTTY && process.env['NO_COLOR'] === undefined

/** Renders a finished run's report and prints its summary; returns its exit code and the report's path. */
async function reportRun({ runDir, results }: RunOutcome): Promise<{ code: number; html: string }> {
  // Loaded only now: vega takes most of a second to load, which no other verb (and no failed run) should pay.
  const { renderSummary, writeRunReport } = await import('../../reports/index.ts')
  const { run, files } = await writeRunReport(runDir)
  console.log(renderSummary(run, useColor()))
  console.log(`\nresults: ${shown(runDir)}/ (results.json, summary.md, timeline.csv, charts/, histograms/)`)
  return { code: exitCodeForRun(results.state, results.verdict.reasons.map((r) => r.code)), html: files.html }
}

/** `--repeat N`: the runs one after another in one set folder, each reported as a single run is, then the set. */
async function runSetCommand(options: RunOptions, repeat: number, startedMs: number): Promise<number> {
  const { setDir, set } = await runSet({
    repeat,
    run: options,
    onRunDone: async (outcome, index) => {
      const { code, html } = await reportRun(outcome)
      console.log(`report: ${shown(html)} · run ${index} of ${repeat} · exit code ${code} (${outcome.results.state})`)
    },
    onSetWritten: async (dir) => {
      const { writeSetMarkdown } = await import('../../reports/index.ts')
      writeSetMarkdown(dir)
    },
  })
  const { renderSetSummary } = await import('../../reports/index.ts')
  console.log(renderSetSummary(set, useColor()))
  console.log(`\nset: ${shown(setDir)}/ (set.json, set.md, one folder per run) · ${((performance.now() - startedMs) / 1000).toFixed(1)} s wall in all · exit code ${set.exit_code}`)
  return set.exit_code
}
