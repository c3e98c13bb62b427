import { describe, expect, it } from 'vitest'
import { accountingHolds } from './accounting.ts'
import { parseBatchOutput, scoreBatch, type BatchOutput } from './batch.ts'
import type { InjectionTruth, TruthCharge } from './truth.ts'

const toMinor = (s: number): number => Math.round(s / 100)
const charge = (subscriber: string, chargeSubunits: number): TruthCharge => ({ subscriber, chargeSubunits, eventTime: 0 })
const invalid = (reason: string): InjectionTruth => ({ kind: reason, subscriber: 's1', reason, latenessMs: null })

const contractExample = {
  finishedAfterMs: 18129,
  counts: { cdr: 5, rated: 2, dlq: 2 },
  bills: [{ subscriber: 's1', records: 2, chargeSubunits: 300 }],
  rated: [{ id: 'a', chargeSubunits: 100 }, { id: 'b', chargeSubunits: 200 }],
  alerts: [{ alertId: 'x', kind: 'IRSF', entityType: 'subscriber', entity: 's1', windowStart: 0, windowEnd: 10, score: 1, evidenceIds: [] }],
  dlq: { malformed_json: 1, negative_value: 1 },
}

describe('batch baseline output', () => {
  it('reads the contract example and names the first field that breaks it', () => {
    const out = parseBatchOutput(contractExample)
    expect(out.rated).toHaveLength(2)
    expect(out.alerts[0]).toEqual({ kind: 'IRSF', entityType: 'subscriber', entity: 's1', windowStart: 0, windowEnd: 10 })
    expect(() => parseBatchOutput({ ...contractExample, rated: [{ id: 'a' }] })).toThrow('"rated[0]"')
    expect(() => parseBatchOutput({ ...contractExample, dlq: { late: 'x' } })).toThrow('"dlq.late"')
    expect(() => parseBatchOutput([])).toThrow('not a JSON object')
  })

  it('accounts DLQ ids from the truth only as far as the batch counted rejects of that reason', () => {
    const output: BatchOutput = parseBatchOutput(contractExample)
    const truth = {
      expectedCharges: new Map([['a', charge('s1', 100)], ['b', charge('s1', 200)], ['c', charge('s2', 50)]]),
      injections: new Map([['m1', invalid('malformed_json')], ['m2', invalid('malformed_json')], ['n1', invalid('negative_value')]]),
      labels: [],
      anomalies: [],
    }
    const s = scoreBatch({ output, generatedUsageIds: ['a', 'b', 'b', 'c', 'm1', 'm2', 'n1'], truth, toMinor, availableAtMs: 0 })
    // One malformed_json reject for two malformed ids: the second is lost, as is the unrated 'c'.
    expect(s.accounting).toMatchObject({ generated: 6, rated_once: 2, dlq: 2, lost: 2, duplicated: 0 })
    expect(accountingHolds(s.accounting)).toBe(true)
    expect(s.billing).toMatchObject({ exact_match_ratio: 1, expected_minor: 4, billed_minor: 3 })
    expect(s.billing?.bill_records_exact_match_ratio).toBe(0.5)
    expect(s.detection.byKind['IRSF']).toMatchObject({ precision: 0, recall: null })
  })
})
