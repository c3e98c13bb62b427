import { isAbsolute, join, relative } from 'node:path'
import { formatIssue } from '../../generators/scenario/index.ts'
import { ExitCode, TelcobenchError } from '../../harness/errors.ts'
import { packageRoot } from '../../harness/install/index.ts'
import { formatMinutes, runSuite, suiteEstimate, validateSuiteFile } from '../../harness/reproduce/index.ts'
import type { ReproduceCliOptions } from '../program.ts'
import { installSignalHandlers } from '../signals.ts'
import { sharedRunOptions } from './run.ts'

/** A path as the user would type it from here: relative when it is under the working directory. */
function shown(path: string): string {
  const rel = relative(process.cwd(), path)
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path
}

/**
 * `telcobench reproduce`: validates the suite (every problem as `file:line:col  path  message  (hint)`, exit 2),
 * prints the experiments with the estimate, then runs them (runSuite), rendering each run's report, each set's and
 * capacity search's, and the evaluation report after every experiment. Exit 0 when every experiment was attempted
 * (whatever the verdicts), 130 when interrupted.
 */
export async function reproduceCommand(o: ReproduceCliOptions): Promise<number> {
  const size = o.full === true ? 'full' : 'quick'
  const suitePath = o.suite ?? shown(join(packageRoot, 'suites', 'paper.yaml'))
  const validation = validateSuiteFile(suitePath)
  for (const w of validation.warnings) console.error(formatIssue(w))
  if (!validation.ok) {
    for (const e of validation.errors) console.error(formatIssue(e))
    console.error(`${suitePath}: ${validation.errors.length} error(s)`)
    return ExitCode.invalidInput
  }
  if (o.runtime !== 'external' && (o.bootstrap !== undefined || o.sparkMaster !== undefined || o.sparkSubmit !== undefined)) {
    throw new TelcobenchError('TB_USAGE', '--bootstrap, --spark-master and --spark-submit only apply to --runtime external', { fix: 'add --runtime external, or drop those flags' })
  }
  if (o.runtime === 'external' && o.bootstrap === undefined) throw new TelcobenchError('TB_USAGE', '--runtime external needs --bootstrap', { fix: 'pass --bootstrap host:9092[,host:9092] of your Kafka cluster' })
  if (o.plan === true) {
    const estimate = suiteEstimate(validation.plans[size], o.runtime)
    console.log(`${suitePath} (--${size}, runtime ${o.runtime}): ${validation.plans[size].length} experiments, at most ${formatMinutes(estimate.seconds)} of wall time`)
    for (const line of estimate.lines) console.log(line)
    return ExitCode.passed
  }
  const controller = new AbortController()
  const log = (line: string): void => {
    console.error(line)
  }
  installSignalHandlers(controller, log)
  const reports = await import('../../reports/index.ts')
  const { dir, evaluation, exitCode } = await runSuite({
    suitePath,
    size,
    ...(o.out !== undefined ? { outDir: o.out } : {}),
    run: sharedRunOptions({ runtime: o.runtime, set: [], ...(o.bootstrap !== undefined ? { bootstrap: o.bootstrap } : {}), ...(o.sparkMaster !== undefined ? { sparkMaster: o.sparkMaster } : {}), ...(o.sparkSubmit !== undefined ? { sparkSubmit: o.sparkSubmit } : {}) }, controller.signal, log),
    onRunDone: async (outcome) => {
      const { files } = await reports.writeRunReport(outcome.runDir)
      log(`report: ${shown(files.html)} (${outcome.results.state})`)
    },
    onSetWritten: (setDir) => {
      reports.writeSetMarkdown(setDir)
      return Promise.resolve()
    },
    onCapacityWritten: async (capacityDir) => {
      await reports.writeCapacityReport(capacityDir)
    },
    onEvaluationWritten: async (suiteDir) => {
      await reports.writeEvaluationReport(suiteDir)
    },
  })
  console.log(reports.renderEvaluationTerminal(evaluation))
  console.log(`\nevaluation: ${shown(dir)}/ (evaluation.html, evaluation.md, evaluation.json, suite.yaml, one folder per experiment) · exit code ${exitCode}`)
  return exitCode
}
