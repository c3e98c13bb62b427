import { TelcobenchError } from '../errors.ts'
import { assertContainersAvailable } from '../runtime/containers.ts'
import { ownsBroker, type RuntimeKind } from '../runtime/runtime.ts'
import { unsupportedFaults } from './faults.ts'
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
  const owned = await ownsBroker(runtime)
  const problems = unsupportedFaults(plan.faults, owned, owned, runtime === 'local' && cassandra === undefined)
  if (problems.length > 0) {
    throw new TelcobenchError('TB_SCENARIO_INVALID', `the ${runtime} runtime cannot carry out the scenario's faults: ${problems.join('; ')}`, { fix: 'run on the local runtime (stop `telcobench up` first) or remove those faults' })
  }
  if (runtime === 'containers') await assertContainersAvailable()
}
