import { writeFileSync } from 'node:fs'
import { compareSides, defaultConfidence, defaultResamples, defaultSeed, parseGateRule, readSide } from '../../harness/compare/index.ts'
import { ExitCode, TelcobenchError } from '../../harness/errors.ts'
import { githubAnnotations, renderComparisonJson, renderComparisonJunit, renderComparisonMarkdown, renderComparisonTerminal } from '../../reports/index.ts'
import type { CompareCliOptions } from '../program.ts'

const sidesFix = 'write `telcobench compare <baseline> <candidate>`, or `telcobench compare --baseline <dirs...> --candidate <dirs...>`'

/** The two sides from the arguments or from --baseline/--candidate, never a mix of both. */
function sidesOf(positional: readonly string[], o: CompareCliOptions): { baseline: string[]; candidate: string[] } {
  const flags = o.baseline !== undefined || o.candidate !== undefined
  if (flags && positional.length > 0) throw new TelcobenchError('TB_USAGE', `compare got run folders both as arguments (${positional.join(' ')}) and with --baseline/--candidate`, { fix: sidesFix })
  if (flags) {
    if (o.baseline === undefined || o.candidate === undefined) throw new TelcobenchError('TB_USAGE', `compare needs both --baseline and --candidate (got only ${o.baseline === undefined ? '--candidate' : '--baseline'})`, { fix: sidesFix })
    return { baseline: o.baseline, candidate: o.candidate }
  }
  const [baseline, candidate] = positional
  if (baseline === undefined || candidate === undefined) throw new TelcobenchError('TB_USAGE', 'compare needs a baseline and a candidate', { fix: sidesFix })
  return { baseline: [baseline], candidate: [candidate] }
}

/**
 * `telcobench compare`: the comparison on the terminal (and as GitHub annotations under GitHub Actions), in the
 * files asked for; exit 0 without a regression, 1 with one, 5 when the runs are not comparable.
 */
export function compareCommand(positional: string[], o: CompareCliOptions): number {
  const rules = o.failOn.map(parseGateRule)
  const sides = sidesOf(positional, o)
  const comparison = compareSides(readSide('baseline', sides.baseline), readSide('candidate', sides.candidate), {
    rules,
    allowMismatch: o.allowMismatch === true,
    confidence: o.confidence ?? defaultConfidence,
    resamples: o.resamples ?? defaultResamples,
    seed: o.seed ?? defaultSeed,
    ...(o.block !== undefined ? { blockLength: o.block } : {}),
  })
  console.log(renderComparisonTerminal(comparison, process.stdout.isTTY && process.env['NO_COLOR'] === undefined))
  if (process.env['GITHUB_ACTIONS'] === 'true') for (const line of githubAnnotations(comparison)) console.log(line)
  const outputs: [string | undefined, string, () => string][] = [
    [o.json, 'json', () => renderComparisonJson(comparison)],
    [o.junit, 'junit', () => renderComparisonJunit(comparison)],
    [o.markdown, 'markdown', () => renderComparisonMarkdown(comparison)],
  ]
  for (const [file, what, render] of outputs) {
    if (file === undefined) continue
    try {
      writeFileSync(file, render())
    } catch (error) {
      throw new TelcobenchError('TB_USAGE', `cannot write the ${what} output ${file}: ${(error as Error).message}`, { cause: error, fix: `pass --${what} a file in a folder that exists and is writable` })
    }
    console.log(`${what}: ${file}`)
  }
  // 5 is "run invalid" for `run`; for compare it means the runs cannot be compared (README "Exit codes").
  if (comparison.state === 'not-comparable') return ExitCode.runInvalid
  return comparison.regressions.length > 0 ? ExitCode.thresholdsFailed : ExitCode.passed
}
