import { describe, expect, it } from 'vitest'
import { scoreBilling, type ExpectedCharge } from './billing.ts'

const toMinor = (s: number): number => Math.round(s / 100)

function fixture(): { expected: Map<string, ExpectedCharge>; rated: Map<string, { subscriber: string; chargeSubunits: number; count: number }> } {
  const expected = new Map<string, ExpectedCharge>()
  const rated = new Map<string, { subscriber: string; chargeSubunits: number; count: number }>()
  for (let i = 0; i < 1000; i++) {
    const subscriber = `s${i % 10}`
    expected.set(`e${i}`, { subscriber, chargeSubunits: 1500 })
    rated.set(`e${i}`, { subscriber, chargeSubunits: 1500, count: 1 })
  }
  return { expected, rated }
}

describe('billing score', () => {
  it('is exact for a correct pipeline', () => {
    const s = scoreBilling({ ...fixture(), toMinor })
    expect(s.exact_match_ratio).toBe(1)
    expect(s.leakage_ratio).toBe(0)
    expect(s.overbilling_ratio).toBe(0)
    expect(s.expected_minor).toBe(15_000)
  })

  it('shows leakage when records are lost and overbilling when they are duplicated', () => {
    const { expected, rated } = fixture()
    rated.delete('e1')
    rated.set('e2', { subscriber: 's2', chargeSubunits: 1500, count: 2 })
    const s = scoreBilling({ expected, rated, toMinor })
    expect(s.leakage_ratio).toBeCloseTo(15 / 15_000)
    expect(s.overbilling_ratio).toBeCloseTo(15 / 15_000)
    expect(s.bill_exact_match_ratio).toBeCloseTo(0.8)
  })

  it('catches a rater that rounds wrongly', () => {
    const { expected, rated } = fixture()
    for (const [id, r] of rated) rated.set(id, { ...r, chargeSubunits: r.chargeSubunits - 1 })
    const s = scoreBilling({ expected, rated, toMinor })
    expect(s.exact_match_ratio).toBe(0)
    expect(s.leakage_ratio).toBeGreaterThan(0)
  })
})
