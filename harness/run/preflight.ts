import { availableParallelism } from 'node:os'
import { TelcobenchError } from '../errors.ts'
import { assertContainersAvailable } from '../runtime/containers.ts'
import { ownsBroker, type RuntimeKind } from '../runtime/runtime.ts'
import { needsNetworkProxy, unsupportedFaults } from './faults.ts'
import type { RunPlan } from './plan.ts'

/**
 * Every check that can be made before anything starts, so a refused run leaves no folder and no process behind.
 * The scenario itself (metrics, thresholds, timeline) was validated when it was loaded.
 */
export async function preflight(runtime: RuntimeKind, bootstrap: string[] | undefined, plan: RunPlan, cassandra?: string): Promise<void> {
  if (runtime === 'external' && (bootstrap === undefined || bootstrap.length === 0)) {
    throw new TelcobenchError('TB_USAGE', 'the external runtime needs the Kafka bootstrap servers', { fix: 'pass --bootstrap host:9092[,host2:9092]' })
  }
  if (plan.store === 'cassandra' && runtime !== 'local' && cassandra === undefined) {
    throw new TelcobenchError('TB_USAGE', `the scenario writes a Cassandra serving store, which the ${runtime} runtime does not start`, { fix: 'pass --cassandra host:port of an existing cluster, or --set serving.store=none' })
  }
  if (plan.store === 'none' && cassandra !== undefined) {
    throw new TelcobenchError('TB_USAGE', '--cassandra names a serving store, but the scenario has none', { fix: 'add --set serving.store=cassandra, or leave --cassandra out' })
  }
  realTimeFits(runtime, plan, availableParallelism())
  const c = plan.cluster
  const ownsCluster = runtime === 'local' && c.brokers > 1
  if (c.replicationFactor > 1 && (runtime === 'containers' || (runtime === 'local' && !ownsCluster))) {
    throw new TelcobenchError('TB_SCENARIO_INVALID', `the ${runtime} runtime has one broker and cannot hold replication factor ${c.replicationFactor}`, { fix: `set cluster.brokers to at least ${c.replicationFactor} on the local runtime, or run on a real cluster with --runtime external` })
  }
  const sec = plan.security
  if (sec.tls || sec.sasl !== null || sec.acls) {
    const why = runtime !== 'local' ? `the ${runtime} runtime's broker is not the run's to configure (give its client security with --tls and --sasl-* instead)` : c.brokers > 1 ? 'a secured cluster of several brokers is not built yet' : needsNetworkProxy(plan.faults) ? 'network faults put a plaintext proxy in front of the broker' : null
    if (why !== null) throw new TelcobenchError('TB_SCENARIO_INVALID', `the scenario's security cannot be set up: ${why}`, { fix: 'run a secured scenario on the local runtime with one broker and without network faults' })
  }
  const standalone = plan.spark.mode === 'standalone'
  if (standalone && runtime !== 'local') {
    throw new TelcobenchError('TB_SCENARIO_INVALID', `spark.mode standalone starts a Spark cluster in the local runtime, not the ${runtime} runtime`, { fix: runtime === 'external' ? 'submit to your own Spark cluster with --spark-master instead, or --set spark.mode=local' : 'run on the local runtime, or --set spark.mode=local' })
  }
  if (standalone && plan.engine !== 'spark') {
    throw new TelcobenchError('TB_SCENARIO_INVALID', `spark.mode standalone runs the Spark job on a Spark cluster, but this run tests ${plan.engine}`, { fix: 'run with --engine spark, or --set spark.mode=local' })
  }
  const owned = await ownsBroker(runtime, c.brokers)
  const problems = unsupportedFaults(plan.faults, owned && !ownsCluster, owned && !ownsCluster, runtime === 'local' && cassandra === undefined, ownsCluster, standalone && runtime === 'local' && plan.engine === 'spark')
  if (problems.length > 0) {
    throw new TelcobenchError('TB_SCENARIO_INVALID', `the ${runtime} runtime cannot carry out the scenario's faults: ${problems.join('; ')}`, { fix: 'run on the local runtime (stop `telcobench up` first) or remove those faults' })
  }
  if (runtime === 'containers') await assertContainersAvailable()
}

/**
 * Spark's real-time mode runs one long-lived task per Kafka partition that polls without pause: it needs a core for
 * each, or the tasks take turns on the cores and the latency it is chosen for is gone. Only checked where the
 * harness knows the cores the job gets (the embedded Spark on this machine).
 */
export function realTimeFits(runtime: RuntimeKind, plan: Pick<RunPlan, 'trigger' | 'partitions' | 'engine'>, cores: number): void {
  if (plan.trigger.kind !== 'real-time' || plan.engine !== 'spark' || runtime !== 'local') return
  if (plan.partitions > cores) {
    throw new TelcobenchError('TB_SCENARIO_INVALID', `Spark's real-time mode runs one long-lived task per Kafka partition, each needing a core: ${plan.partitions} partitions on this machine's ${cores} cores would have them share cores`, {
      fix: `set pipeline.partitions to at most ${cores} (--set pipeline.partitions=${cores}), or use a processing-time trigger`,
    })
  }
}
