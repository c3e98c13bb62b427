import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { assertVersion, checked, readJson, roundToCarriedPrecision, stringify } from './json-file.ts'
import { manifestSchema, manifestSchemaVersion, resultsSchema, resultsSchemaVersion, timelineSchema, timelineSchemaVersion } from './schema.ts'
import type { Manifest, Results, Timeline } from './types.ts'

/** The files of a run folder that readRun and writeRunFiles know by name. */
export const runFiles = { results: 'results.json', manifest: 'manifest.json', timeline: 'timeline.json', histograms: 'histograms', resolvedScenario: 'scenario.resolved.json' } as const

/** A run folder as readRun returns it: typed and validated. */
export interface RunFolder {
  dir: string
  results: Results
  manifest: Manifest
  /** Null when the run wrote no timeline (a run stopped before its load ended). */
  timeline: Timeline | null
}

/** Writes results.json, manifest.json and timeline.json, each checked against its schema first. */
export function writeRunFiles(runDir: string, files: { results: Results; manifest: Manifest; timeline: Timeline | null }): void {
  mkdirSync(runDir, { recursive: true })
  writeFileSync(join(runDir, runFiles.results), stringify(checked(resultsSchema, files.results, runFiles.results, 'writes')))
  writeFileSync(join(runDir, runFiles.manifest), stringify(checked(manifestSchema, files.manifest, runFiles.manifest, 'writes')))
  if (files.timeline !== null) writeFileSync(join(runDir, runFiles.timeline), `${JSON.stringify(roundToCarriedPrecision(checked(timelineSchema, files.timeline, runFiles.timeline, 'writes')))}\n`)
}

/** Reads a run folder: every file typed, validated, and refused with a clear error when it is from another schema version. */
export function readRun(dir: string): RunFolder {
  const resultsFile = join(dir, runFiles.results)
  const manifestFile = join(dir, runFiles.manifest)
  const timelineFile = join(dir, runFiles.timeline)
  const results = readJson(resultsFile)
  assertVersion(resultsFile, results, resultsSchemaVersion)
  const manifest = readJson(manifestFile)
  assertVersion(manifestFile, manifest, manifestSchemaVersion)
  let timeline: Timeline | null = null
  if (existsSync(timelineFile)) {
    const raw = readJson(timelineFile)
    assertVersion(timelineFile, raw, timelineSchemaVersion)
    timeline = checked(timelineSchema, raw, timelineFile, 'reads')
  }
  return { dir, results: checked(resultsSchema, results, resultsFile, 'reads'), manifest: checked(manifestSchema, manifest, manifestFile, 'reads'), timeline }
}
