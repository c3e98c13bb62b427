import { CommanderError } from '@commander-js/extra-typings'
import { ExitCode, exitCodeFor, TelcobenchError } from '../harness/errors.ts'
import { packageVersion } from '../harness/install/index.ts'
import { buildProgram, exitCodeOfCommanderError, missingVerbMessage, type Handlers } from './program.ts'

// Each verb imports its module only when it runs, so --help and validate do not load the harness.
const handlers: Handlers = {
  run: async (scenario, o) => (await import('./commands/run.ts')).runCommand(scenario, o),
  validate: async (files, o) => (await import('./commands/validate.ts')).validateCommand(files, o),
  generate: async (scenario, o) => (await import('./commands/generate.ts')).generateCommand(scenario, o),
  train: async (scenario, o) => (await import('./commands/train.ts')).trainCommand(scenario, o),
  up: async (o) => (await import('./commands/up-down.ts')).upCommand(o),
  down: async () => (await import('./commands/up-down.ts')).downCommand(),
  setup: async () => (await import('./commands/setup.ts')).setupCommand(),
  report: async (dirs, o) => (await import('./commands/report.ts')).reportCommand(dirs, o),
  compare: async (positional, o) => (await import('./commands/compare.ts')).compareCommand(positional, o),
  capacity: async (scenario, o) => (await import('./commands/capacity.ts')).capacityCommand(scenario, o),
  produce: async (o) => (await import('./commands/produce.ts')).produceCommand(o),
  reproduce: async (o) => (await import('./commands/reproduce.ts')).reproduceCommand(o),
}

// A reader that stops reading early (`telcobench run --help | head -3`) closes the pipe, and every later write to
// stdout fails with EPIPE, which Node raises as an unhandled 'error' event: a stack trace instead of the output the
// reader asked for. Nobody reads stdout any more, so the command goes on without it and its exit code stands.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') throw error
})

const { program, exitCode } = buildProgram(packageVersion(), handlers)

/** The one place that turns errors into a message and an exit code. */
function reportError(error: unknown): number {
  if (error instanceof CommanderError) {
    // Commander printed its message already, except for a missing verb, where it only printed the help.
    if (error.code === 'commander.help' && error.exitCode !== 0) console.error(missingVerbMessage(program))
    return exitCodeOfCommanderError(error)
  }
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
  process.exitCode = exitCode()
} catch (error) {
  process.exitCode = reportError(error)
}
