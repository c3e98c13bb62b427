import { describe, expect, it } from 'vitest'
import { scoreDetection, type DetectedAlert } from './detection.ts'
import type { AnomalyTruth, LabelTruth, TruthCharge } from './truth.ts'

const h = 3_600_000
const label = (entity: string, kind: string, start: number, end: number, extra: Partial<LabelTruth> = {}): LabelTruth => ({ entityType: 'subscriber', entity, kind, fraud: true, campaignId: kind, start, end, callers: [], ...extra })
const alert = (entity: string, kind: string, windowStart: number, windowEnd: number, detectedAtMs: number, entityType = 'subscriber'): DetectedAlert => ({ kind, entityType, entity, windowStart, windowEnd, detectedAtMs })
const toMinor = (s: number): number => Math.round(s / 100)

describe('detection scoring', () => {
  it('scores fraud per entity: repeated alerts count once, time to detect from the label start', () => {
    const labels = [label('a', 'SIMBOX', 0, 10 * h), label('b', 'SIMBOX', 0, 10 * h), label('c', 'SIMBOX', 2 * h, 10 * h)]
    const alerts = [alert('a', 'SIMBOX', 0, h, 100_000), alert('a', 'SIMBOX', h, 2 * h, 200_000), alert('c', 'SIMBOX', 2 * h, 3 * h, 2 * h + 300_000), alert('x', 'SIMBOX', 0, h, 50_000)]
    const d = scoreDetection({ labels, anomalies: [], alerts, charges: [], toMinor }).byKind['SIMBOX']
    expect(d).toMatchObject({ truth_units: 3, detected_units: 2, alerted_units: 3, true_positives: 2, false_positives: 1, ttd_p50_s: 100, ttd_p95_s: 300, ttd_max_s: 300 })
    expect(d?.precision).toBeCloseTo(2 / 3, 12)
    expect(d?.recall).toBeCloseTo(2 / 3, 12)
    expect(d?.f1).toBeCloseTo(2 / 3, 12)
  })

  it('needs the same kind and an overlapping evidence window', () => {
    const labels = [label('a', 'IRSF', 5 * h, 6 * h)]
    const d = scoreDetection({ labels, anomalies: [], alerts: [alert('a', 'PBX', 5 * h, 6 * h, 6 * h), alert('a', 'IRSF', 0, h, h)], charges: [], toMinor })
    expect(d.byKind['IRSF']).toMatchObject({ recall: 0, precision: 0, f1: 0, false_positives: 1 })
    expect(d.byKind['PBX']).toMatchObject({ recall: null, precision: 0, f1: 0 })
    expect(d.fraud).toEqual({ precision: 0, recall: 0 })
  })

  it('credits a WANGIRI campaign number through the subscribers who called it back', () => {
    const labels = [label('88213000001', 'WANGIRI', 0, 2 * h, { entityType: 'number', callers: ['v1', 'v2'] })]
    const d = scoreDetection({ labels, anomalies: [], alerts: [alert('v2', 'WANGIRI', 0, h, 600_000)], charges: [], toMinor }).byKind['WANGIRI']
    expect(d).toMatchObject({ recall: 1, precision: 1, ttd_p50_s: 600, exposure_minor: null })
  })

  it('sums fraud exposure from the fraud start to the detection, and over the whole window', () => {
    const charges: TruthCharge[] = [
      { subscriber: 'a', chargeSubunits: 10_000, eventTime: -1 },
      { subscriber: 'a', chargeSubunits: 1_000, eventTime: 10 },
      { subscriber: 'a', chargeSubunits: 2_000, eventTime: h },
      { subscriber: 'a', chargeSubunits: 4_000, eventTime: 3 * h },
      { subscriber: 'z', chargeSubunits: 8_000, eventTime: 10 },
    ]
    const d = scoreDetection({ labels: [label('a', 'SUBSCRIPTION', 0, 4 * h)], anomalies: [], alerts: [alert('a', 'SUBSCRIPTION', 0, h, h)], charges, toMinor }).byKind['SUBSCRIPTION']
    expect(d).toMatchObject({ exposure_minor: 30, exposure_total_minor: 70 })
    const undetected = scoreDetection({ labels: [label('a', 'SUBSCRIPTION', 0, 4 * h)], anomalies: [], alerts: [], charges, toMinor }).byKind['SUBSCRIPTION']
    expect(undetected).toMatchObject({ exposure_minor: 70, exposure_total_minor: 70, recall: 0, precision: null })
  })

  it('counts a SIM-box call as the bypassed termination less what the SIM paid', () => {
    const charges: TruthCharge[] = [
      { subscriber: 'a', chargeSubunits: 1_500, bypassedSubunits: 4_500, eventTime: 10 },
      { subscriber: 'a', chargeSubunits: 1_000, bypassedSubunits: 3_000, eventTime: 2 * h },
    ]
    const d = scoreDetection({ labels: [label('a', 'SIMBOX', 0, 4 * h)], anomalies: [], alerts: [alert('a', 'SIMBOX', 0, h, h)], charges, toMinor }).byKind['SIMBOX']
    expect(d).toMatchObject({ exposure_minor: 30, exposure_total_minor: 50 })
  })

  it('scores anomalies per alert with window overlap, one episode per (kind, cell, windowStart)', () => {
    const anomalies: AnomalyTruth[] = [
      { name: 'x', kind: 'CONGESTION', cell: 'c1', start: 2 * h, end: 3 * h },
      { name: 'y', kind: 'CONGESTION', cell: 'c2', start: 2 * h, end: 3 * h },
    ]
    const alerts = [
      alert('c1', 'CONGESTION', 3 * h - 600_000, 3 * h + 300_000, 3 * h + 400_000, 'cell'),
      alert('c1', 'CONGESTION', 3 * h - 600_000, 3 * h + 300_000, 3 * h + 500_000, 'cell'),
      alert('c2', 'CONGESTION', 3 * h + 1, 4 * h, 4 * h, 'cell'),
      alert('c2', 'SLEEPING_CELL', 2 * h, 3 * h, 3 * h, 'cell'),
    ]
    const d = scoreDetection({ labels: [], anomalies, alerts, charges: [], toMinor })
    expect(d.byKind['CONGESTION']).toMatchObject({ family: 'anomaly', truth_units: 2, detected_units: 1, alerted_units: 2, true_positives: 1, false_positives: 1, recall: 0.5, precision: 0.5, ttd_p50_s: 4_000 })
    expect(d.byKind['SLEEPING_CELL']).toMatchObject({ recall: null, precision: 0 })
    expect(d.anomaly).toEqual({ precision: 1 / 3, recall: 0.5 })
  })

  it('counts hard negatives flagged by any fraud alert while they are labelled', () => {
    const labels = [label('n1', 'CALL_CENTRE', 0, 10 * h, { fraud: false }), label('n2', 'CALL_CENTRE', 0, 10 * h, { fraud: false })]
    const d = scoreDetection({ labels, anomalies: [], alerts: [alert('n1', 'SIMBOX', 0, h, h), alert('n1', 'SIMBOX', h, 2 * h, 2 * h), alert('n1', 'PBX', 0, h, h)], charges: [], toMinor })
    expect(d.hardNegatives['CALL_CENTRE']).toEqual({ entities: 2, flagged: 1, false_positive_ratio: 0.5 })
    expect(d.byKind['SIMBOX']).toMatchObject({ hard_negative_false_positives: 1, false_positives: 1 })
    expect(d.byKind['PBX']).toMatchObject({ hard_negative_false_positives: 1 })
  })
})
