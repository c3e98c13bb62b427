import { describe, expect, it } from 'vitest'
import { account, accountingHolds } from './accounting.ts'

const ids = (n: number): string[] => Array.from({ length: n }, (_, i) => `e${i}`)

describe('accounting', () => {
  it('counts a perfect pipeline as rated once', () => {
    const generated = ids(1000)
    const a = account({ generatedIds: generated, ratedCount: new Map(generated.map((id) => [id, 1])), dlqReasonById: new Map() })
    expect(a).toMatchObject({ generated: 1000, rated_once: 1000, lost: 0, duplicated: 0 })
    expect(accountingHolds(a)).toBe(true)
  })

  it('finds exactly the ids a pipeline dropped (0.1%) and duplicated (0.1%)', () => {
    const generated = ids(10_000)
    const rated = new Map(generated.map((id) => [id, 1]))
    for (let i = 0; i < 10; i++) rated.delete(`e${i * 7}`)
    for (let i = 0; i < 10; i++) rated.set(`e${5000 + i}`, 2)
    const a = account({ generatedIds: generated, ratedCount: rated, dlqReasonById: new Map() })
    expect(a.lost).toBe(10)
    expect(a.duplicated).toBe(10)
    expect(a.duplicate_copies).toBe(10)
    expect(accountingHolds(a)).toBe(true)
  })

  it('separates DLQ rejects from late drops and ignores repeated generated ids', () => {
    const a = account({
      generatedIds: ['a', 'b', 'c', 'c', 'd'],
      ratedCount: new Map([['a', 1], ['x', 1]]),
      dlqReasonById: new Map([['b', 'negative_value'], ['c', 'late']]),
    })
    expect(a).toMatchObject({ generated: 4, rated_once: 1, dlq: 1, late_dropped: 1, lost: 1, unexpected: 1 })
    expect(accountingHolds(a)).toBe(true)
  })
})
