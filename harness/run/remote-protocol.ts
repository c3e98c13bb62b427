import type { KafkaClient, ProducerOptions } from '../kafka/index.ts'
import type { FromWorker } from './load-messages.ts'

/**
 * Generators on other hosts (docs/capacity.md "Generators on several hosts"): a run announces itself on one
 * shared control topic, which the generator agents (`telcobench produce --join`) read; they answer on the run's own
 * reply topic, produce their shards into the run's topics on the run's clock and post back, as JSON records, what a
 * worker thread would post.
 */
export const controlTopic = 'telcobench.generators'

/** The suffix of a run's reply topic (`tb.<run id>.generators`), read by the run from its beginning. */
export const replySuffix = 'generators'

/** A run's invitation: everything an agent needs to make the same stream and send its shard on the run's clock. */
export interface Announcement {
  type: 'announce'
  runId: string
  /** The agents must run this telcobench version: the stream and its encoding are part of the version. */
  version: string
  scenarioFile: string
  scenarioText: string
  overrides: string[]
  /** The run's topics are `<topicPrefix><suffix>`; agents answer on `<topicPrefix>generators`. */
  topicPrefix: string
  /** Wall-clock ms (epoch) at which the load's schedule starts on every host. */
  startAtMs: number
  /** The run's own monotonic ns for that instant: agents stamp their records with it so the run can time them. */
  runStartNs: string
  warmupNs: string
  /** Shards of the whole stream; the run's own threads produce the first `localShards`, agent i shard localShards+i-1. */
  totalShards: number
  localShards: number
  producer: ProducerOptions
}

/** The run → its agents, after the announcement: a generator-restart fault, or stop now. */
export interface RunCommand {
  type: 'restart' | 'abort'
  runId: string
}

/** An agent → the run: joined (or refused, with why), then what a worker thread posts, clocks in the run's ns. */
export type AgentMessage = { runId: string; agent: number; host: string } & ({ type: 'joined' } | { type: 'refused'; message: string } | Exclude<FromWorker, { type: 'ready' }>)

export type ControlMessage = Announcement | RunCommand | AgentMessage

/** JSON has no bigint: the book's clock readings travel as `{ "$bigint": "<decimal>" }`, a shape no record has. */
export function encodeControl(message: ControlMessage): string {
  return JSON.stringify(message, (_key, value: unknown) => (typeof value === 'bigint' ? { $bigint: value.toString() } : value))
}

const isBigintBox = (value: unknown): value is { $bigint: string } => typeof value === 'object' && value !== null && Object.keys(value).length === 1 && typeof (value as { $bigint?: unknown }).$bigint === 'string'

/** Parses a control record, bigints back from their boxes. Returns null for a record that is not one. */
export function decodeControl(text: string): ControlMessage | null {
  try {
    const parsed = JSON.parse(text, (_key, value: unknown) => (isBigintBox(value) ? BigInt(value.$bigint) : value)) as unknown
    if (typeof parsed !== 'object' || parsed === null || !('type' in parsed) || !('runId' in parsed)) return null
    return parsed as ControlMessage
  } catch {
    return null
  }
}

/** Monotonic ns on this host at wall-clock `epochMs`. Hosts agree on the instant as well as their clocks (NTP) do. */
export function monotonicAt(epochMs: number): bigint {
  return process.hrtime.bigint() + BigInt(Math.round((epochMs - Date.now()) * 1e6))
}

/** Creates the control topic unless it exists (the run or an agent, whichever comes first). */
export async function ensureControlTopic(client: KafkaClient, replicationFactor = 1): Promise<void> {
  const admin = await client.admin()
  try {
    if ((await admin.listTopics()).includes(controlTopic)) return
    try {
      // One partition keeps the runs' announcements and commands in order; agents read it from the beginning and
      // skip what is stale, so an hour of retention keeps it small.
      await admin.createTopics([controlTopic], 1, replicationFactor, undefined, { 'retention.ms': String(3600_000) })
    } catch (error) {
      if (!(await admin.listTopics()).includes(controlTopic)) throw error
    }
  } finally {
    await admin.close()
  }
}

/** A reply topic's records carry a worker part each: a second of a fast shard's usage ids fits many times over. */
export const replyTopicConfigs = { 'max.message.bytes': String(16 * 1024 * 1024) }

/** The producer of control and reply records: one in-order idempotent stream. */
export const controlProducer: ProducerOptions = { idempotent: true, acks: 'all', lingerMs: 0 }
