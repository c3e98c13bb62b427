import type { StoreBillingScore } from '../results/index.ts'

export interface StoreBillingInput {
  /** Truth: subscriber → the sum of the expected charges of its records, sub-units. */
  expectedBySubscriber: ReadonlyMap<string, number>
  /** The store's bills table at the end: subscriber → charge_subunits. */
  storeBills: ReadonlyMap<string, number>
  /** The bills topic: subscriber → the total of its last bill record. */
  topicBills: ReadonlyMap<string, number>
  /** Ids of the rated records seen on the rated topic, and of the rated_usage rows in the store. */
  ratedOnTopic: ReadonlySet<string>
  ratedInStore: ReadonlySet<string>
  /** Sub-units → net minor units (the invoice's rounding). */
  toMinor: (subunits: number) => number
}

/**
 * The bill an agent would see, read from the store at the end of the run, against the truth (leakage,
 * overbilling, exact bills) and against the bills topic (do the two outputs of the pipeline agree?), and the
 * rated rows the store holds against the rated records on Kafka (did the store lose any?).
 */
export function scoreStoreBilling(input: StoreBillingInput): StoreBillingScore {
  const subscribers = new Set([...input.expectedBySubscriber.keys(), ...input.storeBills.keys()])
  let expectedMinor = 0
  let billedMinor = 0
  let leakage = 0
  let over = 0
  let exact = 0
  for (const sub of subscribers) {
    const expected = input.expectedBySubscriber.get(sub) ?? 0
    const billed = input.storeBills.get(sub) ?? 0
    if (expected === billed) exact++
    const e = input.toMinor(expected)
    const b = input.toMinor(billed)
    expectedMinor += e
    billedMinor += b
    leakage += Math.max(0, e - b)
    over += Math.max(0, b - e)
  }
  const ratio = (n: number): number => (expectedMinor === 0 ? (n === 0 ? 0 : 1) : n / expectedMinor)
  let agree = 0
  let differ = 0
  for (const [sub, total] of input.topicBills) {
    if (input.storeBills.get(sub) === total) agree++
    else differ++
  }
  const storeOnly = [...input.storeBills.keys()].filter((sub) => !input.topicBills.has(sub)).length
  let missing = 0
  for (const id of input.ratedOnTopic) if (!input.ratedInStore.has(id)) missing++
  let extra = 0
  for (const id of input.ratedInStore) if (!input.ratedOnTopic.has(id)) extra++
  return {
    subscribers: subscribers.size,
    bill_exact_match_ratio: subscribers.size === 0 ? 1 : exact / subscribers.size,
    expected_minor: expectedMinor,
    billed_minor: billedMinor,
    leakage_ratio: ratio(leakage),
    overbilling_ratio: ratio(over),
    billing_error_ratio: ratio(leakage + over),
    bills_topic: { subscribers: input.topicBills.size, agree, differ, store_only: storeOnly },
    rated_rows: { in_store: input.ratedInStore.size, rated_on_topic: input.ratedOnTopic.size, missing_from_store: missing, not_on_topic: extra },
  }
}
