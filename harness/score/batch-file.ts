import { readFileSync } from 'node:fs'
import { parseBatchOutput, type BatchOutput } from './batch.ts'

/** Reads and checks `batch-results.json`; a missing or malformed file comes back as the reason, not a throw. */
export function readBatchOutput(path: string): { output: BatchOutput } | { error: string } {
  try {
    return { output: parseBatchOutput(JSON.parse(readFileSync(path, 'utf8')) as unknown) }
  } catch (error) {
    return { error: `${path}: ${error instanceof Error ? error.message : String(error)}` }
  }
}
