import { config as zodConfig } from 'zod'
import { formatEventsPerSecond, formatIssue, formatTimeCompression, validateScenarioFile } from '../../generators/scenario/index.ts'
import { ExitCode } from '../../harness/errors.ts'

/**
 * `telcobench validate`: every problem of every file, errors and warnings apart, checked as `run` checks them; exit 2
 * on any error. Each file goes through validateScenarioFile, the API's `validateScenario`.
 */
export async function validateCommand(files: string[], o: { set: string[]; printResolved?: true }): Promise<number> {
  // Each file is parsed once: zod compiling a fast parser per schema costs more than it saves (~10 % of the call).
  zodConfig({ jitless: true })
  let errors = 0
  let warnings = 0
  for (const file of files) {
    const result = await validateScenarioFile(file, { overrides: o.set })
    for (const w of result.warnings) console.error(formatIssue(w))
    warnings += result.warnings.length
    if (!result.ok) {
      for (const e of result.errors) console.error(formatIssue(e))
      errors += result.errors.length
      continue
    }
    const s = result.scenario
    const pace = s.load.targetEventsPerWallSecond === null ? '' : `, ×${formatTimeCompression(s.timeCompression)} time compression from load.rate`
    console.error(`✓ ${file}  (${s.name}: ${s.wallDurationS.toFixed(0)} s wall, ≈ ${formatEventsPerSecond(s.load.meanEventsPerWallSecond)} ev/s offered (estimate)${pace})`)
    if (o.printResolved === true) console.log(JSON.stringify(result.scenario, null, 2))
  }
  console.error(`${files.length} file(s): ${errors} error(s), ${warnings} warning(s)`)
  return errors > 0 ? ExitCode.invalidInput : ExitCode.passed
}
