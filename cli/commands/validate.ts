import { readFileSync } from 'node:fs'
import { config as zodConfig } from 'zod'
import { formatEventsPerSecond, formatIssue, formatTimeCompression, validateScenarioText } from '../../generators/scenario/index.ts'
import { ExitCode } from '../../harness/errors.ts'

/** `telcobench validate`: every problem of every file, errors and warnings apart, checked as `run` checks them; exit 2 on any error. */
export function validateCommand(files: string[], o: { set: string[]; printResolved?: true }): number {
  // Each file is parsed once: zod compiling a fast parser per schema costs more than it saves (~10 % of the call).
  zodConfig({ jitless: true })
  let errors = 0
  let warnings = 0
  for (const file of files) {
    let text: string
    try {
      text = readFileSync(file, 'utf8')
    } catch {
      console.error(`${file}:1:1  (file)  cannot read the scenario file  (check the path)`)
      errors++
      continue
    }
    const result = validateScenarioText(text, file, { overrides: o.set })
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
