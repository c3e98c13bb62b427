import {
  AclOperations,
  AclPermissionTypes,
  Admin as PltAdmin,
  Consumer as PltConsumer,
  FetchIsolationLevels,
  GenericError,
  MultipleErrors,
  ListOffsetTimestamps,
  MessagesStreamFallbackModes,
  MessagesStreamModes,
  ProduceAcks,
  ResourcePatternTypes,
  ResourceTypes,
  kGetConnection,
  Producer as PltProducer,
  murmur2,
  type BaseOptions,
  type Broker,
  type Callback,
  type Connection,
  type FetchOptions,
  type Message,
  type MessageToProduce,
  type SASLMechanismValue,
} from '@platformatic/kafka'
import type { ConnectionOptions as TlsConnectionOptions } from 'node:tls'
import { isBrokerUnreachable, withKafkaErrors, wrapKafkaError } from './errors.ts'
import { Linger, type TopicBatch } from './linger.ts'
import type { AclGrant, Admin, Consumer, ConsumerOptions, InRecord, KafkaClient, KafkaConnection, OutRecord, PartitionState, Producer, ProducerOptions } from './port.ts'
import { topicConfigs } from './topic-configs.ts'
import { decodePartition } from './records.ts'

type FetchRequestTopic = FetchOptions<Buffer, Buffer, Buffer, Buffer>['topics'][number]

const saslMechanisms: Record<NonNullable<KafkaConnection['sasl']>['mechanism'], SASLMechanismValue> = {
  plain: 'PLAIN',
  'scram-sha-256': 'SCRAM-SHA-256',
  'scram-sha-512': 'SCRAM-SHA-512',
}


function baseOptions(conn: KafkaConnection, suffix: string): BaseOptions {
  const options: BaseOptions = {
    clientId: `${conn.clientId}-${suffix}`,
    bootstrapBrokers: conn.bootstrap,
    // Skips per-call JSON-schema validation in the hot path; the port's types already constrain the input.
    strict: false,
    retries: 3,
    retryDelay: 250,
    connectTimeout: 5000,
  }
  if (conn.tls !== undefined) {
    const tls: TlsConnectionOptions = conn.tls === true ? {} : { ...conn.tls }
    options.tls = tls
  }
  if (conn.sasl !== undefined) {
    options.sasl = { mechanism: saslMechanisms[conn.sasl.mechanism], username: conn.sasl.username, password: conn.sasl.password }
  }
  return options
}

/**
 * @platformatic/kafka 1.35 looks a partition's leader up in the metadata's broker list and connects to it without
 * checking that it is there. Just after a node of a cluster dies, a metadata answer can still name that node as a
 * partition's leader while no longer listing it as a broker: the library then throws inside a callback, which ends
 * the Node process. This turns that case into an ordinary failed request (cleared metadata, so the retry asks
 * again), which the callers retry as they retry any unreachable leader.
 */
function missingLeader(broker: unknown, clearMetadata: () => void, callback: Callback<Connection>): boolean {
  if (broker !== undefined) return false
  clearMetadata()
  callback(new Error('the partition leader named by the metadata is not among its brokers (a node just left the cluster)'))
  return true
}

class SafeProducer extends PltProducer {
  override [kGetConnection](broker: Broker, callback: Callback<Connection>): void {
    if (!missingLeader(broker, () => { this.clearMetadata() }, callback)) super[kGetConnection](broker, callback)
  }
}

class SafeConsumer extends PltConsumer {
  override [kGetConnection](broker: Broker, callback: Callback<Connection>): void {
    if (!missingLeader(broker, () => { this.clearMetadata() }, callback)) super[kGetConnection](broker, callback)
  }
}

class SafeAdmin extends PltAdmin {
  override [kGetConnection](broker: Broker, callback: Callback<Connection>): void {
    if (!missingLeader(broker, () => { this.clearMetadata() }, callback)) super[kGetConnection](broker, callback)
  }
}

// murmur2(key) & 0x7fffffff, like the Java client; the library's default partitioner uses `>>> 0`, which
// disagrees with Java (and Spark) for keys whose hash is negative. Null keys go round robin.
function javaCompatiblePartitioner(): (message: MessageToProduce, key: Buffer | undefined) => number {
  let next = 0
  return (_message, key) => (key === undefined ? next++ : murmur2(key) & 0x7fffffff)
}

function toMessage(topic: string, record: OutRecord): MessageToProduce {
  const value = typeof record.value === 'string' ? Buffer.from(record.value) : record.value
  return record.key === null ? { topic, value } : { topic, key: Buffer.from(record.key), value }
}

async function createProducer(conn: KafkaConnection, o: ProducerOptions): Promise<Producer> {
  const acks = o.acks === 'all' ? ProduceAcks.ALL : o.acks === 1 ? ProduceAcks.LEADER : ProduceAcks.NO_RESPONSE
  const transactional = o.transactionalId !== undefined
  const idempotent = o.idempotent || transactional
  const openSession = (): SafeProducer =>
    new SafeProducer({
      ...baseOptions(conn, 'producer'),
      idempotent,
      acks,
      partitioner: javaCompatiblePartitioner(),
      compression: o.compression ?? 'none',
      // Requests per connection; the Linger below decides how many produce requests overlap.
      maxInflights: 5,
      ...(transactional ? { transactionalId: o.transactionalId } : {}),
    })
  let producer = openSession()
  const bootstrap = conn.bootstrap

  // Linger runs one flush at a time for transactional producers, so transactions never overlap.
  const flush = async (batches: TopicBatch<OutRecord>[]): Promise<void> => {
    const messages = batches.flatMap(({ topic, records }) => records.map((r) => toMessage(topic, r)))
    if (!transactional) {
      const session = producer
      try {
        await session.send({ messages })
      } catch (error) {
        // @platformatic/kafka 1.35 advances a partition's idempotent sequence only when the whole Produce request
        // succeeds. When one partition's batch was appended and another's failed (a timeout under overload), the
        // caller's retry re-sends the appended batch under its old base sequence, merged with newer records into a
        // batch of another length; the broker answers OUT_OF_ORDER_SEQUENCE_NUMBER, and does so to every later
        // request of the session, which never recovers. A new session (a new producer id, sequences from 0) lets
        // the caller's retry through; records appended twice that way are exact duplicates, which the pipelines
        // remove by id.
        if (idempotent && isBrokenSequence(error) && producer === session) {
          producer = openSession()
          session.close(true, () => undefined)
        }
        throw error
      }
      return
    }
    const transaction = await producer.beginTransaction()
    try {
      await transaction.send({ messages })
      await transaction.commit()
    } catch (error) {
      // The send's error is the one worth reporting; a failed abort leaves the broker to time the transaction out.
      if (!transaction.completed) await transaction.abort().catch(() => undefined)
      throw error
    }
  }
  const linger = new Linger(flush, {
    lingerMs: o.lingerMs ?? 0,
    batchRecords: 500,
    maxRequestRecords: 5000,
    // @platformatic/kafka 1.35 advances the idempotent sequence numbers only when a Produce response
    // arrives, so two concurrent requests to a partition reuse one sequence and the broker rejects the
    // second with OUT_OF_ORDER_SEQUENCE_NUMBER. One request at a time; sends made meanwhile are merged.
    maxInFlight: o.idempotent || transactional ? 1 : 5,
  })

  await withKafkaErrors(bootstrap, 'producer connect', async () => {
    await producer.metadata({ topics: [] })
  })
  return {
    async send(topic, records) {
      if (records.length === 0) return
      await withKafkaErrors(bootstrap, `produce to ${topic}`, () => linger.send(topic, records))
    },
    async close() {
      await linger.drain()
      await producer.close()
    },
  }
}

/** Errors after which an idempotent session's sequence numbers no longer match the broker's. */
const brokenSequenceCodes = new Set(['OUT_OF_ORDER_SEQUENCE_NUMBER', 'UNKNOWN_PRODUCER_ID', 'INVALID_PRODUCER_EPOCH'])

/** True when `error`, or an error it wraps, is one the same idempotent session can never get past. */
export function isBrokenSequence(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false
  const found = error as { apiId?: unknown; errors?: unknown; cause?: unknown }
  if (typeof found.apiId === 'string' && brokenSequenceCodes.has(found.apiId)) return true
  if (Array.isArray(found.errors) && found.errors.some((e: unknown) => isBrokenSequence(e))) return true
  return found.cause !== undefined && found.cause !== error && isBrokenSequence(found.cause)
}

/** How long the no-group consumer retries an unreachable broker or a moved leader before failing. */
const transientLimitMs = 60_000

/** Errors that a later fetch with fresh metadata may not hit: lost connections, leader changes, timeouts. */
function isTransient(error: unknown): boolean {
  if (isBrokerUnreachable(error) || isLeaderChangeMisparse(error)) return true
  if (!(error instanceof GenericError || error instanceof MultipleErrors)) return false
  const found: { code: string; findBy(property: string, value: unknown): unknown } = error
  return found.code === 'PLT_KFK_TIMEOUT' || found.findBy('canRetry', true) !== null || found.findBy('hasStaleMetadata', true) !== null
}

/**
 * @platformatic/kafka 1.35 reads a tagged-field section as "<byte length> <bytes>" instead of "<field count>
 * (<tag> <size> <bytes>)*", so it can only decode an empty one. A Fetch response whose partition reports a leader
 * change (NOT_LEADER_OR_FOLLOWER, FENCED_LEADER_EPOCH, ...) carries the CurrentLeader tagged field, and decoding
 * fails with OUT_OF_BOUNDS. A single-node broker resumed after a pause longer than broker.session.timeout.ms is
 * fenced and unfenced by its own controller, which bumps every leader epoch: without this, the harness stopped
 * reading the outputs for good there. The whole response is consumed either way, so the connection stays
 * usable, and a retry with fresh metadata (the new leader epoch) gets a response without the field.
 */
export function isLeaderChangeMisparse(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false
  const record = error as { code?: unknown; errors?: unknown }
  // The same misread can also land inside the records that follow the field, where garbage reads as a batch with an
  // impossible compression code (seen during a rolling restart of a cluster, every partition's leader moving).
  if (record.code === 'OUT_OF_BOUNDS' || record.code === 'PLT_KFK_OUT_OF_BOUNDS' || record.code === 'PLT_KFK_UNSUPPORTED_COMPRESSION') return true
  return Array.isArray(record.errors) && record.errors.some((e: unknown) => isLeaderChangeMisparse(e))
}

/**
 * Reads every partition of the topics with plain Fetch requests: no group, no coordinator.
 * Transient failures (see {@link isTransient}) are retried for up to a minute.
 */
async function createAssignedConsumer(conn: KafkaConnection, o: ConsumerOptions): Promise<Consumer> {
  const isolationLevel = o.readCommitted ? FetchIsolationLevels.READ_COMMITTED : FetchIsolationLevels.READ_UNCOMMITTED
  const client = new SafeConsumer({
    ...baseOptions(conn, 'consumer'),
    // Required by the constructor; never used, since this consumer never joins a group.
    groupId: `${conn.clientId}-unused`,
    minBytes: 1,
    maxWaitTime: o.maxWaitMs ?? 100,
    maxBytes: 8 * 1024 * 1024,
    isolationLevel,
  })
  const bootstrap = conn.bootstrap
  const start = await withKafkaErrors(bootstrap, 'consumer list offsets', () =>
    client.listOffsets({ topics: o.topics, timestamp: o.fromBeginning ? ListOffsetTimestamps.EARLIEST : ListOffsetTimestamps.LATEST, isolationLevel }),
  )
  const positions = new Map<string, bigint>()
  for (const [topic, offsets] of start) {
    offsets.forEach((offset, partition) => positions.set(`${topic}\u0000${partition}`, offset))
  }
  let closed = false

  const fetchOnce = async (onBatch: (records: InRecord[]) => void): Promise<void> => {
    const metadata = await client.metadata({ topics: o.topics })
    const byLeader = new Map<number, FetchRequestTopic[]>()
    const names = new Map<string, string>()
    for (const topic of o.topics) {
      const info = metadata.topics.get(topic)
      if (info === undefined) continue
      names.set(info.id, topic)
      info.partitions.forEach((p, partition) => {
        // No leader during an election: skip the partition until the metadata names one.
        if (p.leader < 0) return
        const fetchOffset = positions.get(`${topic}\u0000${partition}`) ?? 0n
        const list = byLeader.get(p.leader) ?? []
        list.push({ topicId: info.id, partitions: [{ partition, fetchOffset, currentLeaderEpoch: p.leaderEpoch, lastFetchedEpoch: -1, partitionMaxBytes: 1024 * 1024 }] })
        byLeader.set(p.leader, list)
      })
    }
    await Promise.all(
      [...byLeader].map(async ([node, topics]) => {
        const response = await client.fetch({ node, topics, minBytes: 1, maxWaitTime: o.maxWaitMs ?? 100, isolationLevel })
        const receivedNs = process.hrtime.bigint()
        if (closed) return
        const out: InRecord[] = []
        for (const topicResponse of response.responses) {
          const topic = names.get(topicResponse.topicId)
          if (topic === undefined) continue
          for (const p of topicResponse.partitions) {
            const key = `${topic}\u0000${p.partitionIndex}`
            const from = positions.get(key) ?? 0n
            const decoded = decodePartition(topic, p.partitionIndex, p.records ?? [], from, receivedNs, o.readCommitted ? p.abortedTransactions : undefined)
            positions.set(key, decoded.nextOffset)
            for (const r of decoded.records) out.push(r)
          }
        }
        if (out.length > 0) onBatch(out)
      }),
    )
  }

  let markClosed: () => void = () => undefined
  const closedSignal = new Promise<void>((resolve) => {
    markClosed = resolve
  })
  return {
    async run(onBatch) {
      const loop = async (): Promise<void> => {
        let failingSince: number | undefined
        let backoffMs = 100
        while (!closed) {
          try {
            await fetchOnce(onBatch)
            failingSince = undefined
            backoffMs = 100
          } catch (error) {
            if (closed) return
            // Ride out a broker restart or a leader move, as the Java consumer does; give up after a minute.
            failingSince ??= Date.now()
            if (!isTransient(error) || Date.now() - failingSince > transientLimitMs) throw wrapKafkaError(error, bootstrap, 'consumer fetch')
            client.clearMetadata()
            await new Promise((r) => setTimeout(r, backoffMs))
            backoffMs = Math.min(backoffMs * 2, 2000)
          }
        }
      }
      // A fetch cut off by close() is retried by the library before it fails; run() does not wait for that.
      await Promise.race([loop(), closedSignal])
    },
    async close() {
      if (closed) return
      closed = true
      markClosed()
      await client.close()
    },
  }
}

/** Joins `groupId`; the group coordinator assigns partitions and offsets are committed automatically. */
async function createGroupConsumer(conn: KafkaConnection, o: ConsumerOptions & { groupId: string }): Promise<Consumer> {
  const isolationLevel = o.readCommitted ? FetchIsolationLevels.READ_COMMITTED : FetchIsolationLevels.READ_UNCOMMITTED
  const client = new SafeConsumer({
    ...baseOptions(conn, 'consumer'),
    groupId: o.groupId,
    minBytes: 1,
    maxWaitTime: o.maxWaitMs ?? 100,
    isolationLevel,
    autocommit: 1000,
  })
  const bootstrap = conn.bootstrap
  const stream = await withKafkaErrors(bootstrap, 'consumer join group', () =>
    client.consume({
      topics: o.topics,
      mode: MessagesStreamModes.COMMITTED,
      fallbackMode: o.fromBeginning ? MessagesStreamFallbackModes.EARLIEST : MessagesStreamFallbackModes.LATEST,
      autocommit: 1000,
    }),
  )
  let closed = false
  return {
    run(onBatch) {
      return new Promise<void>((resolve, reject) => {
        let pending: InRecord[] = []
        // The stream emits one message at a time; messages of one fetch arrive in the same tick.
        const deliver = (): void => {
          const batch = pending
          pending = []
          if (batch.length > 0) onBatch(batch)
        }
        stream.on('data', (m: Message) => {
          if (pending.length === 0) setImmediate(deliver)
          pending.push({
            topic: m.topic,
            partition: m.partition,
            offset: m.offset,
            key: m.key.length === 0 ? null : m.key.toString('utf8'),
            value: m.value,
            timestampMs: Number(m.timestamp),
            receivedNs: process.hrtime.bigint(),
          })
        })
        stream.once('error', (error: Error) => {
          if (closed) resolve()
          else reject(wrapKafkaError(error, bootstrap, 'consumer fetch'))
        })
        stream.once('close', () => {
          deliver()
          resolve()
        })
      })
    },
    async close() {
      if (closed) return
      closed = true
      await stream.close()
      await client.close()
    },
  }
}

const pltResource = { topic: ResourceTypes.TOPIC, group: ResourceTypes.GROUP, 'transactional-id': ResourceTypes.TRANSACTIONAL_ID, cluster: ResourceTypes.CLUSTER } as const
const pltOperation = { read: AclOperations.READ, write: AclOperations.WRITE, create: AclOperations.CREATE, describe: AclOperations.DESCRIBE, 'idempotent-write': AclOperations.IDEMPOTENT_WRITE } as const

function pltAcl(g: AclGrant): Parameters<PltAdmin['createAcls']>[0]['creations'][number] {
  return {
    resourceType: pltResource[g.resource],
    resourceName: g.name,
    resourcePatternType: g.pattern === 'literal' ? ResourcePatternTypes.LITERAL : ResourcePatternTypes.PREFIXED,
    principal: g.principal,
    host: '*',
    operation: pltOperation[g.operation],
    permissionType: AclPermissionTypes.ALLOW,
  }
}

async function createAdmin(conn: KafkaConnection): Promise<Admin> {
  const admin = new SafeAdmin(baseOptions(conn, 'admin'))
  const bootstrap = conn.bootstrap
  const guard = <T>(operation: string, fn: () => Promise<T>): Promise<T> => withKafkaErrors(bootstrap, operation, fn)
  await guard('admin connect', () => admin.metadata({ topics: [] }))
  return {
    createTopics: (names, partitions, replicationFactor = 1, minInsyncReplicas, configs = {}) =>
      guard('create topics', async () => {
        await admin.createTopics({ topics: names, partitions, replicas: replicationFactor, configs: topicConfigs(minInsyncReplicas, configs) })
        // CreateTopics returns before every partition has a leader in the broker's metadata cache.
        for (let attempt = 0; ; attempt++) {
          const metadata = await admin.metadata({ topics: names, forceUpdate: true })
          const ready = names.every((n) => {
            const t = metadata.topics.get(n)
            return t !== undefined && t.partitionsCount === partitions && t.partitions.every((p) => p.leader >= 0)
          })
          if (ready) return
          if (attempt >= 100) throw new Error(`topics ${names.join(', ')} have no leaders after 10 s`)
          await new Promise((r) => setTimeout(r, 100))
        }
      }),
    deleteTopics: (names) => guard('delete topics', () => admin.deleteTopics({ topics: names })),
    listTopics: () => guard('list topics', () => admin.listTopics({ includeInternals: false })),
    endOffsets: (topic) =>
      guard(`end offsets of ${topic}`, async () => {
        const metadata = await admin.metadata({ topics: [topic], forceUpdate: true })
        const count = metadata.topics.get(topic)?.partitionsCount ?? 0
        const partitions = Array.from({ length: count }, (_, partitionIndex) => ({ partitionIndex, timestamp: ListOffsetTimestamps.LATEST }))
        const listed = await admin.listOffsets({ topics: [{ name: topic, partitions }] })
        const result = new Map<number, bigint>()
        for (const t of listed) for (const p of t.partitions) result.set(p.partitionIndex, p.offset)
        return result
      }),
    describeCluster: () =>
      guard('describe cluster', async () => {
        const metadata = await admin.metadata({ topics: [], forceUpdate: true })
        return { brokers: metadata.brokers.size, controller: metadata.controllerId >= 0 ? metadata.controllerId : null }
      }),
    createAcls: (grants) => guard('create ACLs', () => admin.createAcls({ creations: grants.map(pltAcl) })),
    partitionStates: (topics) =>
      guard('partition states', async () => {
        const metadata = await admin.metadata({ topics, forceUpdate: true })
        const states: PartitionState[] = []
        for (const [topic, t] of metadata.topics) t.partitions.forEach((p, partition) => states.push({ topic, partition, leader: p.leader, replicas: [...p.replicas], isr: [...p.isr] }))
        return states
      }),
    close: () => admin.close(),
  }
}

/** The {@link KafkaClient} backed by @platformatic/kafka 1.35 (pure TypeScript, Node ≥ 20.19). */
export function createPlatformaticClient(conn: KafkaConnection): KafkaClient {
  return {
    kind: 'platformatic',
    producer: (o) => createProducer(conn, o),
    consumer: (o) => (o.groupId === undefined ? createAssignedConsumer(conn, o) : createGroupConsumer(conn, { ...o, groupId: o.groupId })),
    admin: () => createAdmin(conn),
  }
}
