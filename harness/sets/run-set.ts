import { mkdirSync } from 'node:fs'
import { basename, join } from 'node:path'
import { ExitCode, exitCodeFor, exitCodeForRun, TelcobenchError } from '../errors.ts'
import { writeSetFile, type SetFile } from '../results/index.ts'
import { runScenario, type RunOptions, type RunOutcome } from '../run/index.ts'
import { producer } from '../run/manifest.ts'
import { preflight } from '../run/preflight.ts'
import { newRunId } from '../run/run-id.ts'
import { loadScenario } from '../run/scenario-source.ts'
import { defaultResultsRoot } from '../runtime/paths.ts'
import { runFigures, summarizeSet, type SetRunInput } from './summary.ts'

/** The most runs one set may ask for (`--repeat`): 100 runs of the shortest scenario already take hours. */
export const maxRepeat = 100

export interface SetOptions {
  /** How many runs, 1..{@link maxRepeat}. */
  repeat: number
  /** The options of every run; `resultsDir` is where the set folder goes (default results/). */
  run: RunOptions
  /** After each run that wrote results (the CLI renders its report and summary here). */
  onRunDone?: (outcome: RunOutcome, index: number) => Promise<void>
  /** After set.json was written (after every run, so a stopped set keeps what it measured). */
  onSetWritten?: (setDir: string, set: SetFile) => Promise<void>
}

export interface SetOutcome {
  setDir: string
  set: SetFile
}

/** The error line telcobench prints for a run that ended without results. */
function errorLine(error: unknown): string {
  if (error instanceof TelcobenchError) return `${error.message}${error.fix !== undefined ? ` (fix: ${error.fix})` : ''}`
  return error instanceof Error ? (error.stack ?? error.message) : String(error)
}

/**
 * `telcobench run <scenario> --repeat N`: N runs of one scenario in sequence, each a normal run folder inside one
 * set folder `<results>/<scenario>-set-<time>-<id>/` with set.json (harness/sets/summary.ts). A run that ends in an
 * error is recorded with its exit code and the set goes on; an interrupt ends the set after the run it stopped.
 */
export async function runSet(o: SetOptions): Promise<SetOutcome> {
  if (!Number.isInteger(o.repeat) || o.repeat < 1 || o.repeat > maxRepeat) {
    throw new TelcobenchError('TB_USAGE', `--repeat ${o.repeat}: a set holds 1 to ${maxRepeat} runs`, { fix: `pass --repeat with a whole number from 1 to ${maxRepeat}` })
  }
  const log = o.run.log ?? ((line: string) => { console.error(line) })
  const abort = o.run.signal ?? new AbortController().signal
  // Refused scenarios and flags fail here, before the set folder exists (every run would be refused alike).
  const scenario = loadScenario(o.run.scenarioPath, { overrides: o.run.overrides ?? [], ...(o.run.guarantee !== undefined ? { guarantee: o.run.guarantee } : {}), ...(o.run.engine !== undefined ? { engine: o.run.engine } : {}) })
  await preflight(o.run.runtime, o.run.bootstrap, scenario.plan)
  const setId = newRunId(`${scenario.plan.name}-set`)
  const setDir = join(o.run.resultsDir ?? defaultResultsRoot(), setId)
  mkdirSync(setDir, { recursive: true })
  const header = { telcobench: producer(), set_id: setId, scenario: scenario.plan.name, scenario_file: o.run.scenarioPath, started_at: new Date().toISOString(), repeat: o.repeat }
  const runs: SetRunInput[] = []
  let set = summarizeSet(header, runs, false)
  for (let index = 1; index <= o.repeat && !abort.aborted; index++) {
    log(`\n━━ run ${index} of ${o.repeat} · set ${setId}`)
    let outcome: RunOutcome | null = null
    try {
      outcome = await runScenario({ ...o.run, resultsDir: setDir, log })
      runs.push({ index, folder: basename(outcome.runDir), exitCode: exitCodeForRun(outcome.results.state, outcome.results.verdict.reasons.map((r) => r.code)), run: runFigures(outcome.results) })
    } catch (error) {
      const exitCode = abort.aborted ? ExitCode.interrupted : error instanceof TelcobenchError ? exitCodeFor(error.code) : ExitCode.internal
      log(`telcobench: run ${index} of the set ended without results (exit ${exitCode}): ${errorLine(error)}`)
      runs.push({ index, exitCode, error: abort.aborted ? 'interrupted' : errorLine(error) })
    }
    set = summarizeSet(header, runs, abort.aborted)
    writeSetFile(setDir, set)
    if (outcome !== null) await o.onRunDone?.(outcome, index)
    await o.onSetWritten?.(setDir, set)
  }
  return { setDir, set }
}
