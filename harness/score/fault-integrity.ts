import type { IntegrityCounts } from '../results/index.ts'

export interface FaultIntegrityInput {
  /** Injection time of each fault, seconds after the load started, in the run's fault order (null: never injected). */
  faultInjectedAtS: readonly (number | null)[]
  /** Arrival second of every extra rated copy. */
  duplicateArrivalsS: readonly number[]
  /** Intended send second of every lost usage record. */
  lostSendS: readonly number[]
}

export interface FaultIntegrity {
  /** Before the first fault was injected. */
  before_faults: IntegrityCounts
  /** Per fault, in input order: from its injection until the next fault's injection (or the end of the run). */
  by_fault: IntegrityCounts[]
}

/**
 * Attributes lost records and duplicate copies to the latest fault injected before them: a duplicate by the second
 * its extra copy arrived (a replay follows the fault that caused it), a lost record by its intended send time.
 * Faults closer together than their recovery share blame: a copy that arrives after the next fault counts there.
 */
export function attributeIntegrity(input: FaultIntegrityInput): FaultIntegrity {
  const starts = input.faultInjectedAtS
    .map((at, index) => ({ at, index }))
    .filter((f): f is { at: number; index: number } => f.at !== null)
    .sort((a, b) => a.at - b.at)
  const byFault: IntegrityCounts[] = input.faultInjectedAtS.map(() => ({ lost: 0, duplicate_copies: 0 }))
  const beforeFaults: IntegrityCounts = { lost: 0, duplicate_copies: 0 }
  const stretchOf = (t: number): IntegrityCounts => {
    let owner: IntegrityCounts = beforeFaults
    for (const f of starts) {
      if (f.at > t) break
      owner = byFault[f.index] ?? owner
    }
    return owner
  }
  for (const t of input.duplicateArrivalsS) stretchOf(t).duplicate_copies++
  for (const t of input.lostSendS) stretchOf(t).lost++
  return { before_faults: beforeFaults, by_fault: byFault }
}

export type { IntegrityCounts } from '../results/index.ts'
