import { ExitCode } from '../../harness/errors.ts'
import { defaultKafkaClientKind } from '../../harness/kafka/index.ts'
import { runGeneratorAgent } from '../../harness/run/index.ts'
import type { ProduceCliOptions } from '../program.ts'
import { kafkaSecurityFromFlags } from './run.ts'

/** `telcobench produce --join <servers> --agent i/n`: a generator agent (docs/capacity.md "Generators on several hosts"). */
export async function produceCommand(o: ProduceCliOptions): Promise<number> {
  const controller = new AbortController()
  const onSignal = (): void => {
    console.error('\nstopping the generator agent …')
    controller.abort()
  }
  process.once('SIGINT', onSignal)
  process.once('SIGTERM', onSignal)
  try {
    const served = await runGeneratorAgent({
      kafka: { bootstrap: o.join, clientId: `telcobench-agent-${o.agent.index + 1}`, ...kafkaSecurityFromFlags(o) },
      kafkaClient: o.kafkaClient ?? defaultKafkaClientKind,
      agent: { index: o.agent.index + 1, count: o.agent.count },
      once: o.once === true,
      signal: controller.signal,
      log: (line) => {
        console.error(line)
      },
    })
    console.error(`Generator agent stopped after ${served} run(s)`)
    return controller.signal.aborted ? ExitCode.interrupted : ExitCode.passed
  } finally {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
  }
}
