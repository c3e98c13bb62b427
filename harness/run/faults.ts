import type { FaultRecord } from '../results/index.ts'
import type { BrokerControl, NetworkControl, StoreControl, StreamingJob } from '../runtime/runtime.ts'
import type { PlannedFault } from './plan.ts'


export interface FaultTargets {
  broker: BrokerControl | null
  network: NetworkControl | null
  store: StoreControl | null
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
  'store-kill': 'store',
}

const networkKinds: ReadonlySet<PlannedFault['kind']> = new Set(['network-delay', 'network-loss', 'network-partition'])

/** True when the plan has a fault that needs the network proxy in the path. */
export function needsNetworkProxy(faults: PlannedFault[]): boolean {
  return faults.some((f) => networkKinds.has(f.kind))
}

/** Throws (before any JVM starts) when a planned fault cannot be carried out on this runtime. */
export function unsupportedFaults(faults: PlannedFault[], brokerOwned: boolean, networkControlled: boolean, storeOwned: boolean): string[] {
  const problems: string[] = []
  for (const f of faults) {
    if (f.kind === 'store-kill' && !storeOwned) problems.push(`${f.name}: store-kill needs a Cassandra node this run starts (local runtime without --cassandra)`)
    if ((f.kind === 'broker-kill' || f.kind === 'broker-pause') && !brokerOwned) problems.push(`${f.name}: ${f.kind} needs a broker this run owns (local runtime without \`telcobench up\`)`)
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

/** Carries out the scenario's faults at their times; resolves when the last one has been lifted. */
export async function runFaultTimeline(faults: PlannedFault[], runStartNs: bigint, targets: FaultTargets, signal: AbortSignal): Promise<FaultRecord[]> {
  const nowS = (): number => Number(process.hrtime.bigint() - runStartNs) / 1e9
  const records = faults.map<FaultRecord>((f) => ({ name: f.name, kind: f.kind, target: targetOf[f.kind], at_s: f.atS, injected_at_s: null, lifted_at_s: null, restarted_at_s: null, recovered_after_s: null, recovery: null, error: null }))
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

export type { FaultRecord } from '../results/index.ts'
