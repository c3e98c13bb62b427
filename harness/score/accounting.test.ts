import { describe, expect, it } from 'vitest'
import { account, accountingHolds } from './accounting.ts'

const ids = (n: number): string[] => Array.from({ length: n }, (_, i) => `e${i}`)

describe('accounting', () => {
  it('counts a perfect pipeline as rated once', () => {
    const generated = ids(1000)
    const a = account({ generatedIds: generated, ratedCount: new Map(generated.map((id) => [id, 1])), dlqReasonById: new Map() })
    expect(a).toMatchObject({ generated: 1000, rated_once: 1000, lost: 0, duplicated: 0, unprocessed: 0 })
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

  it('counts records still unread in the input topic as unprocessed, the rest without output as lost', () => {
    // A driver died after 9,000 of 10,000 records: 30 it had consumed produced nothing (lost), the last 1,000
    // sit unread in the topic; one of those was rated before the death (its batch's progress never arrived).
    const generated = ids(10_000)
    const rated = new Map(generated.slice(0, 9000).map((id) => [id, 1]))
    for (let i = 0; i < 30; i++) rated.delete(`e${i * 300}`)
    rated.set('e9000', 1)
    const unread = new Set(generated.slice(9000))
    const lostAt: number[] = []
    const a = account({ generatedIds: generated, ratedCount: rated, dlqReasonById: new Map([['e9001', 'negative_value']]), neverReadIds: unread, onLost: (i) => lostAt.push(i) })
    expect(a).toMatchObject({ generated: 10_000, rated_once: 8971, dlq: 1, lost: 30, unprocessed: 998 })
    expect(lostAt).toEqual(Array.from({ length: 30 }, (_, i) => i * 300))
    expect(accountingHolds(a)).toBe(true)
    expect(accountingHolds({ ...a, unprocessed: 997 })).toBe(false)
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
