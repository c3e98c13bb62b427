import { describe, expect, it } from 'vitest'
import { attributeIntegrity } from './fault-integrity.ts'

describe('attributeIntegrity', () => {
  it('gives each duplicate and lost record to the latest fault injected before it', () => {
    const r = attributeIntegrity({
      faultInjectedAtS: [30, 50, 70],
      duplicateArrivalsS: [10, 31, 45, 50, 90],
      lostSendS: [29, 69, 70],
    })
    expect(r.before_faults).toEqual({ lost: 1, duplicate_copies: 1 })
    expect(r.by_fault).toEqual([
      { lost: 0, duplicate_copies: 2 },
      { lost: 1, duplicate_copies: 1 },
      { lost: 1, duplicate_copies: 1 },
    ])
  })

  it('keeps the input order of faults and skips a fault that was never injected', () => {
    const r = attributeIntegrity({ faultInjectedAtS: [60, null, 20], duplicateArrivalsS: [25, 61], lostSendS: [] })
    expect(r.by_fault).toEqual([
      { lost: 0, duplicate_copies: 1 },
      { lost: 0, duplicate_copies: 0 },
      { lost: 0, duplicate_copies: 1 },
    ])
    expect(r.before_faults).toEqual({ lost: 0, duplicate_copies: 0 })
  })

  it('counts everything outside faults when there are none, and the totals add up', () => {
    const r = attributeIntegrity({ faultInjectedAtS: [], duplicateArrivalsS: [1, 2, 3], lostSendS: [4] })
    expect(r).toEqual({ before_faults: { lost: 1, duplicate_copies: 3 }, by_fault: [] })
  })
})
