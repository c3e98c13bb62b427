import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { TelcobenchError } from '../errors.ts'
import { readHistograms, readRun, runFiles } from '../results/index.ts'
import type { ComparedRun, Side, SkippedRun } from './types.ts'

const isRunFolder = (dir: string): boolean => existsSync(join(dir, runFiles.results))

function subfolders(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .map((name) => join(dir, name))
    .filter((path) => statSync(path).isDirectory())
}

/** A side's run folders: each path is a run folder, or a set folder (`run --repeat`) whose sub-folders are runs. */
export function runFoldersOf(paths: readonly string[]): { runs: string[]; fromSets: Set<string>; skipped: SkippedRun[] } {
  const runs: string[] = []
  const fromSets = new Set<string>()
  const skipped: SkippedRun[] = []
  for (const path of paths) {
    if (!existsSync(path) || !statSync(path).isDirectory()) {
      throw new TelcobenchError('TB_USAGE', `${path} is not a folder`, { fix: 'pass a run folder (results/<run-id>/) or a set folder written by `telcobench run --repeat`' })
    }
    if (isRunFolder(path)) {
      runs.push(path)
      continue
    }
    const inside = subfolders(path)
    const found = inside.filter(isRunFolder)
    if (found.length === 0) {
      throw new TelcobenchError('TB_USAGE', `${path} holds no ${runFiles.results}, nor does any folder inside it`, { fix: 'pass a run folder (results/<run-id>/) or a set folder written by `telcobench run --repeat`' })
    }
    runs.push(...found)
    for (const dir of found) fromSets.add(dir)
    // A run that did not finish (interrupted, or its harness died) leaves a folder without results.json.
    skipped.push(...inside.filter((dir) => !isRunFolder(dir)).map((dir) => ({ dir, reason: 'no results.json (the run did not finish)' })))
  }
  return { runs, fromSets, skipped }
}

/**
 * Reads one side's runs through the results module. An invalid or aborted run inside a set folder is left out with
 * its reason, as the set's own summary leaves it out; one named on its own is kept, and the comparability check
 * refuses it.
 */
export function readSide(label: Side['label'], paths: readonly string[]): Side {
  const { runs, fromSets, skipped } = runFoldersOf(paths)
  const read: ComparedRun[] = []
  for (const dir of runs) {
    const run = readRun(dir)
    const untrusted = run.results.state === 'invalid' || run.results.state === 'aborted'
    if (untrusted && fromSets.has(dir)) skipped.push({ dir, reason: `the run is ${run.results.state} (${run.results.verdict.reasons[0]?.code ?? 'no reason'})` })
    else read.push({ ...run, histograms: readHistograms(dir) })
  }
  if (read.length === 0) throw new TelcobenchError('TB_USAGE', `the ${label} has no run to compare: ${skipped.map((s) => `${s.dir}: ${s.reason}`).join('; ')}`, { fix: 'run the scenario again (`telcobench run <scenario> --repeat N`) until it has valid runs' })
  return { label, runs: read, skipped }
}
