import { Command, InvalidArgumentError, Option, type CommanderError, type OptionValues } from '@commander-js/extra-typings'
import { ExitCode } from '../harness/errors.ts'
import { helpFooter, type Verb } from './help.ts'
import { parseBootstrap, parseConfidence, parseContactPoint, parseGeneratorWorkers, parsePort, parsePositiveInteger, parsePositiveNumber, parseRepeat, parseSeed, parseShard, type ShardOption } from './options.ts'

export interface RunCliOptions {
  runtime: 'local' | 'containers' | 'external'
  guarantee?: 'at-least-once' | 'exactly-once'
  engine?: 'spark' | 'flink'
  set: string[]
  bootstrap?: string[]
  tls?: true
  saslMechanism?: 'plain' | 'scram-sha-256' | 'scram-sha-512'
  saslUsername?: string
  saslPasswordEnv?: string
  sparkMaster?: string
  sparkSubmit?: string
  cassandra?: string
  dashboard?: true
  batch?: boolean
  results?: string
  kafkaClient?: 'platformatic' | 'kafkajs'
  brokerProfile?: 'benchmark' | 'benchmark-c1' | 'functional'
  keepKafkaData?: true
  keepCheckpoints?: true
  /** Runs of a set (`--repeat N`): N runs in one set folder with set.json. */
  repeat?: number
  /** Worker threads producing the load (overrides the scenario's `load.generatorWorkers`). */
  generatorWorkers?: number
  /** A model folder written by `telcobench train`: the learned detectors score beside the rules. */
  model?: string
}

export interface ProduceCliOptions {
  join: string[]
  agent: ShardOption
  once?: true
  tls?: true
  saslMechanism?: 'plain' | 'scram-sha-256' | 'scram-sha-512'
  saslUsername?: string
  saslPasswordEnv?: string
  kafkaClient?: 'platformatic' | 'kafkajs'
}

export interface ReportCliOptions {
  out?: string
  format: 'html' | 'md' | 'svg' | 'png'
}

export interface CompareCliOptions {
  baseline?: string[]
  candidate?: string[]
  failOn: string[]
  confidence?: number
  allowMismatch?: true
  json?: string
  junit?: string
  markdown?: string
  seed?: number
  resamples?: number
  block?: number
}

export interface CapacityCliOptions {
  slo: string[]
  vary: string[]
  repeat?: number
  startRate?: number
  maxRate?: number
  resolution?: number
  load?: number
  target: number[]
  runtime: 'local' | 'external'
  guarantee?: 'at-least-once' | 'exactly-once'
  set: string[]
  bootstrap?: string[]
  sparkMaster?: string
  sparkSubmit?: string
  results?: string
  generatorWorkers?: number
}

export interface ReproduceCliOptions {
  quick?: true
  full?: true
  suite?: string
  out?: string
  plan?: true
  runtime: 'local' | 'external'
  bootstrap?: string[]
  sparkMaster?: string
  sparkSubmit?: string
}

/** What each verb does; index.ts loads the modules behind them only when the verb runs. */
export interface Handlers {
  run: (scenario: string, o: RunCliOptions) => Promise<number>
  validate: (files: string[], o: { set: string[]; printResolved?: true }) => Promise<number>
  generate: (scenario: string, o: { out: string; shard?: ShardOption }) => Promise<number>
  train: (scenario: string, o: { out: string; set: string[] }) => Promise<number>
  up: (o: { port?: number }) => Promise<number>
  down: () => Promise<number>
  setup: () => Promise<number>
  report: (dirs: string[], o: ReportCliOptions) => Promise<number>
  compare: (positional: string[], o: CompareCliOptions) => Promise<number>
  capacity: (scenario: string, o: CapacityCliOptions) => Promise<number>
  produce: (o: ProduceCliOptions) => Promise<number>
  reproduce: (o: ReproduceCliOptions) => Promise<number>
}

/** Collects repeated `--set key=value`; a value without `=` is a usage error. */
function collectOverride(value: string, previous: string[]): string[] {
  if (value.indexOf('=') <= 0) throw new InvalidArgumentError('Write key=value, e.g. --set duration=30m or --set population.subscribers=2000')
  return [...previous, value]
}

const collect = (value: string, previous: string[]): string[] => [...previous, value]
const collectNumber = (value: string, previous: number[]): number[] => [...previous, parsePositiveNumber(value)]

const setOption = (): Option<'--set <key=value>', undefined, string[], string[]> =>
  new Option('--set <key=value>', 'override a scenario value by its path, e.g. --set duration=30m (repeatable)').argParser(collectOverride).default([] as string[], 'none')

/** Every usage error is exit 2 ("nothing was started"); --help and --version are 0. */
export function exitCodeOfCommanderError(error: CommanderError): number {
  return error.exitCode === 0 ? ExitCode.passed : ExitCode.invalidInput
}

/**
 * Commander prints only the help, no message, when no verb was given or `help` named an unknown one
 * (CommanderError code commander.help with a non-zero exit code); this is the message for that case.
 */
export function missingVerbMessage(program: Command): string {
  const [first, second] = program.args
  const what = first === 'help' && second !== undefined ? `unknown command '${second}'` : 'no command given'
  return `telcobench: ${what}\n  fix: name one of the commands above, e.g. telcobench run scenarios/quickstart.yaml`
}

/** Usage errors in the project's form: `telcobench: <message>` then a `fix:` line pointing at the verb's help. */
function usageErrors<T extends Command<[], OptionValues, OptionValues>>(cmd: T, verb: Verb | null): T {
  const helpCommand = verb === null ? 'telcobench --help' : `telcobench ${verb} --help`
  return cmd
    .exitOverride()
    .configureOutput({
      outputError: (text, write) => {
        write(`telcobench: ${text.replace(/^error: /, '')}`)
      },
    })
    .showHelpAfterError(`  fix: see \`${helpCommand}\` for the options and examples`)
    .addHelpText('after', helpFooter(verb))
}

/** The command tree and the exit code of the verb it ran. Parse errors throw CommanderError (see exitCodeOfCommanderError). */
export function buildProgram(version: string, handlers: Handlers): { program: Command; exitCode: () => number } {
  let exitCode: number = ExitCode.passed
  const program = usageErrors(new Command(), null)
    .name('telcobench')
    .description('Telecom event-processing testbed: real Kafka + real Spark, measured against a hidden ground truth')
    .version(version)
    .showSuggestionAfterError()

  usageErrors(program.command('run'), 'run')
    .description('run a scenario end to end on a runtime and write results/<run-id>/')
    .argument('<scenario>', 'scenario YAML file')
    .addOption(new Option('--runtime <kind>', 'where Kafka and Spark run').choices(['local', 'containers', 'external'] as const).default('local' as const))
    .addOption(new Option('--guarantee <mode>', 'delivery guarantee (overrides the scenario)').choices(['at-least-once', 'exactly-once'] as const))
    .addOption(new Option('--engine <kind>', 'stream processor under test (overrides the scenario)').choices(['spark', 'flink'] as const))
    .addOption(setOption())
    .addOption(new Option('--bootstrap <servers>', 'external runtime: Kafka bootstrap servers host:port[,host:port]').argParser(parseBootstrap))
    .option('--tls', 'external runtime: connect to Kafka over TLS')
    .addOption(new Option('--sasl-mechanism <mechanism>', 'external runtime: SASL mechanism').choices(['plain', 'scram-sha-256', 'scram-sha-512'] as const))
    .option('--sasl-username <user>', 'external runtime: SASL user name')
    .option('--sasl-password-env <var>', 'external runtime: environment variable that holds the SASL password (default TELCOBENCH_SASL_PASSWORD)')
    .option('--spark-master <master>', 'external runtime: submit the Spark job with spark-submit to this master (spark://…, yarn, k8s://…)')
    .option('--spark-submit <path>', 'external runtime: spark-submit executable (default spark-submit)')
    .addOption(new Option('--cassandra <host:port>', 'serving store: use this existing Cassandra cluster (CQL listener) instead of starting a node; needs serving.store cassandra').argParser(parseContactPoint))
    .option('--dashboard', 'serve a live operations dashboard on 127.0.0.1 while the run goes (the URL is printed)')
    .option('--no-batch', 'skip the batch baseline')
    .option('--batch', 'run the batch baseline even if the scenario turns it off')
    .option('--results <dir>', 'results folder (default results/ in the working directory)')
    .addOption(new Option('--kafka-client <kind>', 'Node Kafka client').choices(['platformatic', 'kafkajs'] as const))
    .addOption(new Option('--broker-profile <profile>', 'broker JVM flags (default benchmark-c1: upstream\'s flags with the C1 compiler only)').choices(['benchmark', 'benchmark-c1', 'functional'] as const))
    .option('--keep-kafka-data', 'keep the broker data folder in the run folder')
    .option('--keep-checkpoints', 'keep the Spark checkpoint folders in the run folder (removed at the end otherwise)')
    .addOption(new Option('--generator-workers <n>', 'worker threads that generate, encode and produce the load, each its own shard on one clock (overrides the scenario\'s load.generatorWorkers; default 1)').argParser(parseGeneratorWorkers))
    .addOption(new Option('--repeat <n>', 'run the scenario n times (1–100) in one set folder, with set.json and set.md: medians, min–max and confidence intervals over the runs').argParser(parseRepeat))
    .option('--model <dir>', 'score the learned detectors of this model folder (telcobench train) beside the rules; its training seed must differ from the scenario\'s')
    .action(async (scenario, { batch, ...options }, cmd) => {
      // --batch and --no-batch share one value that defaults to true; only a flag the user typed overrides the scenario.
      const batchFlag = cmd.getOptionValueSource('batch') === 'cli' ? { batch } : {}
      exitCode = await handlers.run(scenario, { ...options, ...batchFlag })
    })

  usageErrors(program.command('validate'), 'validate')
    .description('check scenario files; prints every problem as file:line:col  path  message  (fix)')
    .argument('<files...>', 'scenario YAML files')
    .addOption(setOption())
    .option('--print-resolved', 'print the fully defaulted scenario')
    .action(async (files, options) => {
      exitCode = await handlers.validate(files, options)
    })

  usageErrors(program.command('generate'), 'generate')
    .description("write a scenario's events and ground truth to files, without Kafka")
    .argument('<scenario>', 'scenario YAML file')
    .requiredOption('--out <dir>', 'output folder')
    .addOption(new Option('--shard <i/n>', 'only shard i of n (1-based), e.g. 2/3').argParser(parseShard))
    .action(async (scenario, options) => {
      exitCode = await handlers.generate(scenario, options)
    })

  usageErrors(program.command('produce'), 'produce')
    .description("a generator agent for runs whose scenario sets load.remoteGenerators: waits on the cluster for each run, then produces this host's shard of its load on the run's clock")
    .requiredOption('--join <servers>', 'Kafka bootstrap servers of the cluster the runs use, host:port[,host:port]', parseBootstrap)
    .requiredOption('--agent <i/n>', "this agent's place among the run's n agents (1-based), e.g. 2/3", parseShard)
    .option('--once', 'serve one run, then exit (default: serve runs until Ctrl-C)')
    .option('--tls', 'connect to Kafka over TLS')
    .addOption(new Option('--sasl-mechanism <mechanism>', 'SASL mechanism').choices(['plain', 'scram-sha-256', 'scram-sha-512'] as const))
    .option('--sasl-username <user>', 'SASL user name')
    .option('--sasl-password-env <var>', 'environment variable that holds the SASL password (default TELCOBENCH_SASL_PASSWORD)')
    .addOption(new Option('--kafka-client <kind>', 'Node Kafka client').choices(['platformatic', 'kafkajs'] as const))
    .action(async (options) => {
      exitCode = await handlers.produce(options)
    })

  usageErrors(program.command('train'), 'train')
    .description("fit the learned detectors (Spark MLlib) on a training scenario's generated history and save them")
    .argument('<scenario>', 'training scenario YAML file (its seed must differ from the scenarios the models are scored on)')
    .option('--out <dir>', 'model folder to write', 'models')
    .addOption(setOption())
    .action(async (scenario, options) => {
      exitCode = await handlers.train(scenario, options)
    })

  usageErrors(program.command('up'), 'up')
    .description('start a local Kafka broker and leave it running for later runs')
    .addOption(new Option('--port <port>', 'client port (default: a free one)').argParser(parsePort))
    .action(async (options) => {
      exitCode = await handlers.up(options)
    })

  usageErrors(program.command('down'), 'down')
    .description('stop the local runtime started by `telcobench up`')
    .action(async () => {
      exitCode = await handlers.down()
    })

  usageErrors(program.command('setup'), 'setup')
    .description('resolve the Kafka and Spark jars with Maven and build the Spark jobs')
    .action(async () => {
      exitCode = await handlers.setup()
    })

  usageErrors(program.command('report'), 'report')
    .description("render a run's report again (report.html, summary.md, charts/, timeline.csv, .hlog), or several runs side by side")
    .argument('<run-dirs...>', 'run folders (results/<run-id>); two or more give one side-by-side page')
    .option('--out <file>', 'html: the page to write (default <run>/report.html, or compare-<a>-vs-<b>.html); md: the file instead of stdout; svg/png: the folder for the images')
    .addOption(new Option('--format <format>', 'what to render').choices(['html', 'md', 'svg', 'png'] as const).default('html' as const))
    .action(async (dirs, options) => {
      exitCode = await handlers.report(dirs, options)
    })

  usageErrors(program.command('compare'), 'compare')
    .description('compare a candidate run (or runs) with a baseline, metric by metric: a statistical test where runs vary, exact checks where they must not; exit 1 on a regression, 5 when the runs are not comparable')
    .argument('[baseline]', 'baseline: a run folder, or a set folder whose sub-folders are runs (run --repeat)')
    .argument('[candidate]', 'candidate: a run folder or a set folder')
    .option('--baseline <dirs...>', 'baseline run or set folders (instead of the arguments; with --candidate)')
    .option('--candidate <dirs...>', 'candidate run or set folders (with --baseline)')
    .addOption(new Option('--fail-on <rule>', "gate rule '<metric> <+|-><amount>[%|ms|s]', e.g. 'rated.p99 +10%' (repeatable)").argParser(collect).default([] as string[], '+/-5% for statistical metrics, 0 for exact ones'))
    .addOption(new Option('--confidence <level>', 'confidence level of the tests (default 0.95)').argParser(parseConfidence))
    .option('--allow-mismatch', 'compare runs whose settings differ; every output then warns')
    .option('--json <file>', 'write the comparison as JSON')
    .option('--junit <file>', 'write JUnit XML: one testcase per metric, a failure per regression')
    .option('--markdown <file>', 'write the comparison as Markdown, e.g. "$GITHUB_STEP_SUMMARY"')
    .addOption(new Option('--seed <n>', 'seed of the bootstrap resampling (default 1)').argParser(parseSeed))
    .addOption(new Option('--resamples <n>', 'bootstrap resamples (default 2000)').argParser(parsePositiveInteger))
    .addOption(new Option('--block <seconds>', 'bootstrap block length in 1 s windows (default: chosen from the data)').argParser(parsePositiveInteger))
    .action(async (baseline, candidate, options) => {
      exitCode = await handlers.compare([baseline, candidate].filter((d): d is string => d !== undefined), options)
    })

  usageErrors(program.command('capacity'), 'capacity')
    .description('find the highest rate each configuration holds at the SLOs: exponential steps then bisection, every point real runs (repeated), the bottleneck named, a USL fit over resources; writes capacity.json, capacity.md and capacity.html')
    .argument('<scenario>', 'scenario YAML file (its mix is kept; the rate is set per point)')
    .addOption(new Option('--slo <expr>', "latency SLO '<stream> p<50|90|95|99|99.9><ms>', e.g. 'rated p99<3000' (repeatable; the lag must also stay flat and nothing may be lost)").argParser(collect).default([] as string[], 'none'))
    .addOption(new Option('--vary <knob=values>', 'grid knob and its values, e.g. trigger=1s,realtime; partitions=4,8; cores=1,2,4; guarantee=…; or any dotted scenario key (repeatable)').argParser(collect).default([] as string[], 'none'))
    .addOption(new Option('--repeat <n>', 'runs per point (1–10); a point passes only when all pass (default 2)').argParser(parsePositiveInteger))
    .addOption(new Option('--start-rate <eps>', "first rate tried, ev/s (default: the scenario's own rate)").argParser(parsePositiveNumber))
    .addOption(new Option('--max-rate <eps>', 'highest rate tried, ev/s (default 1000000)').argParser(parsePositiveNumber))
    .addOption(new Option('--resolution <share>', 'stop bisecting when the first failing rate is within this share of the capacity (default 0.1)').argParser(parsePositiveNumber))
    .addOption(new Option('--load <seconds>', 'wall seconds of load per run (default 40)').argParser(parsePositiveNumber))
    .addOption(new Option('--target <eps>', "a rate the planner's answer speaks to, ev/s (repeatable)").argParser(collectNumber).default([] as number[], 'none'))
    .addOption(new Option('--runtime <kind>', 'where Kafka and Spark run').choices(['local', 'external'] as const).default('local' as const))
    .addOption(new Option('--guarantee <mode>', 'delivery guarantee (overrides the scenario)').choices(['at-least-once', 'exactly-once'] as const))
    .addOption(setOption())
    .addOption(new Option('--bootstrap <servers>', 'external runtime: Kafka bootstrap servers host:port[,host:port]').argParser(parseBootstrap))
    .option('--spark-master <master>', 'external runtime: submit each run\'s Spark job with spark-submit to this master (spark://…, yarn, k8s://…)')
    .option('--spark-submit <path>', 'external runtime: spark-submit executable (default spark-submit)')
    .option('--results <dir>', 'where the capacity folder goes (default results/)')
    .addOption(new Option('--generator-workers <n>', 'worker threads that generate and produce each run\'s load (overrides the scenario\'s load.generatorWorkers; default 1)').argParser(parseGeneratorWorkers))
    .action(async (scenario, options) => {
      exitCode = await handlers.capacity(scenario, options)
    })

  usageErrors(program.command('reproduce'), 'reproduce')
    .description("run the evaluation suite of the paper's four research questions (suites/paper.yaml) and write one evaluation report with a verdict per question: evaluation.html, evaluation.md, evaluation.json, every run folder and the provenance in one suite folder")
    .addOption(new Option('--quick', 'the small size: fits 45 minutes on a 2-core machine (the default)').conflicts('full'))
    .addOption(new Option('--full', 'the full size: every factor, 3 repeats; for a real cluster (--runtime external)').conflicts('quick'))
    .option('--suite <file>', 'suite file (default: suites/paper.yaml of this telcobench)')
    .option('--out <dir>', 'where the suite folder goes (default results/)')
    .option('--plan', 'validate the suite and print its experiments and the estimated wall time; run nothing')
    .addOption(new Option('--runtime <kind>', 'where Kafka and Spark run').choices(['local', 'external'] as const).default('local' as const))
    .addOption(new Option('--bootstrap <servers>', 'external runtime: Kafka bootstrap servers host:port[,host:port]').argParser(parseBootstrap))
    .option('--spark-master <master>', 'external runtime: submit each run\'s Spark job to this master (spark://…, yarn, k8s://…)')
    .option('--spark-submit <path>', 'external runtime: spark-submit executable (default spark-submit)')
    .action(async (options) => {
      exitCode = await handlers.reproduce(options)
    })

  return { program, exitCode: () => exitCode }
}
