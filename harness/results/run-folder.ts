import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { z } from 'zod'
import { TelcobenchError } from '../errors.ts'
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

/**
 * Rounds every non-integer to 6 significant digits: the histograms carry 3, the clocks microseconds, and ratios
 * of event counts no more than the counts themselves. Integers (counts, money) stay exact.
 */
export function roundToCarriedPrecision(value: unknown): unknown {
  if (typeof value === 'number') return Number.isInteger(value) || !Number.isFinite(value) ? value : Number(value.toPrecision(6))
  if (Array.isArray(value)) return value.map(roundToCarriedPrecision)
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, roundToCarriedPrecision(v)]))
  return value
}

function checked<S extends z.ZodType>(schema: S, data: unknown, file: string, what: 'writes' | 'reads'): z.output<S> {
  const parsed = schema.safeParse(data)
  if (parsed.success) return parsed.data
  const first = parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
  if (what === 'writes') throw new TelcobenchError('TB_INTERNAL', `telcobench produced a ${file} that breaks its own schema:\n  ${first.join('\n  ')}`)
  throw new TelcobenchError('TB_USAGE', `${file} is not a valid telcobench file:\n  ${first.join('\n  ')}`, { fix: 'point at a run folder written by telcobench, unchanged' })
}

function stringify(value: unknown): string {
  return `${JSON.stringify(roundToCarriedPrecision(value), null, 2)}\n`
}

/** Writes results.json, manifest.json and timeline.json, each checked against its schema first. */
export function writeRunFiles(runDir: string, files: { results: Results; manifest: Manifest; timeline: Timeline | null }): void {
  mkdirSync(runDir, { recursive: true })
  writeFileSync(join(runDir, runFiles.results), stringify(checked(resultsSchema, files.results, runFiles.results, 'writes')))
  writeFileSync(join(runDir, runFiles.manifest), stringify(checked(manifestSchema, files.manifest, runFiles.manifest, 'writes')))
  if (files.timeline !== null) writeFileSync(join(runDir, runFiles.timeline), `${JSON.stringify(roundToCarriedPrecision(checked(timelineSchema, files.timeline, runFiles.timeline, 'writes')))}\n`)
}

function readJson(file: string): unknown {
  if (!existsSync(file)) throw new TelcobenchError('TB_USAGE', `${file} does not exist`, { fix: 'pass a folder that a finished `telcobench run` wrote (results/<run-id>/)' })
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as unknown
  } catch (error) {
    throw new TelcobenchError('TB_USAGE', `${file} is not JSON: ${(error as Error).message}`, { fix: 'restore the file from the run, or run the scenario again' })
  }
}

function assertVersion(file: string, data: unknown, expected: number): void {
  const found = typeof data === 'object' && data !== null ? (data as Record<string, unknown>)['schema_version'] : undefined
  if (found === expected) return
  throw new TelcobenchError('TB_USAGE', `${file} has schema_version ${JSON.stringify(found ?? null)}; this telcobench reads version ${expected}`, {
    fix: found === undefined || (typeof found === 'number' && found < expected) ? 'the run is from an older telcobench: run the scenario again with this version' : 'the run is from a newer telcobench: read it with that version',
  })
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
