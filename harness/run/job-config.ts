import type { KafkaConnection } from '../kafka/index.ts'
import type { EngineJobConfig } from '../runtime/runtime.ts'
import { defaultFlinkSettings } from '../runtime/flink-job.ts'
import { defaultLocalSparkCores } from '../runtime/spark-job.ts'
import type { RunPlan } from './plan.ts'
import { topicPrefix } from './run-id.ts'

/** Topic suffixes of docs/contracts.md. */
export const topicSuffixes = ['cdr', 'pm', 'alarms', 'rated', 'bills', 'alerts', 'dlq', 'progress'] as const

/** Kafka client properties for the engine from the runtime's security settings. */
function kafkaSecurityProps(kafka: KafkaConnection): Record<string, string> {
  const props: Record<string, string> = {}
  if (kafka.sasl !== undefined) {
    props['security.protocol'] = kafka.tls !== undefined ? 'SASL_SSL' : 'SASL_PLAINTEXT'
    props['sasl.mechanism'] = kafka.sasl.mechanism.toUpperCase()
    const module = kafka.sasl.mechanism === 'plain' ? 'org.apache.kafka.common.security.plain.PlainLoginModule' : 'org.apache.kafka.common.security.scram.ScramLoginModule'
    props['sasl.jaas.config'] = `${module} required username="${kafka.sasl.username}" password="${kafka.sasl.password}";`
  } else if (kafka.tls !== undefined) {
    props['security.protocol'] = 'SSL'
  }
  return props
}

/**
 * Shuffle (and state store) partitions. The embedded engine has 2 cores: more partitions than cores only add
 * per-batch task and state-commit overhead (measured on the quickstart: batch p50 3.2 s with 4, 2.0 s with 2),
 * so it takes min(topic partitions, cores). A cluster submitted to gets one per topic partition.
 */
function shufflePartitions(plan: RunPlan, onCluster: boolean): number {
  return onCluster ? plan.partitions : Math.min(plan.partitions, defaultLocalSparkCores)
}

/**
 * How long the engine's store writes keep retrying while the store is down before the query fails: longer than
 * any store-kill fault plus Cassandra's start-up under load (up to ~20 s on 2 cores).
 */
export const storeMaxOutageMs = 300_000

/** The job config's `store` (docs/contracts.md "Job config"): where the engine writes the serving store. */
export interface StoreJobConfig {
  kind: 'cassandra'
  contactPoints: string[]
  keyspace: string
  localDatacenter: string
  maxOutageMs: number
}

/** The job config handed to the engine (docs/contracts.md "Job config"). */
export function engineJobConfig(plan: RunPlan, runId: string, kafka: KafkaConnection, checkpointDir: string, onCluster: boolean, store: StoreJobConfig | null = null): EngineJobConfig {
  return {
    runId,
    topicPrefix: topicPrefix(runId),
    bootstrap: kafka.bootstrap.join(','),
    kafkaOptions: { ...plan.kafkaOptions, ...kafkaSecurityProps(kafka) },
    checkpointDir,
    guarantee: plan.guarantee,
    trigger: plan.trigger,
    queries: plan.queries,
    queryLayout: plan.queryLayout,
    maxOffsetsPerTrigger: 200_000,
    shufflePartitions: shufflePartitions(plan, onCluster),
    warmUpBatches: plan.engineWarmUpBatches,
    ...(Object.keys(plan.sparkConf).length > 0 ? { sparkConf: plan.sparkConf } : {}),
    dedupWatermarkMs: plan.dedupWatermarkMs,
    lateThresholdMs: plan.lateThresholdMs,
    ratingSpec: plan.ratingSpec,
    detectors: plan.detectors,
    ...(plan.engine === 'flink' ? { flink: { ...defaultFlinkSettings } } : {}),
    ...(store !== null ? { store } : {}),
    ...(plan.models !== null ? { models: { network: plan.models.dir, ...(plan.models.manifest.detectors.fraud !== undefined ? { fraud: plan.models.dir } : {}) } } : {}),
  }
}
