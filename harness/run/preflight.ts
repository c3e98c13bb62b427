import { TelcobenchError } from '../errors.ts'
import { assertContainersAvailable } from '../runtime/containers.ts'
import { ownsBroker, type RuntimeKind } from '../runtime/runtime.ts'
import { unsupportedFaults } from './faults.ts'
import type { RunPlan } from './plan.ts'

/**
 * Every check that can be made before anything starts, so a refused run leaves no folder and no process behind.
 * The scenario itself (metrics, thresholds, timeline) was validated when it was loaded.
 */
export async function preflight(runtime: RuntimeKind, bootstrap: string[] | undefined, plan: RunPlan): Promise<void> {
  if (runtime === 'external' && (bootstrap === undefined || bootstrap.length === 0)) {
    throw new TelcobenchError('TB_USAGE', 'the external runtime needs the Kafka bootstrap servers', { fix: 'pass --bootstrap host:9092[,host2:9092]' })
  }
  const c = plan.cluster
  const ownsCluster = runtime === 'local' && c.brokers > 1
  if (c.replicationFactor > 1 && (runtime === 'containers' || (runtime === 'local' && !ownsCluster))) {
    throw new TelcobenchError('TB_SCENARIO_INVALID', `the ${runtime} runtime has one broker and cannot hold replication factor ${c.replicationFactor}`, { fix: `set cluster.brokers to at least ${c.replicationFactor} on the local runtime, or run on a real cluster with --runtime external` })
  }
  const owned = await ownsBroker(runtime, c.brokers)
  const problems = unsupportedFaults(plan.faults, owned && !ownsCluster, owned && !ownsCluster, ownsCluster)
  if (problems.length > 0) {
    throw new TelcobenchError('TB_SCENARIO_INVALID', `the ${runtime} runtime cannot carry out the scenario's faults: ${problems.join('; ')}`, { fix: 'run on the local runtime (stop `telcobench up` first) or remove those faults' })
  }
  if (runtime === 'containers') await assertContainersAvailable()
}
