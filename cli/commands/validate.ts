import { readFileSync } from 'node:fs'
import { formatIssue, validateScenarioText } from '../../generators/index.ts'
import { ExitCode } from '../../harness/errors.ts'

/** `telcobench validate`: every problem of every file, errors and warnings apart; exit 2 on any error. */
export function validateCommand(files: string[], o: { printResolved?: true }): number {
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
    const result = validateScenarioText(text, file)
    for (const w of result.warnings) console.error(`warning  ${formatIssue(w)}`)
    warnings += result.warnings.length
    if (!result.ok) {
      for (const e of result.errors) console.error(formatIssue(e))
      errors += result.errors.length
      continue
    }
    console.error(`✓ ${file}  (${result.scenario.name}: ${result.scenario.wallDurationS.toFixed(0)} s wall, ~${Math.round(result.scenario.load.meanEventsPerWallSecond)} ev/s)`)
    if (o.printResolved === true) console.log(JSON.stringify(result.scenario, null, 2))
  }
  console.error(`${files.length} file(s): ${errors} error(s), ${warnings} warning(s)`)
  return errors > 0 ? ExitCode.invalidInput : ExitCode.passed
}
