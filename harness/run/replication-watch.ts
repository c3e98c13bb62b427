import type { Admin, KafkaClient, PartitionState } from '../kafka/index.ts'

/** Partitions whose in-sync replicas are fewer than their replicas (a node is down or catching up). */
export function countUnderReplicated(states: readonly PartitionState[]): number {
  return states.filter((p) => p.isr.length < p.replicas.length).length
}

/**
 * The run topics' replication as the cluster reports it: the leader of a partition when a fault asks, and the
 * under-replicated partition count sampled once a second into the run's timeline while started. One admin client,
 * opened on first use; a sample that fails (the node it asked just died) is skipped, the next one asks again.
 */
export class ReplicationWatch {
  private adminOrNull: Promise<Admin> | null = null
  private timer: NodeJS.Timeout | null = null
  private sampling = false
  private readonly client: KafkaClient
  private readonly topics: string[]
  private readonly onSample: (underReplicated: number, atNs: bigint) => void

  constructor(client: KafkaClient, topics: string[], onSample: (underReplicated: number, atNs: bigint) => void) {
    this.client = client
    this.topics = topics
    this.onSample = onSample
  }

  private admin(): Promise<Admin> {
    this.adminOrNull ??= this.client.admin()
    return this.adminOrNull
  }

  start(): void {
    this.timer = setInterval(() => {
      if (this.sampling) return
      this.sampling = true
      this.underReplicated()
        .then((n) => {
          this.onSample(n, process.hrtime.bigint())
        })
        .catch(() => undefined)
        .finally(() => {
          this.sampling = false
        })
    }, 1000)
  }

  async underReplicated(): Promise<number> {
    return countUnderReplicated(await (await this.admin()).partitionStates(this.topics))
  }

  /** The node id leading `topic`'s `partition` now; throws when it has no leader. */
  async leaderOf(topic: string, partition: number): Promise<number> {
    const state = (await (await this.admin()).partitionStates([topic])).find((p) => p.topic === topic && p.partition === partition)
    if (state === undefined || state.leader < 0) throw new Error(`${topic}:${partition} has no leader`)
    return state.leader
  }

  async stop(): Promise<void> {
    if (this.timer !== null) clearInterval(this.timer)
    this.timer = null
    const admin = this.adminOrNull
    this.adminOrNull = null
    if (admin !== null) await (await admin).close()
  }
}
