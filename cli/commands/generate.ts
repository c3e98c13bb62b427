import { GenerateInputError, generateToFiles } from '../../generators/index.ts'
import { ExitCode, TelcobenchError } from '../../harness/errors.ts'

/** Parses `--shard i/n` (1-based on the command line, 0-based for the generators). */
export function parseShard(text: string): { index: number; count: number } {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim())
  const i = Number(m?.[1])
  const n = Number(m?.[2])
  if (m === null || n < 1 || i < 1 || i > n) {
    throw new TelcobenchError('TB_USAGE', `--shard ${text} is not i/n with 1 ≤ i ≤ n`, { fix: 'write e.g. --shard 2/3 for the second of three shards' })
  }
  return { index: i - 1, count: n }
}

/** `telcobench generate`: events as JSON Lines plus the truth, no Kafka. */
export async function generateCommand(scenario: string, o: { out: string; shard?: string }): Promise<number> {
  const shard = o.shard === undefined ? undefined : parseShard(o.shard)
  let result
  try {
    result = await generateToFiles(scenario, { outDir: o.out, ...(shard !== undefined ? { shard } : {}) })
  } catch (error) {
    if (!(error instanceof GenerateInputError)) throw error
    for (const issue of error.issues) console.error(issue)
    console.error(`✗ ${error.message}; nothing was written`)
    return ExitCode.invalidInput
  }
  console.error(`wrote ${result.events} events to ${o.out} (${result.files.join(', ')})`)
  return 0
}
