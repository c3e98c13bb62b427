import { describe, expect, it } from 'vitest'
import { alertViews, topSubscribers } from './live-feed.ts'
import type { AlertRecord } from './collector.ts'

const alert = (kind: string, entityType: string, entity: string, seenS: number): AlertRecord => ({ alertId: `${kind}-${entity}`, kind, entityType, entity, windowStart: 0, windowEnd: 0, score: 1, evidenceIds: [], seenNs: seenS * 1e9 })

describe('the live feed', () => {
  it('lists the subscribers with the highest running totals, highest first', () => {
    const bills = new Map(['a', 'b', 'c', 'd', 'e'].map((s, i) => [s, { chargeSubunits: [5, 50, 1, 40, 30][i] ?? 0 }]))
    expect(topSubscribers(bills, 3)).toEqual(['b', 'd', 'e'])
    expect(topSubscribers(new Map(), 3)).toEqual([])
  })

  it('splits alerts into the network view (cells) and the fraud view, newest first', () => {
    const views = alertViews([alert('SIMBOX', 'subscriber', 's1', 1), alert('SLEEPING_CELL', 'cell', 'c1', 2), alert('SIMBOX', 'subscriber', 's2', 3), alert('CONGESTION', 'cell', 'c1', 4)], 0n)
    expect(views.by_kind).toEqual([{ kind: 'SIMBOX', family: 'fraud', count: 2 }, { kind: 'CONGESTION', family: 'network', count: 1 }, { kind: 'SLEEPING_CELL', family: 'network', count: 1 }])
    expect(views.cells).toEqual([{ cell: 'c1', kinds: ['CONGESTION', 'SLEEPING_CELL'] }])
    expect(views.recent.map((a) => a.entity)).toEqual(['c1', 's2', 'c1', 's1'])
    expect(views.recent[0]?.seen_s).toBe(4)
  })
})
