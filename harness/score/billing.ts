import type { BillingScore } from '../results/index.ts'
import { percentileOfSorted } from '../stats/index.ts'

export interface ExpectedCharge {
  subscriber: string
  chargeSubunits: number
}

export interface BillingInput {
  /** Truth: id → expected charge of every usage record that should be billed once. */
  expected: ReadonlyMap<string, ExpectedCharge>
  /** Pipeline output: id → charge of the rated record, its subscriber and how many times it was rated. */
  rated: ReadonlyMap<string, { subscriber: string; chargeSubunits: number; count: number }>
  /** Pipeline output: subscriber → total of its last bill record, sub-units. */
  bills?: ReadonlyMap<string, number>
  /** Sub-units → net minor units (the rating spec's invoice rounding). */
  toMinor: (subunits: number) => number
}

/** Compares what the pipeline billed with the ground truth, in integer money. */
export function scoreBilling(input: BillingInput): BillingScore {
  let matched = 0
  let comparable = 0
  const expectedBySub = new Map<string, number>()
  const billedBySub = new Map<string, number>()
  for (const [id, truth] of input.expected) {
    expectedBySub.set(truth.subscriber, (expectedBySub.get(truth.subscriber) ?? 0) + truth.chargeSubunits)
    const rated = input.rated.get(id)
    if (rated !== undefined) {
      comparable++
      if (rated.chargeSubunits === truth.chargeSubunits) matched++
    }
  }
  for (const rated of input.rated.values()) {
    billedBySub.set(rated.subscriber, (billedBySub.get(rated.subscriber) ?? 0) + rated.chargeSubunits * rated.count)
  }
  const subscribers = new Set([...expectedBySub.keys(), ...billedBySub.keys()])
  let expectedMinor = 0
  let billedMinor = 0
  let leakage = 0
  let over = 0
  let exactBills = 0
  const errors: number[] = []
  for (const sub of subscribers) {
    const expectedSub = expectedBySub.get(sub) ?? 0
    const billedSub = billedBySub.get(sub) ?? 0
    if (expectedSub === billedSub) exactBills++
    const e = input.toMinor(expectedSub)
    const b = input.toMinor(billedSub)
    expectedMinor += e
    billedMinor += b
    leakage += Math.max(0, e - b)
    over += Math.max(0, b - e)
    errors.push(Math.abs(b - e))
  }
  errors.sort((x, y) => x - y)
  let billRecordsExact: number | null = null
  if (input.bills !== undefined) {
    const billed = input.bills
    const billSubscribers = new Set([...expectedBySub.keys(), ...billed.keys()])
    let exact = 0
    for (const sub of billSubscribers) if ((billed.get(sub) ?? 0) === (expectedBySub.get(sub) ?? 0)) exact++
    billRecordsExact = billSubscribers.size === 0 ? 1 : exact / billSubscribers.size
  }
  const ratio = (n: number): number => (expectedMinor === 0 ? (n === 0 ? 0 : 1) : n / expectedMinor)
  return {
    exact_match_ratio: comparable === 0 ? 1 : matched / comparable,
    bill_exact_match_ratio: subscribers.size === 0 ? 1 : exactBills / subscribers.size,
    bill_records_exact_match_ratio: billRecordsExact,
    expected_minor: expectedMinor,
    billed_minor: billedMinor,
    leakage_ratio: ratio(leakage),
    overbilling_ratio: ratio(over),
    billing_error_ratio: ratio(leakage + over),
    subscribers: subscribers.size,
    subscriber_abs_error_minor: { p50: percentileOfSorted(errors, 50), p90: percentileOfSorted(errors, 90), p99: percentileOfSorted(errors, 99), max: errors[errors.length - 1] ?? null },
  }
}

export type { BillingScore } from '../results/index.ts'
