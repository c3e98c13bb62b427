import { GenerateInputError, generateToFiles } from '../../generators/index.ts'
import { ExitCode } from '../../harness/errors.ts'
import type { ShardOption } from '../options.ts'

/** `telcobench generate`: events as JSON Lines plus the truth, no Kafka. */
export async function generateCommand(scenario: string, o: { out: string; shard?: ShardOption }): Promise<number> {
  const shard = o.shard
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
