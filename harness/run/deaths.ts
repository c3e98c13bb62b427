import type { UnplannedExit } from '../results/index.ts'
import { onChildExited, onChildStarted, type ChildExit } from '../runtime/processes.ts'

/** The children whose death stops the run's pipeline, by their process name, with what they are to a reader. */
const watched: Readonly<Record<string, { label: string; role: 'pipeline' | 'broker' }>> = {
  'spark-streaming': { label: 'Spark streaming driver', role: 'pipeline' },
  'spark-submit': { label: 'Spark streaming job (spark-submit)', role: 'pipeline' },
  'flink-streaming': { label: 'Flink streaming job', role: 'pipeline' },
  'kafka-broker': { label: 'Kafka broker', role: 'broker' },
}

/** A node of a replicated cluster (harness/runtime/kafka-cluster.ts): `kafka-broker-2`. */
const clusterNode = /^kafka-broker-(\d+)$/

function watchedAs(process: string): { label: string; role: 'pipeline' | 'broker' } | undefined {
  const node = clusterNode.exec(process)?.[1]
  return node !== undefined ? { label: `Kafka broker ${node}`, role: 'broker' } : watched[process]
}

/** `Spark streaming driver`, `Kafka broker`: a watched process as a reader knows it. */
export function labelOf(process: string): string {
  return watchedAs(process)?.label ?? process
}

/** What an unplanned exit stopped: the pipeline (Spark) or the broker it reads from and writes to. */
export function roleOf(process: string): 'pipeline' | 'broker' | null {
  return watchedAs(process)?.role ?? null
}

/**
 * An exit nobody asked for, or null. A planned fault kills through the job's or broker's kill() and the harness
 * stops through stop(); both mark the exit as requested, so only a death from outside (a signal, the OOM killer,
 * a crash) is unplanned. A restarted process that dies during its start-up is unplanned too.
 */
export function unplannedExit(exit: ChildExit, atS: number): UnplannedExit | null {
  if (exit.requested || watchedAs(exit.name) === undefined) return null
  return { process: exit.name, at_s: atS, exit_code: exit.code, signal: exit.signal }
}

/** `Spark streaming driver died at 41 s (signal SIGKILL), not a planned fault`. */
export function describeExit(e: UnplannedExit): string {
  const how = e.signal !== null ? `signal ${e.signal}` : `exit code ${e.exit_code ?? 'unknown'}`
  return `${labelOf(e.process)} died at ${e.at_s.toFixed(0)} s (${how}), not a planned fault`
}

/**
 * Listens for the run's JVMs dying while nobody asked them to: each unplanned exit is logged the moment it
 * happens and kept for results.json. A process started again afterwards (a planned fault's restart) is alive.
 */
export class DeathWatch {
  readonly exits: UnplannedExit[] = []
  private readonly dead = new Map<string, UnplannedExit>()
  private readonly unsubscribe: (() => void)[]
  private readonly onDeath = new Set<(exit: UnplannedExit) => void>()

  /** `nowS`: seconds after load start (negative before it). */
  constructor(nowS: () => number, log: (line: string) => void) {
    this.unsubscribe = [
      onChildExited((exit) => {
        const unplanned = unplannedExit(exit, nowS())
        if (unplanned === null) return
        this.exits.push(unplanned)
        this.dead.set(unplanned.process, unplanned)
        log(describeExit(unplanned))
        for (const listener of this.onDeath) listener(unplanned)
      }),
      onChildStarted((child) => {
        this.dead.delete(child.name)
      }),
    ]
  }

  /** The latest unplanned exit of a process that has not been started again; null while everything runs. */
  deadNow(): UnplannedExit | null {
    return [...this.dead.values()].at(-1) ?? null
  }

  /** Whether `process` died unplanned and has not been started again. */
  isDead(process: string): boolean {
    return this.dead.has(process)
  }

  /** Calls `listener` with every later unplanned exit. */
  onUnplannedExit(listener: (exit: UnplannedExit) => void): void {
    this.onDeath.add(listener)
  }

  close(): void {
    for (const u of this.unsubscribe) u()
    this.onDeath.clear()
  }
}
