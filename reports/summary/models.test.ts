import { describe, expect, it } from 'vitest'
import type { KindDetection, Results } from '../../harness/results/index.ts'
import { renderMarkdown } from '../markdown.ts'
import { fixtureRun } from '../test-fixture.ts'
import { forecastSections, modelComparisonRows, modelLines } from './models.ts'

const kind = (over: Partial<KindDetection>): KindDetection => ({ family: 'anomaly', precision: 1, recall: 1, f1: 1, ttd_p50_s: 600, ttd_p95_s: 600, ttd_max_s: 600, ttd_s: [600], truth_units: 1, detected_units: 1, alerted_units: 1, true_positives: 1, false_positives: 0, hard_negative_false_positives: 0, exposure_minor: null, exposure_total_minor: null, ...over })

const models: NonNullable<Results['models']> = {
  folder: '/m',
  training: { scenario: 'slow-degradation-train', seed: 7, trained_at: '2026-01-01T00:00:00.000Z', training_wall_s: 31.5 },
  evaluation: { scenario: 'quickstart', seed: 42 },
  shared_anomaly_cells: [],
  shared_fraud_entities: [],
  detectors: {
    'ml:network-rf': {
      family: 'anomaly',
      algorithm: 'random-forest',
      features: ['fail_ratio'],
      training_rows: 100,
      training_class_counts: { NONE: 90, ALARM_STORM: 10 },
      fit_s: 2,
      alerts: 3,
      detection: { SLEEPING_CELL: kind({ ttd_p50_s: 1200, ttd_s: [1200] }), ALARM_STORM: kind({}) },
      forecast: null,
    },
  },
}

const forecaster: NonNullable<Results['models']>['detectors'][string] = {
  family: 'anomaly',
  algorithm: 'gradient-boosted-trees',
  features: ['fail_ratio'],
  training_rows: 90,
  training_class_counts: { NONE: 84, OUTAGE_AHEAD: 6 },
  fit_s: 1,
  alerts: 3,
  detection: {},
  forecast: {
    horizon_periods: 6,
    horizon_s: 1800,
    outages: [
      { name: 'quiet', cell: 'cell-1', kind: 'SLEEPING_CELL', start: '2026-01-06T10:00:00.000Z', precursor: true, outcome: 'forecast', lead_time_s: 1200, ttd_s: null },
      { name: 'ramp', cell: 'cell-2', kind: 'KPI_DEGRADATION', start: '2026-01-06T11:00:00.000Z', precursor: false, outcome: 'late', lead_time_s: null, ttd_s: 900 },
    ],
    outage_count: 2,
    forecast: 1,
    detected_late: 1,
    missed: 0,
    alerts: 3,
    matched_alerts: 2,
    precision: 2 / 3,
    recall: 0.5,
    lead_time_p50_s: 1200,
    lead_time_s: [1200],
  },
}

describe('rules vs models', () => {
  it('one row per kind and detector: the rules from detection, a kind only the model alerts on still gets its rules row', () => {
    const r = { ...fixtureRun().results, models }
    const rows = modelComparisonRows(r, 240)
    expect(rows.map((row) => `${row[0] ?? ''} ${row[1] ?? ''}`)).toEqual(['ALARM_STORM rule', 'ALARM_STORM ml:network-rf', 'SLEEPING_CELL rule', 'SLEEPING_CELL ml:network-rf'])
    expect(rows[0]).toEqual(['ALARM_STORM', 'rule', '', '', '0', '0', 'n/a', 'n/a', 'n/a', 'n/a'])
    expect(rows[3]?.slice(2)).toEqual(['1', '1', '1', '0', '1.00', '1.00', '1.00', '5.0 (1200)'])
    const lines = modelLines(r, 240).join('\n')
    expect(lines).toContain('█ RULES vs MODELS')
    expect(lines).toContain('models trained on slow-degradation-train seed 7 (31.5 s), scored on quickstart seed 42; no anomalous cell in common')
    expect(renderMarkdown({ ...fixtureRun(), results: r }, null)).toContain('### Rules vs models')
  })

  it('a fraud model: its kinds beside the rules, and the sentence says whether fraudulent entities are shared', () => {
    const fraud = { family: 'fraud' as const, algorithm: 'random-forest', features: ['calls_1h'], training_rows: 900, training_class_counts: { NONE: 880, WANGIRI: 20 }, fit_s: 3, alerts: 1, detection: { WANGIRI: kind({ family: 'fraud' }) }, forecast: null }
    const r = { ...fixtureRun().results, models: { ...models, shared_fraud_entities: ['001010000000007'], detectors: { ...models.detectors, 'ml:fraud-rf': fraud } } }
    const rows = modelComparisonRows(r, 240).map((row) => `${row[0] ?? ''} ${row[1] ?? ''}`)
    expect(rows).toContain('WANGIRI rule')
    expect(rows).toContain('WANGIRI ml:fraud-rf')
    // Each model only on the kinds of its family.
    expect(rows).not.toContain('WANGIRI ml:network-rf')
    expect(rows).not.toContain('SLEEPING_CELL ml:fraud-rf')
    expect(modelLines(r, 240).join('\n')).toContain('no anomalous cell in common; 1 fraudulent entity in common with training')
  })

  it('a forecaster gets its own table, one row per outage with lead time or time to detect, and no row in RULES vs MODELS', () => {
    const r = { ...fixtureRun().results, models: { ...models, detectors: { ...models.detectors, 'ml:forecast-gbt': forecaster } } }
    expect(modelComparisonRows(r, 240).map((row) => row[1])).not.toContain('ml:forecast-gbt')
    const [section] = forecastSections(r)
    expect(section?.sentence).toBe('ml:forecast-gbt: 1 of 2 outages forecast before their start (recall 0.50), 1 detected only after it, 0 missed; precision 0.67 (2 of 3 alerts within 30.0 min before or during an outage); lead time p50 20.0 min (scenario time, horizon 6 PM periods)')
    expect(section?.rows).toEqual([
      ['quiet', 'cell-1', 'SLEEPING_CELL', 'yes', 'forecast', '20.0 min', ''],
      ['ramp', 'cell-2', 'KPI_DEGRADATION', 'none', 'detected late', '', '15.0 min'],
    ])
    const lines = modelLines(r, 240).join('\n')
    expect(lines).toContain('█ FORECASTS (a prediction after the outage started is a detection, not a forecast)')
    expect(lines).toMatch(/ramp +cell-2 +KPI_DEGRADATION +none +detected late +15\.0 min/)
    const md = renderMarkdown({ ...fixtureRun(), results: r }, null)
    expect(md).toContain('### Forecasts')
    expect(md).toContain('| quiet | cell-1 | SLEEPING_CELL | yes | forecast | 20.0 min |  |')
  })

  it('is left out without models', () => {
    const r = fixtureRun().results
    expect(modelLines(r, 240)).toEqual([])
    expect(renderMarkdown(fixtureRun(), null)).not.toContain('Rules vs models')
  })
})
