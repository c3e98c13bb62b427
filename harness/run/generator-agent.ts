import { hostname } from 'node:os'
import { formatIssue, validateScenarioText, type ScheduledEvent } from '../../generators/index.ts'
import { packageVersion } from '../install/index.ts'
import { createKafkaClient, type KafkaClientKind, type KafkaConnection, type Producer } from '../kafka/index.ts'
import type { FromWorker } from './load-messages.ts'
import type { OpenLoopPacer } from './pacer.ts'
import { controlProducer, controlTopic, decodeControl, encodeControl, ensureControlTopic, monotonicAt, replySuffix, type Announcement, type ControlMessage } from './remote-protocol.ts'
import { produceShard } from './shard-producer.ts'

/** A generator agent on one host: `telcobench produce --join <bootstrap> --agent i/n`. */
export interface AgentOptions {
  kafka: KafkaConnection
  kafkaClient: KafkaClientKind
  /** This agent's place among the run's agents, 1-based. */
  agent: { index: number; count: number }
  /** Serve one run, then return. */
  once: boolean
  signal: AbortSignal
  log: (line: string) => void
}

/** An announcement whose load is due in less than this is stale: the run will have given up on its agents. */
const joinMarginMs = 200

/**
 * Waits on the control topic for runs that want `count` agents and produces shard `localShards + index` of each on
 * the run's clock, replying on the run's reply topic (remote-protocol.ts). Returns the number of runs served.
 */
export async function runGeneratorAgent(o: AgentOptions): Promise<number> {
  const client = createKafkaClient(o.kafkaClient, o.kafka)
  await ensureControlTopic(client)
  const replies = await client.producer(controlProducer)
  const control = await client.consumer({ topics: [controlTopic], fromBeginning: true, readCommitted: false, maxWaitMs: 100 })
  const host = hostname()
  const queue: Announcement[] = []
  let wake: (() => void) | null = null
  let current: { runId: string; abort: AbortController; pacer: OpenLoopPacer<ScheduledEvent> | null } | null = null
  const served = new Set<string>()

  const consuming = control.run((records) => {
    for (const r of records) {
      const m: ControlMessage | null = decodeControl(r.value.toString())
      if (m === null) continue
      if (m.type === 'announce') {
        if (served.has(m.runId) || m.startAtMs - Date.now() < joinMarginMs) continue
        queue.push(m)
        wake?.()
      } else if ((m.type === 'restart' || m.type === 'abort') && current?.runId === m.runId) {
        if (m.type === 'restart') current.pacer?.requestProducerRestart()
        else current.abort.abort()
      }
    }
  })
  const stop = (): void => {
    current?.abort.abort()
    wake?.()
  }
  o.signal.addEventListener('abort', stop, { once: true })
  o.log(`Generator agent ${o.agent.index}/${o.agent.count} on ${host}: waiting for runs on ${o.kafka.bootstrap.join(',')} (topic ${controlTopic}) …`)
  try {
    while (!o.signal.aborted) {
      const next = queue.shift()
      if (next === undefined) {
        await new Promise<void>((resolve) => {
          wake = resolve
        })
        wake = null
        continue
      }
      served.add(next.runId)
      const agents = next.totalShards - next.localShards
      if (o.agent.index > agents) continue
      if (next.startAtMs - Date.now() < joinMarginMs) {
        o.log(`Run ${next.runId}: skipped, its load started while this agent served another run`)
        continue
      }
      const abort = new AbortController()
      current = { runId: next.runId, abort, pacer: null }
      await serve(next, replies, o, host, abort, (pacer) => {
        if (current !== null) current.pacer = pacer
      })
      current = null
      if (o.once) break
    }
  } finally {
    o.signal.removeEventListener('abort', stop)
    await control.close()
    await consuming.catch(() => undefined)
    await replies.close()
  }
  return served.size
}

/** Serves one run: refuses it with the reason, or joins, produces the shard on the run's clock and reports. */
async function serve(a: Announcement, replies: Producer, o: AgentOptions, host: string, abort: AbortController, started: (pacer: OpenLoopPacer<ScheduledEvent>) => void): Promise<void> {
  const agents = a.totalShards - a.localShards
  // Replies go out one after another, so the run reads them in the order they were made.
  let sending: Promise<void> = Promise.resolve()
  const reply = (m: Exclude<FromWorker, { type: 'ready' }> | { type: 'joined' } | { type: 'refused'; message: string }): void => {
    const value = encodeControl({ ...m, runId: a.runId, agent: o.agent.index, host })
    sending = sending
      .then(() => replies.send(`${a.topicPrefix}${replySuffix}`, [{ key: String(o.agent.index), value }]))
      .catch((error: unknown) => {
        o.log(`Run ${a.runId}: a reply did not reach the run (${error instanceof Error ? error.message : String(error)})`)
      })
  }
  const refuse = async (message: string): Promise<void> => {
    o.log(`Run ${a.runId}: refused: ${message}`)
    reply({ type: 'refused', message })
    await sending
  }
  if (agents !== o.agent.count) return refuse(`the run wants ${agents} generator agent(s) and this agent was started as ${o.agent.index}/${o.agent.count}`)
  if (a.version !== packageVersion()) return refuse(`this agent runs telcobench ${packageVersion()}, the run ${a.version}: the stream and its encoding belong to the version`)
  const checked = validateScenarioText(a.scenarioText, a.scenarioFile, { overrides: a.overrides })
  if (!checked.ok) return refuse(`the scenario does not validate here:\n${checked.errors.map(formatIssue).join('\n')}`)
  const shard = { index: a.localShards + o.agent.index - 1, count: a.totalShards }
  reply({ type: 'joined' })
  o.log(`Run ${a.runId}: joined; producing shard ${shard.index + 1}/${shard.count} of ${a.scenarioFile} from ${new Date(a.startAtMs).toISOString()} …`)
  const client = createKafkaClient(o.kafkaClient, o.kafka)
  const outcome = { line: 'ended' }
  await produceShard(
    {
      scenario: checked.scenario,
      shard,
      runStartNs: monotonicAt(a.startAtMs),
      stampStartNs: BigInt(a.runStartNs),
      warmupNs: BigInt(a.warmupNs),
      topicPrefix: a.topicPrefix,
      newProducer: () => client.producer(a.producer),
      signal: AbortSignal.any([abort.signal, o.signal]),
    },
    (message) => {
      if (message.type === 'done') outcome.line = `sent ${message.figures.sent}, send errors ${message.figures.sendErrors}`
      if (message.type === 'failed') outcome.line = `failed: ${message.message.split('\n')[0] ?? ''}`
      reply(message)
    },
    started,
  )
  await sending
  o.log(`Run ${a.runId}: ${outcome.line}`)
}
