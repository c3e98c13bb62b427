import { Command, Option } from '@commander-js/extra-typings'
import { ExitCode, exitCodeFor, TelcobenchError } from '../harness/errors.ts'
import { runCommand } from './commands/run.ts'
import { upCommand, downCommand } from './commands/up-down.ts'
import { validateCommand } from './commands/validate.ts'
import { generateCommand } from './commands/generate.ts'
import { setupCommand } from './commands/setup.ts'

const program = new Command()
  .name('telcobench')
  .description('Telecom event-processing testbed: real Kafka + real Spark, measured against a hidden ground truth')
  .version('0.1.0')
  .showHelpAfterError()

program
  .command('run')
  .description('run a scenario end to end on a runtime and write results/<run-id>/')
  .argument('<scenario>', 'scenario YAML file')
  .addOption(new Option('--runtime <kind>', 'where Kafka and Spark run').choices(['local', 'containers', 'external'] as const).default('local' as const))
  .addOption(new Option('--guarantee <mode>', 'delivery guarantee (overrides the scenario)').choices(['at-least-once', 'exactly-once'] as const))
  .option('--set <key=value...>', 'override a scenario value, e.g. --set durationS=30')
  .option('--bootstrap <servers>', 'external runtime: Kafka bootstrap servers host:port[,host:port]')
  .option('--tls', 'external runtime: connect to Kafka over TLS')
  .option('--sasl-mechanism <mechanism>', 'external runtime: plain | scram-sha-256 | scram-sha-512')
  .option('--sasl-username <user>', 'external runtime: SASL user name')
  .option('--sasl-password-env <var>', 'external runtime: environment variable that holds the SASL password')
  .option('--spark-master <master>', 'external runtime: submit the Spark job with spark-submit to this master (spark://…, yarn, k8s://…)')
  .option('--spark-submit <path>', 'external runtime: spark-submit executable', 'spark-submit')
  .option('--no-batch', 'skip the batch baseline')
  .option('--batch', 'run the batch baseline even if the scenario turns it off')
  .option('--results <dir>', 'results folder (default results/)')
  .addOption(new Option('--kafka-client <kind>', 'Node Kafka client').choices(['platformatic', 'kafkajs'] as const))
  .addOption(new Option('--broker-profile <profile>', 'broker JVM flags').choices(['benchmark', 'functional'] as const))
  .option('--keep-kafka-data', 'keep the broker data folder in the run folder')
  .option('--keep-checkpoints', 'keep the Spark checkpoint folders in the run folder (removed at the end otherwise)')
  .action(async (scenario, options) => {
    process.exitCode = await runCommand(scenario, options)
  })

program
  .command('validate')
  .description('check scenario files; prints every problem as file:line:col  path  message  (fix)')
  .argument('<files...>', 'scenario YAML files')
  .option('--print-resolved', 'print the fully defaulted scenario')
  .action((files, options) => {
    process.exitCode = validateCommand(files, options)
  })

program
  .command('generate')
  .description('write a scenario\'s events and ground truth to files, without Kafka')
  .argument('<scenario>', 'scenario YAML file')
  .requiredOption('--out <dir>', 'output folder')
  .option('--shard <i/n>', 'only shard i of n (1-based), e.g. 2/3')
  .action(async (scenario, options) => {
    process.exitCode = await generateCommand(scenario, options)
  })

program
  .command('up')
  .description('start a local Kafka broker and leave it running for later runs')
  .option('--port <port>', 'client port (default: a free one)')
  .action(async (options) => {
    process.exitCode = await upCommand(options)
  })

program
  .command('down')
  .description('stop the local runtime started by `telcobench up`')
  .action(async () => {
    process.exitCode = await downCommand()
  })

program
  .command('setup')
  .description('resolve the Kafka and Spark jars with Maven and build the Spark jobs')
  .action(async () => {
    process.exitCode = await setupCommand()
  })

/** The one place that turns errors into a message and an exit code. */
function reportError(error: unknown): number {
  if (error instanceof TelcobenchError) {
    console.error(`telcobench: ${error.message}${error.fix !== undefined ? `\n  fix: ${error.fix}` : ''}`)
    return exitCodeFor(error.code)
  }
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error)
  console.error(`telcobench: internal error (please report it with this text):\n${message}`)
  return ExitCode.internal
}

try {
  await program.parseAsync(process.argv)
} catch (error) {
  process.exitCode = reportError(error)
}
