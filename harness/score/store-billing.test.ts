import { describe, expect, it } from 'vitest'
import { scoreStoreBilling } from './store-billing.ts'

const toMinor = (subunits: number): number => Math.round(subunits / 100)

describe('store-side billing', () => {
  it('is exact when the store holds every bill the truth expects and the bills topic agrees', () => {
    const bills = new Map([['a', 12_300], ['b', 500]])
    const score = scoreStoreBilling({ expectedBySubscriber: bills, storeBills: bills, topicBills: bills, ratedOnTopic: new Set(['x', 'y']), ratedInStore: new Set(['x', 'y']), toMinor })
    expect(score).toMatchObject({ bill_exact_match_ratio: 1, expected_minor: 128, billed_minor: 128, leakage_ratio: 0, overbilling_ratio: 0, bills_topic: { subscribers: 2, agree: 2, differ: 0, store_only: 0 }, rated_rows: { in_store: 2, missing_from_store: 0, not_on_topic: 0 } })
  })

  it('counts a bill the store lost as leakage, a bill counted twice as overbilling, and rows missing from the store', () => {
    const expected = new Map([['a', 10_000], ['b', 10_000], ['c', 10_000]])
    const store = new Map([['b', 20_000], ['c', 10_000]])
    const topic = new Map([['a', 10_000], ['b', 10_000], ['c', 10_000]])
    const score = scoreStoreBilling({ expectedBySubscriber: expected, storeBills: store, topicBills: topic, ratedOnTopic: new Set(['x', 'y', 'z']), ratedInStore: new Set(['y', 'z', 'w']), toMinor })
    expect(score.leakage_ratio).toBeCloseTo(100 / 300)
    expect(score.overbilling_ratio).toBeCloseTo(100 / 300)
    expect(score.bill_exact_match_ratio).toBeCloseTo(1 / 3)
    expect(score.bills_topic).toEqual({ subscribers: 3, agree: 1, differ: 2, store_only: 0 })
    expect(score.rated_rows).toEqual({ in_store: 3, rated_on_topic: 3, missing_from_store: 1, not_on_topic: 1 })
  })
})
