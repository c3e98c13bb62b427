import { mkdirSync, readFileSync } from 'node:fs'
import { cpus, loadavg, totalmem } from 'node:os'
import { basename, join, relative } from 'node:path'
import { TelcobenchError } from '../errors.ts'
import { writeCapacityFile, capacitySchemaVersion, type CapacityFile, type CapacityPoint, type CapacityRun, type ConfigurationCapacity } from '../results/index.ts'
import { runScenario, type RunOptions } from '../run/index.ts'
import { producer } from '../run/manifest.ts'
import { preflight } from '../run/preflight.ts'
import { newRunId } from '../run/run-id.ts'
import { loadScenario } from '../run/scenario-source.ts'
import { defaultResultsRoot } from '../runtime/paths.ts'
import { medianOf } from '../stats/index.ts'
import { nameBottleneck } from './bottleneck.ts'
import { configurations, parseVary, type Configuration } from './grid.ts'
import { judgeRun, pointVerdict, runWithoutResults } from './judge.ts'
import { plannerAnswers, scalabilityFamilies } from './planning.ts'
import { paceScenario } from './rate.ts'
import { searchCapacity, type PointVerdict } from './search.ts'
import { parseSlo, type LatencySlo } from './slo.ts'

export interface CapacityOptions {
  scenarioPath: string
  /** `--slo` expressions, e.g. `rated p99<3000`. */
  slos: string[]
  /** `--vary knob=v1,v2` flags. */
  vary: string[]
  /** Runs per point; a point passes only when all pass. @default 2 */
  repeat?: number
  /** First rate tried, ev/s. @default the scenario's own offered rate */
  startEps?: number
  /** @default 1,000,000 */
  maxEps?: number
  /** @default 0.1 */
  resolution?: number
  /** Wall seconds of load per run. @default 40 */
  loadS?: number
  /** `--target` rates the planner's answer speaks to. */
  targets?: number[]
  /** Settings every run shares (runtime, guarantee, `--set` overrides, results root, signal, log). */
  run: Omit<RunOptions, 'scenarioPath' | 'batch' | 'sparkThreads'>
  /** After capacity.json was written (after every point). */
  onWritten?: (dir: string, capacity: CapacityFile) => Promise<void>
}

export interface CapacityOutcome {
  dir: string
  capacity: CapacityFile
}

const usage = (message: string, fix: string): TelcobenchError => new TelcobenchError('TB_USAGE', message, { fix })

function checkNumbers(o: CapacityOptions): void {
  if (o.slos.length === 0) throw usage('capacity needs at least one --slo', "e.g. --slo 'rated p99<3000'")
  if (o.repeat !== undefined && (!Number.isInteger(o.repeat) || o.repeat < 1 || o.repeat > 10)) throw usage(`--repeat ${o.repeat}: each point runs 1 to 10 times`, 'pass --repeat 2 (the default) or another whole number up to 10')
  if (o.resolution !== undefined && !(o.resolution > 0 && o.resolution < 1)) throw usage(`--resolution ${o.resolution}: must be a share between 0 and 1`, 'e.g. --resolution 0.1 (stop when the limit is within 10 % of the capacity)')
  if (o.loadS !== undefined && !(o.loadS >= 10)) throw usage(`--load ${o.loadS}: each run needs at least 10 s of load to judge its lag`, 'e.g. --load 40')
  for (const [flag, v] of [['--start-rate', o.startEps], ['--max-rate', o.maxEps]] as const) {
    if (v !== undefined && !(v > 0)) throw usage(`${flag} ${v}: must be above 0 ev/s`, `e.g. ${flag} 2000`)
  }
}

/**
 * `telcobench capacity`: for each configuration of the grid, the highest rate at which every repeat holds the
 * SLOs (searchCapacity), each point real runs with fresh topics and checkpoints in
 * `<capacity folder>/<configuration>/`; then the bottleneck per configuration, the USL fit per resource family
 * and the planner's answers. capacity.json is rewritten after every point, so a stopped search keeps what it measured.
 */
export async function runCapacity(o: CapacityOptions): Promise<CapacityOutcome> {
  checkNumbers(o)
  const slos: LatencySlo[] = o.slos.map(parseSlo)
  const vary = parseVary(o.vary)
  const grid = configurations(vary)
  const log = o.run.log ?? ((line: string) => { console.error(line) })
  const abort = o.run.signal ?? new AbortController().signal
  const baseOverrides = o.run.overrides ?? []
  if (grid.some((c) => c.sparkThreads !== undefined) && o.run.runtime !== 'local') throw usage('--vary cores sets the embedded Spark threads: it needs the local runtime', 'drop --vary cores, or vary executors through your cluster and run one search per cluster size')
  let text: string
  try {
    text = readFileSync(o.scenarioPath, 'utf8')
  } catch (error) {
    throw new TelcobenchError('TB_USAGE', `cannot read the scenario file ${o.scenarioPath}`, { cause: error, fix: 'check the path; shipped scenarios are in scenarios/' })
  }
  // Every configuration is checked before the first JVM starts: a bad knob value fails now, not an hour in.
  const loaded = loadScenario(o.scenarioPath, { overrides: baseOverrides })
  for (const c of grid) paceScenario(text, o.scenarioPath, [...baseOverrides, ...c.overrides], loaded.plan.offeredEps, o.loadS ?? 40)
  await preflight(o.run.runtime, o.run.bootstrap, loaded.plan)

  const repeat = o.repeat ?? 2
  const loadS = o.loadS ?? 40
  const startEps = o.startEps ?? Math.round(loaded.plan.offeredEps)
  const maxEps = o.maxEps ?? 1_000_000
  const resolution = o.resolution ?? 0.1
  const id = newRunId(`${loaded.plan.name}-capacity`)
  const dir = join(o.run.resultsDir ?? defaultResultsRoot(), id)
  mkdirSync(dir, { recursive: true })
  const cores = cpus().length
  const machine = { cores, memory_gib: Math.round(totalmem() / 2 ** 30), cpu: cpus()[0]?.model ?? 'unknown', load_avg_start: loadavg().map((l) => Math.round(l * 100) / 100), load_avg_end: null }
  const scenarioIntervalMs = loaded.plan.trigger.kind === 'processing-time' ? loaded.plan.trigger.intervalMs : null
  const startedAt = new Date().toISOString()
  const points: CapacityPoint[] = []
  const results: ConfigurationCapacity[] = []
  const file = (finished: boolean): CapacityFile => {
    const scalability = finished ? scalabilityFamilies(vary, results) : []
    return {
      schema_version: capacitySchemaVersion,
      telcobench: producer(),
      capacity_id: id,
      scenario: loaded.plan.name,
      scenario_file: o.scenarioPath,
      started_at: startedAt,
      finished_at: finished ? new Date().toISOString() : null,
      runtime: o.run.runtime,
      machine: finished ? { ...machine, load_avg_end: loadavg().map((l) => Math.round(l * 100) / 100) } : machine,
      search: { slos: slos.map((s) => s.text), vary, repeat, start_eps: startEps, max_eps: maxEps, resolution, load_wall_s: loadS },
      points,
      configurations: results,
      scalability,
      answers: finished ? plannerAnswers(o.targets ?? [], slos, results, scalability) : [],
    }
  }
  const write = async (finished: boolean): Promise<CapacityFile> => {
    const capacity = file(finished)
    writeCapacityFile(dir, capacity)
    await o.onWritten?.(dir, capacity)
    return capacity
  }
  log(`Capacity search ${id}: ${grid.length} configuration(s) × points × ${repeat} repeat(s), ${loadS} s of load per run; SLOs ${slos.map((s) => s.text).join(', ')}; folder ${dir}`)

  for (const config of grid) {
    if (abort.aborted) break
    const configDir = join(dir, slug(config))
    const measure = async (rateEps: number): Promise<PointVerdict> => {
      const runs: CapacityRun[] = []
      for (let k = 1; k <= repeat && !abort.aborted; k++) {
        log(`\n━━ capacity · ${config.label} · ${rateEps} ev/s · run ${k} of ${repeat}`)
        const run = await measureRun(config, rateEps, configDir)
        runs.push(run)
        // A valid failure decides the point (pointVerdict): further repeats could not make it pass.
        if (run.outcome === 'fail') break
      }
      const verdict = pointVerdict(runs)
      points.push({ config: config.label, rate_eps: rateEps, verdict, runs })
      log(`◀ ${config.label} · ${rateEps} ev/s: ${verdict}${verdict === 'pass' ? '' : ` (${runs.flatMap((r) => r.reasons).slice(0, 2).join('; ')})`}`)
      await write(false)
      return verdict
    }
    const measureRun = async (c: Configuration, rateEps: number, into: string): Promise<CapacityRun> => {
      try {
        const paced = paceScenario(text, o.scenarioPath, [...baseOverrides, ...c.overrides], rateEps, loadS)
        const outcome = await runScenario({ ...o.run, scenarioPath: o.scenarioPath, overrides: paced.overrides, resultsDir: into, batch: false, log, ...(c.sparkThreads !== undefined ? { sparkThreads: c.sparkThreads } : {}) })
        return judgeRun(outcome.results, relative(dir, outcome.runDir), slos)
      } catch (error) {
        if (abort.aborted) return runWithoutResults(null, 'interrupted')
        const message = error instanceof TelcobenchError ? `${error.code}: ${error.message}` : error instanceof Error ? error.message : String(error)
        log(`telcobench: a capacity run ended without results: ${message}`)
        return runWithoutResults(null, message)
      }
    }
    const search = await searchCapacity({ startEps, maxEps, minEps: Math.max(1, startEps / 64), resolution, measure, stopped: () => abort.aborted })
    // The bottleneck is read where the system itself failed: the lowest validly failing rate above the capacity,
    // else the point that ended the search (an invalid one names the harness).
    const above = points.filter((p) => p.config === config.label && p.rate_eps > (search.capacityEps ?? 0))
    // A search stopped by Ctrl-C ended at a point it never measured: that point names nothing.
    const evidencePoint = above.filter((p) => p.verdict === 'fail').sort((a, b) => a.rate_eps - b.rate_eps)[0] ?? (search.stoppedBy === 'interrupted' ? undefined : above.find((p) => p.rate_eps === search.limitEps))
    // A run cut short by Ctrl-C measured nothing: it must not name the harness as the limit.
    const limitRuns = (evidencePoint?.runs ?? []).filter((r) => !r.reasons.some((reason) => reason.startsWith('interrupted')))
    const capacityRuns = points.filter((p) => p.config === config.label && p.rate_eps === search.capacityEps).flatMap((p) => p.runs)
    results.push({
      config: config.label,
      settings: config.settings,
      capacity_eps: search.capacityEps,
      limit_eps: search.limitEps,
      stopped_by: search.stoppedBy,
      bottleneck: limitRuns.length === 0 ? null : nameBottleneck(limitRuns, { triggerIntervalMs: config.triggerIntervalMs !== undefined ? config.triggerIntervalMs : scenarioIntervalMs, machineCores: o.run.runtime === 'local' ? cores : null }),
      p99_at_capacity_ms: Object.fromEntries(slos.map((s) => [s.stream, medianOf(capacityRuns.flatMap((r) => (r.p99_ms[s.stream] ?? null) === null ? [] : [r.p99_ms[s.stream] ?? 0]))])),
    })
    log(`Capacity of ${config.label}: ${search.capacityEps === null ? 'none found' : `${search.capacityEps} ev/s`} (stopped by ${search.stoppedBy})`)
  }
  const capacity = await write(!abort.aborted)
  return { dir, capacity }
}

/** A configuration's folder name: its settings, safe for any file system. */
function slug(c: Configuration): string {
  return basename(c.label.replace(/[^A-Za-z0-9.=-]+/g, '_'))
}
