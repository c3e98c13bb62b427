import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { assertVersion, checked, readJson, stringify } from './json-file.ts'
import { setSchema, setSchemaVersion } from './schema.ts'
import type { SetFile } from './types.ts'

/** The files of a set folder (`telcobench run --repeat N`) beside its run folders. */
export const setFiles = { set: 'set.json', markdown: 'set.md' } as const

/** A set folder as readSet returns it: set.json typed and validated, and the folder of each run that wrote one. */
export interface SetFolder {
  dir: string
  set: SetFile
  /** Absolute folders of the runs that wrote results, in run order (read each with readRun). */
  runDirs: string[]
}

/** Writes set.json, checked against its schema first. */
export function writeSetFile(setDir: string, set: SetFile): void {
  mkdirSync(setDir, { recursive: true })
  writeFileSync(join(setDir, setFiles.set), stringify(checked(setSchema, set, setFiles.set, 'writes')))
}

/** Reads a set folder's set.json: typed, validated, refused with a clear error when it is from another schema version. */
export function readSet(dir: string): SetFolder {
  const file = join(dir, setFiles.set)
  const raw = readJson(file, 'pass a folder that `telcobench run --repeat N` wrote (results/<scenario>-set-<time>-<id>/)')
  assertVersion(file, raw, setSchemaVersion)
  const set = checked(setSchema, raw, file, 'reads')
  return { dir, set, runDirs: set.runs.flatMap((r) => (r.folder === null ? [] : [join(dir, r.folder)])) }
}
