import { copyFileSync, mkdirSync, readFileSync } from 'node:fs'
import { loadavg } from 'node:os'
import { join, relative } from 'node:path'
import { paceScenario, runCapacity } from '../capacity/index.ts'
import { ExitCode, TelcobenchError } from '../errors.ts'
import { evaluationFiles, evaluationSchemaVersion, readRun, readSet, writeEvaluationFile, type CapacityFile, type EvaluationExperiment, type EvaluationFile } from '../results/index.ts'
import type { RunOptions, RunOutcome } from '../run/index.ts'
import { environmentManifest, producer } from '../run/manifest.ts'
import { newRunId } from '../run/run-id.ts'
import { detectJava } from '../runtime/java.ts'
import { defaultResultsRoot } from '../runtime/paths.ts'
import { runSet } from '../sets/index.ts'
import { evaluateQuestions, figureOver } from './evaluate.ts'
import { formatMinutes, suiteEstimate, unavailable } from './estimate.ts'
import { capacityFigure, figureUnit, runFigure } from './figures.ts'
import type { PlannedExperiment } from './plan.ts'
import type { SuiteSize } from './suite-schema.ts'
import { loadSuite } from './validate-suite.ts'

export interface SuiteOptions {
  suitePath: string
  size: SuiteSize
  /** Where the suite folder goes. @default results/ in the working directory */
  outDir?: string
  /** What every run shares: the runtime and its settings, the signal, the log, the command line. */
  run: Omit<RunOptions, 'scenarioPath' | 'overrides' | 'resultsDir' | 'engine' | 'guarantee' | 'batch' | 'sparkThreads'>
  /** After each run that wrote results (the CLI renders its report). */
  onRunDone?: (outcome: RunOutcome) => Promise<void>
  /** After a set folder's set.json was written. */
  onSetWritten?: (setDir: string) => Promise<void>
  /** After a capacity folder's capacity.json was written. */
  onCapacityWritten?: (dir: string) => Promise<void>
  /** After evaluation.json was written (after every experiment). */
  onEvaluationWritten?: (dir: string, evaluation: EvaluationFile) => Promise<void>
}

export interface SuiteOutcome {
  dir: string
  evaluation: EvaluationFile
  /** 0 when every experiment was attempted, 130 when the suite was interrupted. */
  exitCode: number
}

const loadNow = (): number[] => loadavg().map((l) => Math.round(l * 100) / 100)

async function javaVersion(): Promise<string> {
  try {
    return (await detectJava()).version
  } catch {
    return 'not found'
  }
}

/**
 * `telcobench reproduce`: every experiment of the suite at one size, in the file's order, each in its own folder
 * of the suite folder `<out>/<suite>-<size>-<time>-<id>/` (a run experiment's set folder, a capacity search's
 * folder), the suite file copied beside them, and evaluation.json rewritten after each experiment with its figures
 * and the verdicts so far, so a stopped suite keeps what it measured.
 */
export async function runSuite(o: SuiteOptions): Promise<SuiteOutcome> {
  const { suite, plans } = loadSuite(o.suitePath)
  const plan = plans[o.size]
  const log = o.run.log ?? ((line: string) => { console.error(line) })
  const abort = o.run.signal ?? new AbortController().signal
  const estimate = suiteEstimate(plan, o.run.runtime)
  const id = newRunId(`${suite.name}-${o.size}`)
  const dir = join(o.outDir ?? defaultResultsRoot(), id)
  mkdirSync(dir, { recursive: true })
  copyFileSync(o.suitePath, join(dir, evaluationFiles.suite))
  log(`Suite ${suite.name} (--${o.size}): ${plan.length} experiments; estimated at most ${formatMinutes(estimate.seconds)} of wall time on this runtime (${o.run.runtime}); folder ${dir}`)
  for (const line of estimate.lines) log(line)
  const startedMs = performance.now()
  const environment = environmentManifest(await javaVersion())
  const startedAt = new Date().toISOString()
  const loadStart = loadNow()
  const experiments: EvaluationExperiment[] = plan.map((e) => pendingExperiment(e))
  const file = (finished: boolean): EvaluationFile => ({
    schema_version: evaluationSchemaVersion,
    telcobench: producer(),
    suite_id: id,
    suite: suite.name,
    title: suite.title,
    paper: suite.paper,
    size: o.size,
    suite_file: evaluationFiles.suite,
    suite_source: o.suitePath,
    started_at: startedAt,
    finished_at: finished ? new Date().toISOString() : null,
    interrupted: abort.aborted,
    runtime: o.run.runtime,
    estimate_s: estimate.seconds,
    elapsed_s: finished ? (performance.now() - startedMs) / 1000 : null,
    provenance: { command_line: o.run.commandLine ?? [], versions: environment.versions, machine: environment.machine, load_avg_start: loadStart, load_avg_end: finished ? loadNow() : null },
    threats: suite.threats,
    experiments,
    questions: evaluateQuestions(suite.questions, experiments),
  })
  const write = async (finished: boolean): Promise<EvaluationFile> => {
    const evaluation = file(finished)
    writeEvaluationFile(dir, evaluation)
    await o.onEvaluationWritten?.(dir, evaluation)
    return evaluation
  }
  await write(false)
  for (const [index, e] of plan.entries()) {
    const why = abort.aborted ? 'interrupted before it started' : (e.skip !== null ? `left out of --${o.size}: ${e.skip}` : unavailable(e.requires, o.run.runtime))
    if (why !== null) {
      experiments[index] = { ...pendingExperiment(e), status: 'not-measured', reason: why }
      log(`\n━━ ${e.id}: not measured (${why})`)
      continue
    }
    log(`\n━━ ${e.question} · ${e.id} (${index + 1} of ${plan.length}): ${e.title}`)
    const started = performance.now()
    try {
      const measured = e.kind === 'run' ? await runExperiment(e, experiments, dir, o, log) : await capacityExperiment(e, dir, o)
      experiments[index] = { ...measured, elapsed_s: (performance.now() - started) / 1000 }
    } catch (error) {
      const message = error instanceof TelcobenchError ? `${error.message}${error.fix !== undefined ? ` (fix: ${error.fix})` : ''}` : error instanceof Error ? error.message : String(error)
      if (!(error instanceof TelcobenchError) && !abort.aborted) throw error
      log(`telcobench: experiment ${e.id} ended without results: ${message}`)
      experiments[index] = { ...pendingExperiment(e), status: 'not-measured', reason: abort.aborted ? 'interrupted' : `it ended in an error: ${message}`, elapsed_s: (performance.now() - started) / 1000 }
    }
    await write(false)
  }
  const evaluation = await write(true)
  return { dir, evaluation, exitCode: abort.aborted ? ExitCode.interrupted : ExitCode.passed }
}

function pendingExperiment(e: PlannedExperiment): EvaluationExperiment {
  return {
    id: e.id,
    question: e.question,
    title: e.title,
    kind: e.kind,
    scenario: e.scenarioName,
    scenario_file: e.scenarioFile,
    overrides: e.overrides,
    engine: e.engine ?? null,
    guarantee: e.guarantee ?? null,
    batch: e.batch,
    repeats: e.repeats,
    capacity: e.capacity === null ? null : Object.fromEntries(Object.entries(e.capacity).filter(([, v]) => v !== undefined)),
    paced_eps: null,
    status: 'pending',
    reason: null,
    folder: null,
    runs: [],
    figures: {},
    elapsed_s: null,
  }
}

/** A run experiment: `repeats` runs in one set folder (harness/sets), paced at a share of a capacity when it says so. */
async function runExperiment(e: PlannedExperiment, done: readonly EvaluationExperiment[], dir: string, o: SuiteOptions, log: (line: string) => void): Promise<EvaluationExperiment> {
  let overrides = e.overrides
  let pacedEps: number | null = null
  if (e.atCapacity !== null) {
    const capacity = done.find((x) => x.id === e.atCapacity?.experiment)?.figures['capacity_eps']?.median ?? null
    if (capacity === null) return { ...pendingExperiment(e), status: 'not-measured', reason: `it runs at ${e.atCapacity.fraction} of the capacity ${e.atCapacity.experiment} finds, which was not measured` }
    pacedEps = Math.round(capacity * e.atCapacity.fraction)
    overrides = paceScenario(readFileSync(e.scenarioPath, 'utf8'), e.scenarioPath, e.overrides, pacedEps, e.loadWallS).overrides
    log(`${e.id}: ${pacedEps} ev/s, ${e.atCapacity.fraction} of the ${capacity} ev/s ${e.atCapacity.experiment} found`)
  }
  const { setDir, set } = await runSet({
    repeat: e.repeats,
    run: { ...o.run, scenarioPath: e.scenarioPath, overrides, resultsDir: join(dir, e.id), batch: e.batch, ...(e.engine !== undefined ? { engine: e.engine } : {}), ...(e.guarantee !== undefined ? { guarantee: e.guarantee } : {}) },
    ...(o.onRunDone !== undefined ? { onRunDone: o.onRunDone } : {}),
    ...(o.onSetWritten !== undefined ? { onSetWritten: o.onSetWritten } : {}),
  })
  const { runDirs } = readSet(setDir)
  const results = new Map(runDirs.map((d) => {
    const r = readRun(d).results
    return [r.run_id, r] as const
  }))
  const counted = set.runs.map((r) => (r.counted && r.run_id !== null ? (results.get(r.run_id) ?? null) : null))
  const figures = Object.fromEntries(e.figures.map((name) => {
    const values = counted.map((r) => (r === null ? null : runFigure(r, name)))
    const unit = values.find((v) => v !== null)?.unit ?? figureUnit(name)
    return [name, figureOver(unit, values.map((v) => v?.value ?? null))]
  }))
  return {
    ...pendingExperiment(e),
    overrides,
    paced_eps: pacedEps,
    status: 'measured',
    folder: relative(dir, setDir),
    runs: set.runs.map((r) => ({ folder: r.folder === null ? null : relative(dir, join(setDir, r.folder)), state: r.state, counted: r.counted })),
    figures,
  }
}

/** A capacity experiment: one search (harness/capacity) in its own folder. */
async function capacityExperiment(e: PlannedExperiment, dir: string, o: SuiteOptions): Promise<EvaluationExperiment> {
  const c = e.capacity ?? {}
  const { dir: capacityDir, capacity } = await runCapacity({
    scenarioPath: e.scenarioPath,
    slos: c.slo ?? [],
    vary: c.vary ?? [],
    ...(c.repeat !== undefined ? { repeat: c.repeat } : {}),
    ...(c.startRate !== undefined ? { startEps: c.startRate } : {}),
    ...(c.maxRate !== undefined ? { maxEps: c.maxRate } : {}),
    ...(c.resolution !== undefined ? { resolution: c.resolution } : {}),
    ...(c.load !== undefined ? { loadS: c.load } : {}),
    run: { ...o.run, overrides: e.overrides, resultsDir: join(dir, e.id), ...(e.engine !== undefined ? { engine: e.engine } : {}), ...(e.guarantee !== undefined ? { guarantee: e.guarantee } : {}) },
    ...(o.onCapacityWritten !== undefined ? { onWritten: async (folder: string) => { await o.onCapacityWritten?.(folder) } } : {}),
  })
  return {
    ...pendingExperiment(e),
    status: 'measured',
    folder: relative(dir, capacityDir),
    runs: capacityRuns(capacity, capacityDir, dir),
    figures: Object.fromEntries(e.figures.map((name) => {
      const f = capacityFigure(capacity, name)
      return [name, figureOver(f.unit, [f.value])]
    })),
  }
}

function capacityRuns(c: CapacityFile, capacityDir: string, dir: string): EvaluationExperiment['runs'] {
  return c.points.flatMap((p) => p.runs.map((r) => ({ folder: r.folder === null ? null : relative(dir, join(capacityDir, r.folder)), state: r.outcome, counted: r.outcome !== 'invalid' })))
}
