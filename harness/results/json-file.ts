import { existsSync, readFileSync } from 'node:fs'
import type { z } from 'zod'
import { TelcobenchError } from '../errors.ts'

/** Reading and writing the results module's JSON files: schema checks, version checks and the carried precision. */

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

/** Parses `data` with `schema`; a file telcobench writes that breaks it is a bug (exit 70), one it reads a usage error (exit 2). */
export function checked<S extends z.ZodType>(schema: S, data: unknown, file: string, what: 'writes' | 'reads'): z.output<S> {
  const parsed = schema.safeParse(data)
  if (parsed.success) return parsed.data
  const first = parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
  if (what === 'writes') throw new TelcobenchError('TB_INTERNAL', `telcobench produced a ${file} that breaks its own schema:\n  ${first.join('\n  ')}`)
  throw new TelcobenchError('TB_USAGE', `${file} is not a valid telcobench file:\n  ${first.join('\n  ')}`, { fix: 'point at a run folder written by telcobench, unchanged' })
}

/** Pretty-printed JSON at the carried precision, with a final newline. */
export function stringify(value: unknown): string {
  return `${JSON.stringify(roundToCarriedPrecision(value), null, 2)}\n`
}

export function readJson(file: string, fix = 'pass a folder that a finished `telcobench run` wrote (results/<run-id>/)'): unknown {
  if (!existsSync(file)) throw new TelcobenchError('TB_USAGE', `${file} does not exist`, { fix })
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as unknown
  } catch (error) {
    throw new TelcobenchError('TB_USAGE', `${file} is not JSON: ${(error as Error).message}`, { fix: 'restore the file from the run, or run the scenario again' })
  }
}

/** Refuses a file of another schema version, saying which telcobench can read it. */
export function assertVersion(file: string, data: unknown, expected: number): void {
  const found = typeof data === 'object' && data !== null ? (data as Record<string, unknown>)['schema_version'] : undefined
  if (found === expected) return
  throw new TelcobenchError('TB_USAGE', `${file} has schema_version ${JSON.stringify(found ?? null)}; this telcobench reads version ${expected}`, {
    fix: found === undefined || (typeof found === 'number' && found < expected) ? 'the run is from an older telcobench: run the scenario again with this version' : 'the run is from a newer telcobench: read it with that version',
  })
}
