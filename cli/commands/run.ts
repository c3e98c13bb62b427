import { ExitCode, TelcobenchError, type ExitCodeValue } from '../../harness/errors.ts'
import type { KafkaConnection } from '../../harness/kafka/index.ts'
import { renderSummary, runScenario, type RunOptions } from '../../harness/run/index.ts'
import type { RuntimeKind } from '../../harness/runtime/index.ts'
import { installSignalHandlers } from '../signals.ts'

export interface RunCliOptions {
  runtime: RuntimeKind
  guarantee?: 'at-least-once' | 'exactly-once'
  set?: string[]
  bootstrap?: string
  tls?: true
  saslMechanism?: string
  saslUsername?: string
  saslPasswordEnv?: string
  sparkMaster?: string
  sparkSubmit: string
  batch?: boolean
  results?: string
  kafkaClient?: 'platformatic' | 'kafkajs'
  brokerProfile?: 'benchmark' | 'functional'
  keepKafkaData?: true
  keepCheckpoints?: true
}

function security(o: RunCliOptions): Pick<KafkaConnection, 'tls' | 'sasl'> {
  const result: Pick<KafkaConnection, 'tls' | 'sasl'> = {}
  if (o.tls === true) result.tls = true
  if (o.saslMechanism !== undefined) {
    const mechanism = o.saslMechanism
    if (mechanism !== 'plain' && mechanism !== 'scram-sha-256' && mechanism !== 'scram-sha-512') {
      throw new TelcobenchError('TB_USAGE', `--sasl-mechanism ${mechanism} is not supported`, { fix: 'use plain, scram-sha-256 or scram-sha-512' })
    }
    const envName = o.saslPasswordEnv ?? 'TELCOBENCH_SASL_PASSWORD'
    const password = process.env[envName]
    if (o.saslUsername === undefined || password === undefined) {
      throw new TelcobenchError('TB_USAGE', 'SASL needs a user name and a password', { fix: `pass --sasl-username and put the password in $${envName} (never on the command line)` })
    }
    result.sasl = { mechanism, username: o.saslUsername, password }
  }
  return result
}

const exitFor: Record<string, ExitCodeValue> = { passed: ExitCode.passed, failed: ExitCode.thresholdsFailed, invalid: ExitCode.runInvalid, aborted: ExitCode.interrupted }

/** `telcobench run`: returns the exit code of the documented table. */
export async function runCommand(scenarioPath: string, o: RunCliOptions): Promise<number> {
  const controller = new AbortController()
  const log = (line: string): void => {
    console.error(line)
  }
  installSignalHandlers(controller, log)
  const options: RunOptions = {
    scenarioPath,
    runtime: o.runtime,
    overrides: o.set ?? [],
    signal: controller.signal,
    log,
    ...(o.guarantee !== undefined ? { guarantee: o.guarantee } : {}),
    ...(o.bootstrap !== undefined ? { bootstrap: o.bootstrap.split(',').map((s) => s.trim()) } : {}),
    ...(o.runtime === 'external' ? { security: security(o) } : {}),
    ...(o.sparkMaster !== undefined ? { sparkSubmit: { command: o.sparkSubmit, master: o.sparkMaster, extraArgs: [], sparkVersion: '4.1.1' } } : {}),
    ...(process.argv.includes('--batch') || process.argv.includes('--no-batch') ? { batch: o.batch !== false } : {}),
    ...(o.results !== undefined ? { resultsDir: o.results } : {}),
    ...(o.kafkaClient !== undefined ? { kafkaClient: o.kafkaClient } : {}),
    ...(o.brokerProfile !== undefined ? { brokerProfile: o.brokerProfile } : {}),
    ...(o.keepKafkaData === true ? { keepKafkaData: true } : {}),
    ...(o.keepCheckpoints === true ? { keepCheckpoints: true } : {}),
  }
  try {
    const { runDir, results } = await runScenario(options)
    console.log(renderSummary(results, runDir, process.stdout.isTTY && process.env['NO_COLOR'] === undefined))
    return exitFor[results.state] ?? ExitCode.internal
  } catch (error) {
    if (controller.signal.aborted) {
      console.error('telcobench: interrupted; every child process was stopped')
      return ExitCode.interrupted
    }
    throw error
  }
}
