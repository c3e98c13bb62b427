/**
 * The Kafka client port: the only Kafka API the rest of telcobench codes against.
 * Adapters (`platformatic.ts`, `kafkajs.ts`) implement it; `index.ts` picks one.
 */

/** Where and how to reach a Kafka cluster. */
export interface KafkaConnection {
  /** `host:port` bootstrap servers. */
  bootstrap: string[]
  /** Client id sent to the broker (shows in broker logs and quotas). */
  clientId: string
  /** TLS settings; `true` uses the system CAs with default verification. */
  tls?: { ca?: string; cert?: string; key?: string; rejectUnauthorized?: boolean } | true
  /** SASL credentials; used over TLS when `tls` is set, over plaintext otherwise. */
  sasl?: { mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512'; username: string; password: string }
}

/** One record to produce. A `null` key spreads records round-robin over the partitions. */
export interface OutRecord {
  key: string | null
  value: string | Buffer
}

/** Record-batch compressions both adapters support without native codecs (gzip is in Node's zlib). */
export const producerCompressions = ['none', 'gzip'] as const
export type ProducerCompression = (typeof producerCompressions)[number]

/** Producer settings. */
export interface ProducerOptions {
  /** Idempotent producer (no duplicates on retry, per-partition order kept). */
  idempotent: boolean
  /** `'all'` waits for all in-sync replicas; `1` for the leader; `0` for nothing. */
  acks: 'all' | 1 | 0
  /**
   * Coalesce concurrent `send` calls for up to this many milliseconds into one produce request.
   * @default 0 (every `send` call is its own request)
   */
  lingerMs?: number
  /**
   * Compression of every produce request's record batch (`compression.type`).
   * @default 'none'
   */
  compression?: ProducerCompression
  /** When set, every `send` call is one committed transaction under this id. */
  transactionalId?: string
}

/** Sends batches of records. */
export interface Producer {
  /**
   * Sends the records to `topic`; resolves once the broker acknowledged them (per `acks`).
   * Keyed records go to `murmur2(key) % partitions`, the Java client's partition.
   * Several calls may be in flight at once; per partition, records land in call order.
   */
  send(topic: string, records: OutRecord[]): Promise<void>
  /** Waits for in-flight sends and disconnects. */
  close(): Promise<void>
}

/** One consumed record. */
export interface InRecord {
  topic: string
  partition: number
  offset: bigint
  key: string | null
  value: Buffer
  /** The record's timestamp (producer create time unless the topic uses log-append time). */
  timestampMs: number
  /**
   * process.hrtime.bigint() when the client received the fetch response that carried the record: the moment a
   * reader had it, before any callback ran. Latency is measured to here.
   */
  receivedNs: bigint
}

/** Consumer settings. */
export interface ConsumerOptions {
  topics: string[]
  /** Start at the earliest offset; otherwise at the end (new records only). */
  fromBeginning: boolean
  /** READ_COMMITTED isolation: records of open or aborted transactions are never delivered. */
  readCommitted: boolean
  /** Consumer group; none = no group, every partition of `topics` is read by this consumer. */
  groupId?: string
  /**
   * How long the broker may hold a fetch when there is no data (fetch min bytes is 1).
   * @default 100
   */
  maxWaitMs?: number
}

/** Reads records until closed. */
export interface Consumer {
  /** calls onBatch for every fetched batch until close(); errors reject the returned promise */
  run(onBatch: (records: InRecord[]) => void): Promise<void>
  /** Stops fetching; the promise returned by `run` then resolves. */
  close(): Promise<void>
}

/** One partition's replication as the cluster's metadata reports it; `leader` is -1 while it has none. */
export interface PartitionState {
  topic: string
  partition: number
  leader: number
  replicas: number[]
  isr: number[]
}

/** One ALLOW rule: `principal` (e.g. `User:tb-engine`) may do `operation` on the resource, from any host. */
export interface AclGrant {
  resource: 'topic' | 'group' | 'transactional-id' | 'cluster'
  /** The resource name (`kafka-cluster` for the cluster), or a name prefix with `pattern: 'prefixed'`. */
  name: string
  pattern: 'literal' | 'prefixed'
  principal: string
  operation: 'read' | 'write' | 'create' | 'describe' | 'idempotent-write'
}

/** Cluster administration. */
export interface Admin {
  /**
   * Creates the topics; waits until they are usable. Existing topics are an error. `minInsyncReplicas` sets the
   * topics' `min.insync.replicas` (absent: the broker's default).
   */
  /** `configs`: topic-level settings, e.g. `{ 'message.timestamp.type': 'LogAppendTime' }`. */
  createTopics(names: string[], partitions: number, replicationFactor?: number, minInsyncReplicas?: number, configs?: Readonly<Record<string, string>>): Promise<void>
  deleteTopics(names: string[]): Promise<void>
  /** Topic names, internal topics excluded. */
  listTopics(): Promise<string[]>
  /** The log end offset (high watermark) of every partition of `topic`. */
  endOffsets(topic: string): Promise<Map<number, bigint>>
  describeCluster(): Promise<{ brokers: number; controller: number | null }>
  /** Adds ALLOW rules to the broker's authorizer. */
  createAcls(grants: AclGrant[]): Promise<void>
  /** Leader, replicas and in-sync replicas of every partition of `topics`, from fresh metadata. */
  partitionStates(topics: string[]): Promise<PartitionState[]>
  close(): Promise<void>
}

/** A factory for producers, consumers and admins on one cluster, backed by one Node client library. */
export interface KafkaClient {
  readonly kind: 'platformatic' | 'kafkajs'
  producer(o: ProducerOptions): Promise<Producer>
  consumer(o: ConsumerOptions): Promise<Consumer>
  admin(): Promise<Admin>
}

/** The Node Kafka client libraries telcobench has adapters for. */
export type KafkaClientKind = KafkaClient['kind']
