import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import { TelcobenchError } from '../errors.ts'
import type { JavaInfo } from './java.ts'
import { javaOutput, LocalKafkaBroker, type BrokerJvmProfile } from './kafka-broker.ts'
import { readClasspath } from './maven.ts'
import { kafkaClasspathFile } from './paths.ts'
import { freePort } from './ports.ts'

export interface ClusterSettings {
  brokers: number
  replicationFactor: number
  minInsyncReplicas: number
}

export interface ClusterOptions extends ClusterSettings {
  java: JavaInfo
  /** Folder holding one sub-folder per node (`node-1`, …). */
  dir: string
  logDir: string
  profile: BrokerJvmProfile
  partitions: number
  readyTimeoutMs?: number
}

/**
 * A Kafka id as Kafka's `Uuid.toString` writes it: 16 random bytes in URL-safe base64 without padding. Kafka's own
 * generator never returns one starting with `-` (it would read as a command-line flag), so neither does this.
 */
export function kafkaUuid(random: (n: number) => Buffer = randomBytes): string {
  for (;;) {
    const id = random(16).toString('base64url')
    if (!id.startsWith('-')) return id
  }
}

/**
 * How long each node may take to start: three JVMs start at once on the same cores, and none is ready before a
 * quorum has formed, so a cold start takes three times a single broker's (measured 20–75 s on the 2-core machine
 * under other engineers' load) and the single broker's 60 s is too short.
 */
export const clusterReadyTimeoutMs = 180_000

/**
 * A replicated KRaft cluster on loopback: N combined broker+controller JVMs, every one a voter of the metadata
 * quorum (docs/runtime.md "A replicated cluster" says why not a dedicated controller).
 */
export class LocalKafkaCluster {
  readonly nodes: LocalKafkaBroker[]
  private readonly o: ClusterOptions

  private constructor(o: ClusterOptions, nodes: LocalKafkaBroker[]) {
    this.o = o
    this.nodes = nodes
  }

  /** Formats every node into one cluster and starts them together (a node cannot finish starting without a quorum). */
  static async start(o: ClusterOptions): Promise<LocalKafkaCluster> {
    const ids = Array.from({ length: o.brokers }, (_, i) => i + 1)
    const ports = await Promise.all(ids.map(async () => ({ client: await freePort(), controller: await freePort(), directoryId: kafkaUuid() })))
    const at = (id: number): { client: number; controller: number; directoryId: string } => {
      const p = ports[id - 1]
      if (p === undefined) throw new Error(`no ports for node ${id}`)
      return p
    }
    const clusterId = kafkaUuid()
    const initialControllers = ids.map((id) => `${id}@127.0.0.1:${at(id).controller}:${at(id).directoryId}`).join(',')
    const quorumBootstrap = ids.map((id) => `127.0.0.1:${at(id).controller}`).join(',')
    const nodes = ids.map(
      (id) =>
        new LocalKafkaBroker({
          java: o.java,
          dir: join(o.dir, `node-${id}`),
          logDir: o.logDir,
          profile: o.profile,
          partitions: o.partitions,
          clientPort: at(id).client,
          controllerPort: at(id).controller,
          readyTimeoutMs: o.readyTimeoutMs ?? clusterReadyTimeoutMs,
          node: { id, clusterId, initialControllers, quorumBootstrap, replicationFactor: o.replicationFactor, minInsyncReplicas: o.minInsyncReplicas },
        }),
    )
    const cluster = new LocalKafkaCluster(o, nodes)
    const started = await Promise.allSettled(nodes.map((n) => n.start()))
    const failed = started.find((r) => r.status === 'rejected')
    if (failed !== undefined) {
      await cluster.stop(5_000)
      throw failed.reason
    }
    return cluster
  }

  /** Every node's client listener. */
  get bootstrap(): string[] {
    return this.nodes.map((n) => n.bootstrap)
  }

  /** The node with this `node.id`. */
  node(id: number): LocalKafkaBroker {
    const n = this.nodes.find((b) => b.options.node?.id === id)
    if (n === undefined) throw new TelcobenchError('TB_INTERNAL', `the cluster has no node ${id}`)
    return n
  }

  /**
   * The node id of the active controller, the leader of the metadata quorum. The Metadata response's controller id is
   * some broker in KRaft, not the active controller, so this asks the quorum itself (DescribeQuorum, through
   * Kafka's MetadataQuorumCommand) at a live node's controller listener.
   */
  async activeController(): Promise<number> {
    const live = this.nodes.find((n) => n.running)
    if (live === undefined) throw new Error('no node of the cluster is running')
    const out = await javaOutput(this.o.java, ['-Xmx128m', '-XX:TieredStopAtLevel=1', '-cp', readClasspath(kafkaClasspathFile), 'org.apache.kafka.tools.MetadataQuorumCommand', '--bootstrap-controller', `127.0.0.1:${live.controllerPort}`, 'describe', '--status'])
    const leader = /LeaderId:\s*(\d+)/.exec(out)?.[1]
    if (leader === undefined) throw new Error(`MetadataQuorumCommand named no leader:\n${out}`)
    return Number(leader)
  }

  /** Controlled shutdown of every node at once. */
  async stop(graceMs = 20_000): Promise<void> {
    await Promise.all(this.nodes.map((n) => n.stop(graceMs)))
  }
}
