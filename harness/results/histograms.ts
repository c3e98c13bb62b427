import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import * as hdr from 'hdr-histogram-js'
import type { Histogram } from 'hdr-histogram-js'
import { TelcobenchError } from '../errors.ts'
import { runFiles } from './run-folder.ts'

/** One latency stream's raw HdrHistograms (µs, 3 significant digits) as the run folder holds them. */
export interface StreamHistograms {
  name: string
  /** Values whose intended send time is after the warm-up: the run's percentiles come from it. */
  whole: Histogram
  /** Values sent during the warm-up; null when the run wrote no warm-up file for the stream. */
  warmup: Histogram | null
  /** One histogram per second in which values were received, counted from the load's start (warm-up included), with its compressed base64 form as stored. */
  intervals: { t_s: number; encoded: string; histogram: Histogram }[]
}

/**
 * Decodes a compressed base64 HdrHistogram (the Java wire format the harness writes). One second's histogram
 * takes 32-bit counters (no bucket holds 2^31 values in a second) and decodes half as fast again as 64-bit ones.
 */
export function decodeHistogram(encoded: string, counterBits: 32 | 64 = 64): Histogram {
  return hdr.decodeFromCompressedBase64(encoded.trim(), counterBits, false)
}

function decodeFile(file: string): Histogram {
  try {
    return decodeHistogram(readFileSync(file, 'utf8'))
  } catch (error) {
    throw new TelcobenchError('TB_USAGE', `${file} is not a compressed HdrHistogram: ${(error as Error).message}`, { fix: 'restore the file from the run, or run the scenario again' })
  }
}

function readIntervals(file: string): StreamHistograms['intervals'] {
  if (!existsSync(file)) return []
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line, i) => {
      try {
        const { t_s, hdr: encoded } = JSON.parse(line) as { t_s: unknown; hdr: unknown }
        if (typeof t_s !== 'number' || typeof encoded !== 'string') throw new Error('expected { t_s: number, hdr: string }')
        return { t_s, encoded, histogram: decodeHistogram(encoded, 32) }
      } catch (error) {
        throw new TelcobenchError('TB_USAGE', `${file}:${i + 1} is not an interval histogram line: ${(error as Error).message}`, { fix: 'restore the file from the run, or run the scenario again' })
      }
    })
}

/**
 * Reads `<run>/histograms/`: every stream that has a `<stream>.hdr`, with its warm-up and per-second histograms,
 * in the order of the file names. An empty object when the run wrote no histograms (it stopped before the load ended).
 */
export function readHistograms(runDir: string): Record<string, StreamHistograms> {
  const dir = join(runDir, runFiles.histograms)
  if (!existsSync(dir)) return {}
  const names = readdirSync(dir)
    .filter((f) => f.endsWith('.hdr') && !f.endsWith('.warmup.hdr'))
    .map((f) => f.slice(0, -'.hdr'.length))
    .sort()
  const streams: Record<string, StreamHistograms> = {}
  for (const name of names) {
    const warmupFile = join(dir, `${name}.warmup.hdr`)
    streams[name] = {
      name,
      whole: decodeFile(join(dir, `${name}.hdr`)),
      warmup: existsSync(warmupFile) ? decodeFile(warmupFile) : null,
      intervals: readIntervals(join(dir, `${name}.intervals.jsonl`)),
    }
  }
  return streams
}
