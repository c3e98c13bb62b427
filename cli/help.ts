import { ExitCode, type ExitCodeValue } from '../harness/errors.ts'
import { packageRoot } from '../harness/install/index.ts'
import { join } from 'node:path'

/** One line per exit code, in the words of README "Exit codes" (a unit test keeps the two in step). */
export const exitCodeMeanings: Record<ExitCodeValue, string> = {
  [ExitCode.passed]: 'passed: every threshold and integrity check held (compare: no regression)',
  [ExitCode.thresholdsFailed]: 'failed: a threshold or an integrity check failed (compare: a regression)',
  [ExitCode.invalidInput]: 'usage error or invalid scenario (nothing was started)',
  [ExitCode.infrastructure]: 'environment or infrastructure error (Java, Maven, a port, the broker or Spark)',
  [ExitCode.aborted]: 'aborted by an abortOnFail threshold: the load stopped early, the run was written',
  [ExitCode.runInvalid]: 'run invalid: the generator could not hold its schedule or send (compare: the runs are not comparable)',
  [ExitCode.internal]: 'internal error (a bug: please report it with the printed text)',
  [ExitCode.interrupted]: 'interrupted (Ctrl-C / SIGTERM); every child process is stopped first',
}

/** A command line shown under "Examples" in a verb's --help; a unit test parses and validates each one. */
export interface Example {
  argv: string[]
  says: string
}

export const examples = {
  run: [
    { argv: ['run', 'scenarios/quickstart.yaml'], says: 'the quickstart on the embedded Kafka + Spark' },
    { argv: ['run', 'scenarios/ci-smoke.yaml', '--set', 'timeCompression=120', '--set', 'population.subscribers=2000', '--no-batch'], says: 'override scenario values; skip the batch baseline' },
    { argv: ['run', 'scenarios/broker-failure.yaml', '--runtime', 'external', '--bootstrap', 'kafka1:9092,kafka2:9092'], says: 'against your own Kafka cluster' },
    { argv: ['run', 'scenarios/ci-smoke.yaml', '--repeat', '5'], says: 'five runs in one set folder: set.json with medians, min–max and confidence intervals' },
    { argv: ['run', 'scenarios/slow-degradation.yaml', '--model', 'models/slow'], says: 'score the learned detectors of `telcobench train` beside the rules' },
  ],
  validate: [
    { argv: ['validate', 'scenarios/*.yaml'], says: 'check every shipped scenario' },
    { argv: ['validate', 'scenarios/quickstart.yaml', '--set', 'population.subscribers=3000', '--print-resolved'], says: 'check an override; print the scenario with every default' },
  ],
  generate: [
    { argv: ['generate', 'scenarios/quickstart.yaml', '--out', 'events'], says: 'events as JSON Lines plus the ground truth' },
    { argv: ['generate', 'scenarios/busy-hour.yaml', '--out', 'events-2', '--shard', '2/3'], says: 'the second of three shards' },
  ],
  train: [
    { argv: ['train', 'scenarios/slow-degradation-train.yaml', '--out', 'models/slow'], says: 'fit the models on the training twin of the hard cases (other seed, other cells)' },
    { argv: ['train', 'scenarios/quickstart.yaml', '--set', 'seed=43', '--out', 'models/quick'], says: 'train on another seed of any scenario' },
  ],
  up: [
    { argv: ['up'], says: 'a broker on a free port' },
    { argv: ['up', '--port', '9092'], says: 'a broker on port 9092' },
  ],
  down: [{ argv: ['down'], says: 'stop the broker `telcobench up` started' }],
  setup: [{ argv: ['setup'], says: 'resolve the jars once, e.g. in a CI image' }],
  report: [
    { argv: ['report', 'results/quickstart-20260101-120000-ab12'], says: "write a run's report.html, summary.md, charts and exports again" },
    { argv: ['report', 'results/run-a', 'results/run-b'], says: 'two runs side by side in one page' },
    { argv: ['report', 'results/run-a', '--format', 'md'], says: 'the Markdown summary on stdout, e.g. for $GITHUB_STEP_SUMMARY' },
  ],
  compare: [
    { argv: ['compare', 'results/main-run', 'results/pr-run'], says: 'one run a side: a block bootstrap over the per-second windows' },
    { argv: ['compare', '--baseline', 'results/main-1', 'results/main-2', 'results/main-3', 'results/main-4', '--candidate', 'results/pr-1', 'results/pr-2', 'results/pr-3', 'results/pr-4'], says: 'four runs a side: a Mann–Whitney U test on the per-run values' },
    { argv: ['compare', 'results/main-set', 'results/pr-set', '--fail-on', 'rated.p99 +10%', '--fail-on', 'billing.charge_exact_match_ratio -0', '--junit', 'compare.xml', '--markdown', 'summary.md'], says: 'set folders of run --repeat, own gate rules, JUnit XML and Markdown for CI' },
  ],
  capacity: [
    { argv: ['capacity', 'scenarios/rating-capacity.yaml', '--slo', 'rated p99<3000', '--vary', 'trigger=1s,realtime'], says: 'the highest rate each trigger mode holds at a rated p99 under 3 s' },
    { argv: ['capacity', 'scenarios/rating-capacity.yaml', '--slo', 'rated p99<2000', '--vary', 'cores=1,2,3,4', '--target', '20000'], says: 'capacity over Spark task threads with a USL fit, and what holds 20,000 ev/s' },
  ],
  produce: [
    { argv: ['produce', '--join', 'kafka1:9092,kafka2:9092', '--agent', '1/2'], says: 'the first of two generator agents: serves every run with load.remoteGenerators 2 until Ctrl-C' },
    { argv: ['produce', '--join', 'kafka1:9092', '--agent', '1/1', '--once'], says: 'one agent that serves the next run, then exits' },
  ],
  reproduce: [
    { argv: ['reproduce', '--quick'], says: "the paper's four questions on this machine, within 45 minutes on 2 cores" },
    { argv: ['reproduce', '--full', '--plan'], says: 'the full suite\'s experiments and its estimated wall time, without running anything' },
    { argv: ['reproduce', '--full', '--runtime', 'external', '--bootstrap', 'kafka1:9092,kafka2:9092', '--spark-master', 'spark://spark:7077', '--out', 'evaluations'], says: 'the full size on your cluster' },
  ],
} as const satisfies Record<string, readonly Example[]>

export type Verb = keyof typeof examples

function quote(arg: string): string {
  return /^[\w./*=,:-]+$/.test(arg) ? arg : `'${arg}'`
}

/** The text after a verb's options: its examples, the exit codes and where the docs are. */
export function helpFooter(verb: Verb | null): string {
  const lines: string[] = []
  if (verb !== null) {
    const list: readonly Example[] = examples[verb]
    lines.push('Examples:', ...list.flatMap((e) => [`  # ${e.says}`, `  telcobench ${e.argv.map(quote).join(' ')}`]), '')
  }
  lines.push('Exit codes:', ...Object.entries(exitCodeMeanings).map(([code, meaning]) => `  ${code.padEnd(4)} ${meaning}`), '')
  lines.push(`Docs: ${join(packageRoot, 'README.md')} ("Command line", "Scenarios", "Results") and ${join(packageRoot, 'docs')}/`)
  return `\n${lines.join('\n')}`
}
