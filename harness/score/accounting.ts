import type { Accounting } from '../results/index.ts'

export interface AccountingInput {
  /** Every logical usage-event id sent to the `cdr` topic (exact duplicates share their id). */
  generatedIds: Iterable<string>
  /** id → number of rated records seen for it. */
  ratedCount: ReadonlyMap<string, number>
  /** ids the pipeline rejected to the DLQ, with the reason. */
  dlqReasonById: ReadonlyMap<string, string>
  /**
   * ids the pipeline never read: found still unread in the input topic after the run, at or past the offset up to
   * which the pipeline had consumed it (harness/run/unread-input.ts), or never sent to it (send errors). Without
   * output they are `unprocessed`, not `lost`.
   */
  neverReadIds?: ReadonlySet<string>
  /** Called with the position in `generatedIds` of each id classed as lost (its first occurrence). */
  onLost?: (index: number) => void
}

/** DLQ reasons that mean "too late", counted as late_dropped rather than rejected. */
export const lateReasons: ReadonlySet<string> = new Set(['late'])

/** Classifies every generated id; the six classes always add up to `generated`. */
export function account(input: AccountingInput): Accounting {
  const result: Accounting = { generated: 0, rated_once: 0, dlq: 0, late_dropped: 0, lost: 0, duplicated: 0, unprocessed: 0, duplicate_copies: 0, unexpected: 0 }
  const generated = new Set<string>()
  let index = -1
  for (const id of input.generatedIds) {
    index++
    if (generated.has(id)) continue
    generated.add(id)
    result.generated++
    const count = input.ratedCount.get(id) ?? 0
    if (count === 1) result.rated_once++
    else if (count > 1) {
      result.duplicated++
      result.duplicate_copies += count - 1
    } else {
      const reason = input.dlqReasonById.get(id)
      if (reason === undefined) {
        if (input.neverReadIds?.has(id) === true) result.unprocessed++
        else {
          result.lost++
          input.onLost?.(index)
        }
      } else if (lateReasons.has(reason)) result.late_dropped++
      else result.dlq++
    }
  }
  for (const id of input.ratedCount.keys()) if (!generated.has(id)) result.unexpected++
  return result
}

/** True when the classes add up to the generated total (the accounting identity). */
export function accountingHolds(a: Accounting): boolean {
  return a.rated_once + a.dlq + a.late_dropped + a.lost + a.duplicated + a.unprocessed === a.generated
}

export type { Accounting } from '../results/index.ts'
