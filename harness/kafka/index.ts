/**
 * The Kafka client layer: one port ({@link KafkaClient}) and two adapters behind it.
 * The rest of telcobench imports Kafka only from here.
 */
import { createKafkajsClient } from './kafkajs.ts'
import { createPlatformaticClient } from './platformatic.ts'
import type { KafkaClient, KafkaClientKind, KafkaConnection } from './port.ts'

export type {
  AclGrant,
  Admin,
  Consumer,
  ConsumerOptions,
  InRecord,
  KafkaClient,
  KafkaClientKind,
  KafkaConnection,
  OutRecord,
  PartitionState,
  Producer,
  ProducerOptions,
} from './port.ts'
export { isBrokerUnreachable } from './errors.ts'
export { consumerInThread, consumingInThreads } from './threaded-consumer.ts'

/**
 * The adapter used when none is asked for: the faster one in `harness/bench/kafka-client.bench.ts`
 * among those passing `kafka-client.jvm.test.ts` (figures in docs/kafka-clients.md).
 */
export const defaultKafkaClientKind: KafkaClientKind = 'platformatic'

/** A {@link KafkaClient} for the cluster at `conn`, backed by the named Node client library. */
export function createKafkaClient(kind: KafkaClientKind, conn: KafkaConnection): KafkaClient {
  switch (kind) {
    case 'platformatic':
      return createPlatformaticClient(conn)
    case 'kafkajs':
      return createKafkajsClient(conn)
  }
}
