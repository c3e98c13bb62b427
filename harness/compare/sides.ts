import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { TelcobenchError } from '../errors.ts'
import { readHistograms, readRun, runFiles } from '../results/index.ts'
import type { ComparedRun, Side } from './types.ts'

const isRunFolder = (dir: string): boolean => existsSync(join(dir, runFiles.results))

function subfolders(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .map((name) => join(dir, name))
    .filter((path) => statSync(path).isDirectory())
}

/** A side's run folders: each path is a run folder, or a set folder (`run --repeat`) whose sub-folders are runs. */
export function runFoldersOf(paths: readonly string[]): { runs: string[]; skipped: string[] } {
  const runs: string[] = []
  const skipped: string[] = []
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
    // A run that did not finish (interrupted, or its harness died) leaves a folder without results.json.
    skipped.push(...inside.filter((dir) => !isRunFolder(dir)))
  }
  return { runs, skipped }
}

/** Reads one side's runs through the results module. */
export function readSide(label: Side['label'], paths: readonly string[]): Side {
  const { runs, skipped } = runFoldersOf(paths)
  const read = runs.map((dir): ComparedRun => ({ ...readRun(dir), histograms: readHistograms(dir) }))
  return { label, runs: read, skipped }
}
