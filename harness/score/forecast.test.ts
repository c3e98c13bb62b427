import { describe, expect, it } from 'vitest'
import { scoreForecasts, type ForecastAlert } from './forecast.ts'
import type { AnomalyTruth } from './truth.ts'

const min = 60_000
const t0 = Date.parse('2026-01-06T06:00:00Z')
const at = (minutes: number): number => t0 + minutes * min
const horizonMs = 30 * min

// Four outages and a storm: A and B warned (precursor), C and D not; the storm is not a forecastable kind.
const anomalies: AnomalyTruth[] = [
  { name: 'a', kind: 'SLEEPING_CELL', cell: 'cell-A', start: at(60), end: at(90), precursorStart: at(20) },
  { name: 'b', kind: 'CONGESTION', cell: 'cell-B', start: at(120), end: at(150), precursorStart: at(90) },
  { name: 'c', kind: 'KPI_DEGRADATION', cell: 'cell-C', start: at(180), end: at(240), precursorStart: null },
  { name: 'd', kind: 'KPI_DEGRADATION', cell: 'cell-D', start: at(200), end: at(260) },
  { name: 'storm', kind: 'ALARM_STORM', cell: 'cell-E', start: at(100), end: at(130) },
]

describe('forecast scoring', () => {
  it('a perfect forecaster: every outage forecast with its lead time, precision and recall 1', () => {
    const alerts: ForecastAlert[] = anomalies.filter((a) => a.kind !== 'ALARM_STORM').map((a) => ({ cell: a.cell, predictedAtMs: a.start - 10 * min }))
    const r = scoreForecasts({ anomalies, alerts, horizonMs })
    expect(r).toMatchObject({ horizon_s: 1800, outage_count: 4, forecast: 4, detected_late: 0, missed: 0, alerts: 4, matched_alerts: 4, precision: 1, recall: 1, lead_time_p50_s: 600 })
    expect(r.outages.map((o) => [o.name, o.outcome, o.lead_time_s, o.precursor])).toEqual([['a', 'forecast', 600, true], ['b', 'forecast', 600, true], ['c', 'forecast', 600, false], ['d', 'forecast', 600, false]])
  })

  it('seeded defects: a prediction after the start is a detection, not a forecast; one too early or on another cell is a false alarm', () => {
    const alerts: ForecastAlert[] = [
      { cell: 'cell-A', predictedAtMs: at(35) }, // 25 min ahead: forecast, lead 1500 s
      { cell: 'cell-A', predictedAtMs: at(50) }, // a second alert of the same outage: matched, not a second forecast
      { cell: 'cell-B', predictedAtMs: at(80) }, // 40 min ahead: beyond the horizon, false alarm
      { cell: 'cell-B', predictedAtMs: at(125) }, // 5 min into the outage: late, ttd 300 s
      { cell: 'cell-C', predictedAtMs: at(180) }, // exactly at the start: late, ttd 0
      { cell: 'cell-E', predictedAtMs: at(110) }, // the storm's cell: no outage there, false alarm
      { cell: 'cell-D', predictedAtMs: at(170) }, // exactly one horizon ahead: forecast, lead 1800 s
      { cell: 'cell-D', predictedAtMs: at(260) }, // at the end (exclusive): false alarm
    ]
    const r = scoreForecasts({ anomalies, alerts, horizonMs })
    expect(r.outages.map((o) => [o.name, o.outcome, o.lead_time_s, o.ttd_s])).toEqual([
      ['a', 'forecast', 1500, null],
      ['b', 'late', null, 300],
      ['c', 'late', null, 0],
      ['d', 'forecast', 1800, null],
    ])
    expect(r).toMatchObject({ outage_count: 4, forecast: 2, detected_late: 2, missed: 0, alerts: 8, matched_alerts: 5, recall: 0.5, lead_time_p50_s: 1500, lead_time_s: [1500, 1800] })
    expect(r.precision).toBeCloseTo(5 / 8, 12)
  })

  it('no alerts: every outage missed, precision unknown (null), recall 0', () => {
    const r = scoreForecasts({ anomalies, alerts: [], horizonMs })
    expect(r).toMatchObject({ forecast: 0, detected_late: 0, missed: 4, alerts: 0, matched_alerts: 0, precision: null, recall: 0, lead_time_p50_s: null, lead_time_s: [] })
  })

  it('no outages: recall unknown (null), every alert a false alarm', () => {
    const r = scoreForecasts({ anomalies: anomalies.filter((a) => a.kind === 'ALARM_STORM'), alerts: [{ cell: 'cell-E', predictedAtMs: at(90) }], horizonMs })
    expect(r).toMatchObject({ outage_count: 0, alerts: 1, matched_alerts: 0, precision: 0, recall: null, outages: [] })
  })
})
