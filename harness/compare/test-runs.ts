import { fileURLToPath } from 'node:url'
import { readHistograms, readRun } from '../results/index.ts'
import type { ComparedRun, Side } from './types.ts'

/** A real quickstart run folder kept for tests (read-only: copy it before changing anything). */
export const fixtureRunDir = fileURLToPath(new URL('../../test/fixtures/run-quickstart/', import.meta.url))

/** The stored run as compare reads it. */
export function fixtureRun(): ComparedRun {
  return { ...readRun(fixtureRunDir), histograms: readHistograms(fixtureRunDir) }
}

/** A side of the given runs. */
export function sideOf(label: Side['label'], runs: ComparedRun[]): Side {
  return { label, runs, skipped: [] }
}
