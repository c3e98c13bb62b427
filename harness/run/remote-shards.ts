import { TelcobenchError } from '../errors.ts'
import type { Consumer, KafkaClient, Producer } from '../kafka/index.ts'
import type { FromWorker } from './load-messages.ts'
import { controlProducer, controlTopic, decodeControl, encodeControl, replySuffix, type AgentMessage, type Announcement } from './remote-protocol.ts'

/** What a worker-shaped message from an agent carries: the same part, done and failed a worker thread posts. */
export type AgentPart = Exclude<FromWorker, { type: 'ready' }>

interface AgentSlot {
  host: string | null
  joined: boolean
  /** Messages that came before the load asked for this agent's feed. */
  waiting: AgentPart[]
  deliver: ((message: AgentPart) => void) | null
}

/**
 * The run's side of generators on other hosts: announces the run on the control topic, reads the agents' replies
 * from the run's reply topic (from its beginning, so nothing sent before the consumer was ready is missed), and
 * hands each agent's parts to the load as they come.
 */
export class RemoteShards {
  private readonly announcement: Announcement
  private readonly producer: Producer
  private readonly replies: Consumer
  private readonly slots: AgentSlot[]
  private joinWaiter: { resolve: () => void; reject: (e: Error) => void } | null = null
  private refusal: Error | null = null
  private readonly consuming: Promise<void>

  private constructor(announcement: Announcement, producer: Producer, replies: Consumer) {
    this.announcement = announcement
    this.producer = producer
    this.replies = replies
    const agents = announcement.totalShards - announcement.localShards
    this.slots = Array.from({ length: agents }, () => ({ host: null, joined: false, waiting: [], deliver: null }))
    this.consuming = replies.run((records) => {
      for (const r of records) {
        const message = decodeControl(r.value.toString())
        if (message !== null && message.runId === announcement.runId && 'agent' in message) this.receive(message)
      }
    })
  }

  /** Starts reading the reply topic (which the run created with its other topics), then announces the run. */
  static async announce(client: KafkaClient, announcement: Announcement): Promise<RemoteShards> {
    const replies = await client.consumer({ topics: [`${announcement.topicPrefix}${replySuffix}`], fromBeginning: true, readCommitted: false, maxWaitMs: 50 })
    const producer = await client.producer(controlProducer)
    const shards = new RemoteShards(announcement, producer, replies)
    await producer.send(controlTopic, [{ key: announcement.runId, value: encodeControl(announcement) }])
    return shards
  }

  get agents(): number {
    return this.slots.length
  }

  /** Resolves once every agent joined; fails on a refusal, or when one has not answered by `deadlineMs` (epoch). */
  async joined(deadlineMs: number): Promise<void> {
    if (this.refusal !== null) throw this.refusal
    if (this.slots.every((s) => s.joined)) return
    const waited = new Promise<void>((resolve, reject) => {
      this.joinWaiter = { resolve, reject }
    })
    const timer = setTimeout(() => {
      const missing = this.slots.flatMap((s, i) => (s.joined ? [] : [i + 1]))
      this.joinWaiter?.reject(
        new TelcobenchError('TB_INFRA_UNAVAILABLE', `generator agent(s) ${missing.map((a) => `${a}/${this.agents}`).join(', ')} did not join run ${this.announcement.runId} before its load was due`, {
          fix: `on each generator host run \`telcobench produce --join <bootstrap> --agent i/${this.agents}\` (i = 1…${this.agents}), with the same telcobench version (${this.announcement.version}), before starting the run`,
        }),
      )
    }, Math.max(0, deadlineMs - Date.now()))
    try {
      await waited
    } finally {
      clearTimeout(timer)
      this.joinWaiter = null
    }
  }

  /** The host agent `agent` (0-based) named when it joined. */
  hostOf(agent: number): string {
    return this.slots[agent]?.host ?? 'unknown host'
  }

  /** Feeds agent `agent`'s parts to `deliver`, those already received first. */
  feed(agent: number, deliver: (message: AgentPart) => void): void {
    const slot = this.slots[agent]
    if (slot === undefined) throw new Error(`no generator agent ${agent + 1}`)
    slot.deliver = deliver
    for (const message of slot.waiting.splice(0)) deliver(message)
  }

  /** Passes a generator-restart fault or an abort to every agent. */
  async tell(type: 'restart' | 'abort'): Promise<void> {
    await this.producer.send(controlTopic, [{ key: this.announcement.runId, value: encodeControl({ type, runId: this.announcement.runId }) }])
  }

  async close(): Promise<void> {
    await this.replies.close()
    await this.consuming.catch(() => undefined)
    await this.producer.close()
  }

  private receive(message: AgentMessage): void {
    const slot = this.slots[message.agent - 1]
    if (slot === undefined) return
    if (message.type === 'joined' || message.type === 'refused') {
      slot.host = message.host
      if (message.type === 'refused') {
        this.refusal = new TelcobenchError('TB_INFRA_UNAVAILABLE', `generator agent ${message.agent}/${this.agents} on ${message.host} refused run ${message.runId}: ${message.message}`, { fix: 'fix what the agent says (its telcobench version, or the scenario it cannot load), restart it and run again' })
        this.joinWaiter?.reject(this.refusal)
        return
      }
      slot.joined = true
      if (this.slots.every((s) => s.joined)) this.joinWaiter?.resolve()
      return
    }
    if (slot.deliver === null) slot.waiting.push(message)
    else slot.deliver(message)
  }
}
