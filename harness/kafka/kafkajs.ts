import { randomUUID } from 'node:crypto'
import { createRequire } from 'node:module'
import { debuglog } from 'node:util'
import type * as KafkajsModule from 'kafkajs'
import { CompressionTypes, Kafka, Partitioners, logLevel, type AclEntry, type Consumer as KjsConsumer, type KafkaConfig, type LogEntry, type Message as KjsMessage } from 'kafkajs'
import { withKafkaErrors, wrapKafkaError } from './errors.ts'
import { Linger, type TopicBatch } from './linger.ts'
import type { AclGrant, Admin, Consumer, ConsumerOptions, InRecord, KafkaClient, KafkaConnection, OutRecord, Producer, ProducerOptions } from './port.ts'
import { topicConfigs } from './topic-configs.ts'

// kafkajs logs connection retries and a partitioner notice to stdout by default. Its log goes to
// NODE_DEBUG=kafkajs instead; failures still reach callers as errors.
const debug = debuglog('kafkajs')

function kafkaConfig(conn: KafkaConnection): KafkaConfig {
  const config: KafkaConfig = {
    clientId: conn.clientId,
    brokers: conn.bootstrap,
    connectionTimeout: 5000,
    retry: { initialRetryTime: 100, retries: 5 },
    logLevel: debug.enabled ? logLevel.DEBUG : logLevel.NOTHING,
    logCreator: () => (entry: LogEntry) => {
      debug('%s [%s] %s %o', entry.label, entry.namespace, entry.log.message, entry.log)
    },
  }
  if (conn.tls !== undefined) config.ssl = conn.tls === true ? true : { ...conn.tls }
  if (conn.sasl !== undefined) {
    const { username, password } = conn.sasl
    switch (conn.sasl.mechanism) {
      case 'plain':
        config.sasl = { mechanism: 'plain', username, password }
        break
      case 'scram-sha-256':
        config.sasl = { mechanism: 'scram-sha-256', username, password }
        break
      case 'scram-sha-512':
        config.sasl = { mechanism: 'scram-sha-512', username, password }
        break
    }
  }
  return config
}

function toMessage(record: OutRecord): KjsMessage {
  return { key: record.key, value: record.value }
}

async function createProducer(kafka: Kafka, conn: KafkaConnection, o: ProducerOptions): Promise<Producer> {
  const transactional = o.transactionalId !== undefined
  const idempotent = o.idempotent || transactional
  const producer = kafka.producer({
    idempotent,
    // kafkajs requires exactly one in-flight request for transactions.
    maxInFlightRequests: transactional ? 1 : 5,
    allowAutoTopicCreation: false,
    // The Java client's murmur2 partitioner; naming it also silences kafkajs's partitioner warning.
    createPartitioner: Partitioners.DefaultPartitioner,
    ...(transactional ? { transactionalId: o.transactionalId } : {}),
  })
  // kafkajs only accepts acks -1 for idempotent producers.
  const acks = o.acks === 'all' || idempotent ? -1 : o.acks
  const compression = o.compression === 'gzip' ? CompressionTypes.GZIP : CompressionTypes.None
  const bootstrap = conn.bootstrap
  await withKafkaErrors(bootstrap, 'producer connect', () => producer.connect())

  const flush = async (batches: TopicBatch<OutRecord>[]): Promise<void> => {
    const topicMessages = batches.map(({ topic, records }) => ({ topic, messages: records.map(toMessage) }))
    if (!transactional) {
      await producer.sendBatch({ topicMessages, acks, compression })
      return
    }
    const transaction = await producer.transaction()
    try {
      await transaction.sendBatch({ topicMessages, compression })
      await transaction.commit()
    } catch (error) {
      // The send's error is the one worth reporting; a failed abort leaves the broker to time the transaction out.
      if (transaction.isActive()) await transaction.abort().catch(() => undefined)
      throw error
    }
  }
  const linger = new Linger(flush, {
    lingerMs: o.lingerMs ?? 0,
    batchRecords: 500,
    maxRequestRecords: 5000,
    // One request at a time, sends made meanwhile merged into the next: overlapping sendBatch calls
    // interleave inside kafkajs and may reach a partition out of call order (seen against Kafka 4.2).
    maxInFlight: 1,
  })
  return {
    async send(topic, records) {
      if (records.length === 0) return
      await withKafkaErrors(bootstrap, `produce to ${topic}`, () => linger.send(topic, records))
    },
    async close() {
      await linger.drain()
      await producer.disconnect()
    },
  }
}

async function createConsumer(kafka: Kafka, conn: KafkaConnection, o: ConsumerOptions): Promise<Consumer> {
  // kafkajs has no assign(): without a group, the consumer joins a private, throw-away group, which
  // as its only member is given every partition, and which is deleted on close. It commits like any group,
  // so that after kafkajs restarts the consumer (broker restart) it resumes instead of starting over.
  const ephemeral = o.groupId === undefined
  const groupId = o.groupId ?? `${conn.clientId}-assign-${randomUUID()}`
  const consumer: KjsConsumer = kafka.consumer({
    groupId,
    minBytes: 1,
    maxWaitTimeInMs: o.maxWaitMs ?? 100,
    readUncommitted: !o.readCommitted,
    allowAutoTopicCreation: false,
    retry: { initialRetryTime: 100, retries: 5 },
  })
  const bootstrap = conn.bootstrap
  await withKafkaErrors(bootstrap, 'consumer connect', async () => {
    await consumer.connect()
    await consumer.subscribe({ topics: o.topics, fromBeginning: o.fromBeginning })
  })
  let closing = false
  let stopped: (() => void) | undefined
  let failed: ((error: unknown) => void) | undefined
  // kafkajs stops and restarts the consumer by itself after retriable failures (STOP fires then too);
  // only a crash it will not restart from ends run().
  consumer.on(consumer.events.CRASH, (event) => {
    if (!event.payload.restart && !closing) failed?.(wrapKafkaError(event.payload.error, bootstrap, 'consumer fetch'))
  })
  return {
    async run(onBatch) {
      const finished = new Promise<void>((resolve, reject) => {
        stopped = resolve
        failed = reject
      })
      await withKafkaErrors(bootstrap, 'consumer run', () =>
        consumer.run({
          autoCommit: true,
          eachBatchAutoResolve: true,
          eachBatch: ({ batch }) => {
            if (batch.messages.length === 0) return Promise.resolve()
            const receivedNs = process.hrtime.bigint()
            const records: InRecord[] = batch.messages.map((m) => ({
              topic: batch.topic,
              partition: batch.partition,
              offset: BigInt(m.offset),
              key: m.key === null ? null : m.key.toString('utf8'),
              value: m.value ?? Buffer.alloc(0),
              timestampMs: Number(m.timestamp),
              receivedNs,
            }))
            onBatch(records)
            return Promise.resolve()
          },
        }),
      )
      await finished
    },
    async close() {
      if (closing) return
      closing = true
      await consumer.disconnect()
      stopped?.()
      if (ephemeral) {
        const admin = kafka.admin()
        try {
          await admin.connect()
          await admin.deleteGroups([groupId])
        } catch (error) {
          // Best effort: an empty group and its offsets expire on the broker anyway (offsets.retention.minutes).
          debug('could not delete group %s: %o', groupId, error)
        } finally {
          await admin.disconnect()
        }
      }
    },
  }
}

// kafkajs's ACL enums are not importable by name from ESM (Node's CommonJS export detection misses them), so they
// are read from the CommonJS module itself.
const { AclOperationTypes, AclPermissionTypes, AclResourceTypes, ResourcePatternTypes } = createRequire(import.meta.url)('kafkajs') as typeof KafkajsModule

function kafkajsAcl(g: AclGrant): AclEntry {
  const resource = { topic: AclResourceTypes.TOPIC, group: AclResourceTypes.GROUP, 'transactional-id': AclResourceTypes.TRANSACTIONAL_ID, cluster: AclResourceTypes.CLUSTER }
  const operation = { read: AclOperationTypes.READ, write: AclOperationTypes.WRITE, create: AclOperationTypes.CREATE, describe: AclOperationTypes.DESCRIBE, 'idempotent-write': AclOperationTypes.IDEMPOTENT_WRITE }
  return {
    resourceType: resource[g.resource],
    resourceName: g.name,
    resourcePatternType: g.pattern === 'literal' ? ResourcePatternTypes.LITERAL : ResourcePatternTypes.PREFIXED,
    principal: g.principal,
    host: '*',
    operation: operation[g.operation],
    permissionType: AclPermissionTypes.ALLOW,
  }
}

async function createAdmin(kafka: Kafka, conn: KafkaConnection): Promise<Admin> {
  const admin = kafka.admin()
  const bootstrap = conn.bootstrap
  const guard = <T>(operation: string, fn: () => Promise<T>): Promise<T> => withKafkaErrors(bootstrap, operation, fn)
  await guard('admin connect', () => admin.connect())
  return {
    createTopics: (names, partitions, replicationFactor = 1, minInsyncReplicas, configs = {}) =>
      guard('create topics', async () => {
        const configEntries = topicConfigs(minInsyncReplicas, configs)
        const created = await admin.createTopics({
          topics: names.map((topic) => ({ topic, numPartitions: partitions, replicationFactor, configEntries })),
          waitForLeaders: false,
        })
        if (!created) throw new Error(`topics ${names.join(', ')}: some already exist`)
        // kafkajs's own waitForLeaders gives up on the first "does not host this topic-partition" that a node of a
        // cluster answers before the new topics' metadata has reached it; this waits through it (10 s at most).
        for (let attempt = 0; ; attempt++) {
          const ready = await admin
            .fetchTopicMetadata({ topics: names })
            .then((m) => m.topics.every((t) => t.partitions.length === partitions && t.partitions.every((p) => p.leader >= 0)))
            .catch(() => false)
          if (ready) return
          if (attempt >= 100) throw new Error(`topics ${names.join(', ')} have no leaders after 10 s`)
          await new Promise((r) => setTimeout(r, 100))
        }
      }),
    deleteTopics: (names) => guard('delete topics', () => admin.deleteTopics({ topics: names })),
    listTopics: () => guard('list topics', async () => (await admin.listTopics()).filter((t) => !t.startsWith('__'))),
    endOffsets: (topic) =>
      guard(`end offsets of ${topic}`, async () => {
        const offsets = await admin.fetchTopicOffsets(topic)
        return new Map(offsets.map((p) => [p.partition, BigInt(p.high)]))
      }),
    describeCluster: () =>
      guard('describe cluster', async () => {
        const cluster = await admin.describeCluster()
        return { brokers: cluster.brokers.length, controller: cluster.controller }
      }),
    createAcls: (grants) =>
      guard('create ACLs', async () => {
        await admin.createAcls({ acl: grants.map(kafkajsAcl) })
      }),
    partitionStates: (topics) =>
      guard('partition states', async () => {
        const metadata = await admin.fetchTopicMetadata({ topics })
        return metadata.topics.flatMap((t) => t.partitions.map((p) => ({ topic: t.name, partition: p.partitionId, leader: p.leader, replicas: [...p.replicas], isr: [...p.isr] })))
      }),
    close: () => admin.disconnect(),
  }
}

/** The {@link KafkaClient} backed by kafkajs 2.2.4 (unmaintained; classic protocols, no transactions v2). */
export function createKafkajsClient(conn: KafkaConnection): KafkaClient {
  const kafka = new Kafka(kafkaConfig(conn))
  return {
    kind: 'kafkajs',
    producer: (o) => createProducer(kafka, conn, o),
    consumer: (o) => createConsumer(kafka, conn, o),
    admin: () => createAdmin(kafka, conn),
  }
}
