import type { FaultRecord } from '../results/index.ts'
import type { BrokerControl, ClusterControl, NetworkControl, SparkClusterControl, StoreControl, StreamingJob } from '../runtime/runtime.ts'
import type { PlannedFault } from './plan.ts'


export interface FaultTargets {
  broker: BrokerControl | null
  network: NetworkControl | null
  cluster?: ClusterControl | null
  /** The node id leading a partition of a run topic (suffix), asked of the cluster when the fault fires. */
  leaderOf?: (topic: string, partition: number) => Promise<number>
  /** Partitions of the run's topics whose in-sync replicas are fewer than their replicas. */
  underReplicated?: () => Promise<number>
  store: StoreControl | null
  /** The Spark standalone cluster the run owns (executor-kill, worker-kill). */
  spark?: SparkClusterControl | null
  job: () => StreamingJob | null
  restartGenerator: () => void
  log: (line: string) => void
  /** Receives the fault records at the start; they are filled in place as the faults happen (the live dashboard). */
  onRecords?: (records: readonly FaultRecord[]) => void
}

const targetOf: Record<PlannedFault['kind'], FaultRecord['target']> = {
  'broker-kill': 'broker',
  'broker-pause': 'broker',
  'pipeline-crash': 'pipeline',
  'generator-restart': 'generator',
  'network-delay': 'network',
  'network-loss': 'network',
  'network-partition': 'network',
  'leader-kill': 'broker',
  'controller-kill': 'broker',
  'rolling-restart': 'broker',
  'store-kill': 'store',
  'executor-kill': 'pipeline',
  'worker-kill': 'pipeline',
}

const clusterKinds: ReadonlySet<PlannedFault['kind']> = new Set(['leader-kill', 'controller-kill', 'rolling-restart'])

/** How long a rolling restart waits for a restarted node to catch up (no partition under-replicated) before the next. */
const catchUpTimeoutMs = 60_000

const networkKinds: ReadonlySet<PlannedFault['kind']> = new Set(['network-delay', 'network-loss', 'network-partition'])

const sparkClusterKinds: ReadonlySet<PlannedFault['kind']> = new Set(['executor-kill', 'worker-kill'])

/** True when the plan has a fault that needs the network proxy in the path. */
export function needsNetworkProxy(faults: PlannedFault[]): boolean {
  return faults.some((f) => networkKinds.has(f.kind))
}

/** Throws (before any JVM starts) when a planned fault cannot be carried out on this runtime. */
export function unsupportedFaults(faults: PlannedFault[], brokerOwned: boolean, networkControlled: boolean, storeOwned: boolean, clusterOwned = false, sparkClusterOwned = false): string[] {
  const problems: string[] = []
  for (const f of faults) {
    if (sparkClusterKinds.has(f.kind) && !sparkClusterOwned) problems.push(`${f.name}: ${f.kind} needs a Spark standalone cluster this run starts (local runtime, spark.mode standalone, Spark engine)`)
    if (f.kind === 'store-kill' && !storeOwned) problems.push(`${f.name}: store-kill needs a Cassandra node this run starts (local runtime without --cassandra)`)
    if ((f.kind === 'broker-kill' || f.kind === 'broker-pause') && !brokerOwned) problems.push(`${f.name}: ${f.kind} needs a broker this run owns (local runtime without \`telcobench up\`)`)
    if (clusterKinds.has(f.kind) && !clusterOwned) problems.push(`${f.name}: ${f.kind} needs a cluster of brokers this run owns (local runtime, scenario cluster.brokers > 1)`)
    if ((f.kind === 'broker-kill' || f.kind === 'broker-pause' || networkKinds.has(f.kind)) && clusterOwned) problems.push(`${f.name}: ${f.kind} acts on the single broker; in a cluster use leader-kill, controller-kill or rolling-restart`)
    if (networkKinds.has(f.kind) && !networkControlled) problems.push(`${f.name}: ${f.kind} needs the run's TCP proxy between the clients and the broker, which only the local runtime without \`telcobench up\` puts in the path`)
  }
  return problems
}

/** Waits `ms`, or less when `signal` aborts: a stopped load neither waits for the next fault nor holds one on. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve()
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer)
      signal.removeEventListener('abort', done)
      resolve()
    }
    const timer = setTimeout(done, ms)
    signal.addEventListener('abort', done, { once: true })
  })
}

/** Waits until no partition of the run's topics is under-replicated (a restarted node has caught up), or gives up after catchUpTimeoutMs. */
async function waitInSync(targets: FaultTargets, signal: AbortSignal): Promise<void> {
  const deadline = Date.now() + catchUpTimeoutMs
  while (!signal.aborted && Date.now() < deadline) {
    const lagging = targets.underReplicated === undefined ? 0 : await targets.underReplicated().catch(() => -1)
    if (lagging === 0) return
    await sleep(500, signal)
  }
  targets.log(`a restarted node had not caught up after ${catchUpTimeoutMs / 1000} s; the rolling restart goes on`)
}

function sparkOf(targets: FaultTargets, f: PlannedFault): SparkClusterControl {
  const spark = targets.spark ?? null
  if (spark === null) throw new Error(`${f.kind} needs a Spark standalone cluster`)
  return spark
}

/** Carries out the scenario's faults at their times; resolves when the last one has been lifted. */
export async function runFaultTimeline(faults: PlannedFault[], runStartNs: bigint, targets: FaultTargets, signal: AbortSignal): Promise<FaultRecord[]> {
  const nowS = (): number => Number(process.hrtime.bigint() - runStartNs) / 1e9
  const records = faults.map<FaultRecord>((f) => ({ name: f.name, kind: f.kind, target: targetOf[f.kind], nodes: [], at_s: f.atS, injected_at_s: null, lifted_at_s: null, restarted_at_s: null, recovered_after_s: null, recovery: null, availability: null, error: null }))
  targets.onRecords?.(records)
  const ordered = faults.map((f, i) => ({ f, r: records[i] })).sort((a, b) => a.f.atS - b.f.atS)
  for (const { f, r } of ordered) {
    if (r === undefined) continue
    const wait = f.atS - nowS()
    if (wait > 0) await sleep(wait * 1000, signal)
    if (signal.aborted) break
    try {
      r.injected_at_s = nowS()
      targets.log(`fault ${f.name}: ${f.kind} at ${r.injected_at_s.toFixed(1)} s`)
      switch (f.kind) {
        case 'broker-kill':
          await targets.broker?.kill()
          await sleep(f.durationS * 1000, signal)
          r.restarted_at_s = nowS()
          await targets.broker?.restart()
          break
        case 'broker-pause':
          targets.broker?.pause()
          await sleep(f.durationS * 1000, signal)
          targets.broker?.resume()
          break
        case 'pipeline-crash': {
          const job = targets.job()
          await job?.kill()
          await sleep(f.durationS * 1000, signal)
          r.restarted_at_s = nowS()
          await job?.restart()
          break
        }
        case 'leader-kill':
        case 'controller-kill': {
          const cluster = targets.cluster ?? null
          if (cluster === null) throw new Error(`${f.kind} needs a cluster`)
          const target = f.partitionOf ?? { topic: 'cdr', partition: 0 }
          const leaderOf = targets.leaderOf
          if (f.kind === 'leader-kill' && leaderOf === undefined) throw new Error('leader-kill needs a leader lookup')
          const node = f.kind === 'leader-kill' && leaderOf !== undefined ? await leaderOf(target.topic, target.partition) : await cluster.activeController()
          r.nodes.push(node)
          r.injected_at_s = nowS()
          targets.log(`fault ${f.name}: killing node ${node} (${f.kind === 'leader-kill' ? `leader of ${target.topic}:${target.partition}` : 'active controller'})`)
          await cluster.kill(node)
          await sleep(f.durationS * 1000, signal)
          r.restarted_at_s = nowS()
          await cluster.restart(node)
          break
        }
        case 'rolling-restart': {
          const cluster = targets.cluster ?? null
          if (cluster === null) throw new Error('rolling-restart needs a cluster')
          // The active controller goes last, as operators roll a cluster: one controller move instead of several.
          const controller = await cluster.activeController()
          const order = [...cluster.nodeIds.filter((id) => id !== controller), controller]
          for (const node of order) {
            if (signal.aborted) break
            r.nodes.push(node)
            targets.log(`fault ${f.name}: restarting node ${node}`)
            await cluster.stop(node)
            await cluster.restart(node)
            await waitInSync(targets, signal)
            await sleep(f.durationS * 1000, signal)
          }
          r.restarted_at_s = nowS()
          break
        }
        case 'executor-kill': {
          const spark = sparkOf(targets, f)
          const worker = f.worker ?? 1
          r.nodes.push(worker)
          const killed = await spark.killExecutor(worker)
          if (killed === null) throw new Error(`Spark worker ${worker} ran no executor to kill`)
          targets.log(`fault ${f.name}: killed executor ${killed.executorId} (pid ${killed.pid}) on Spark worker ${worker}; the worker launches a new one`)
          // Spark replaces the executor by itself: the fault lasts until the worker runs a new one.
          if (!(await spark.waitForExecutor(worker, new Set([killed.pid])))) throw new Error(`Spark worker ${worker} launched no new executor after the kill`)
          r.restarted_at_s = nowS()
          break
        }
        case 'worker-kill': {
          const spark = sparkOf(targets, f)
          const worker = f.worker ?? 1
          r.nodes.push(worker)
          const executors = await spark.killWorker(worker)
          targets.log(`fault ${f.name}: killed Spark worker ${worker} and its ${executors.length} executor(s)`)
          await sleep(f.durationS * 1000, signal)
          r.restarted_at_s = nowS()
          await spark.restartWorker(worker)
          if (!(await spark.waitForExecutor(worker, new Set(executors)))) throw new Error(`the master gave the restarted Spark worker ${worker} no executor`)
          break
        }
        case 'store-kill':
          await targets.store?.kill()
          await sleep(f.durationS * 1000, signal)
          r.restarted_at_s = nowS()
          await targets.store?.restart()
          break
        case 'generator-restart':
          targets.restartGenerator()
          break
        case 'network-delay':
        case 'network-loss':
        case 'network-partition':
          targets.network?.impair(f.kind === 'network-delay' ? { kind: 'delay', delayMs: f.delayMs ?? 0 } : f.kind === 'network-loss' ? { kind: 'loss', lossPercent: f.lossPercent ?? 0 } : { kind: 'partition' })
          await sleep(f.durationS * 1000, signal)
          targets.network?.heal()
          break
      }
      r.lifted_at_s = nowS()
    } catch (error) {
      r.error = error instanceof Error ? error.message : String(error)
      targets.log(`fault ${f.name} failed: ${r.error}`)
    }
  }
  return records
}

/**
 * Waits for the load while the fault timeline runs beside it. When the load fails, the timeline is stopped (the
 * fault under way is lifted, no later one starts) and waited for before the error goes on: the run's teardown
 * stops the broker and removes its data folder, and a timeline left running went on starting the broker on that
 * removed folder (`No readable meta.properties files found`) until its last fault (issue 21).
 */
export async function loadBesideFaults<T>(load: Promise<T>, faults: { done: Promise<FaultRecord[]>; stop: AbortController }): Promise<T> {
  try {
    return await load
  } catch (error) {
    faults.stop.abort()
    await faults.done
    throw error
  }
}

export type { FaultRecord } from '../results/index.ts'
