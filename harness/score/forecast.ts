/**
 * Scores outage forecasts (docs/ml.md "Forecasting", docs/results.md "Forecasts"): per outage, whether a forecast
 * alert on its cell came before its start (within the horizon), only after it (a late detection, not a forecast),
 * or never. Pure: truth and alerts in, figures out.
 */
import { percentileOfSorted } from '../stats/index.ts'
import type { AnomalyTruth } from './truth.ts'

/** The anomaly kinds a forecast is scored on: the cell outages the generators can precede with warning signs. */
export const forecastableKinds: readonly string[] = ['SLEEPING_CELL', 'CONGESTION', 'KPI_DEGRADATION']

/** One forecast alert: the cell and the prediction time (the end of the PM period it was made on), epoch ms. */
export interface ForecastAlert {
  cell: string
  predictedAtMs: number
}

export interface ForecastInput {
  anomalies: readonly AnomalyTruth[]
  alerts: readonly ForecastAlert[]
  /** How far ahead the model forecasts: horizon periods × the PM granularity, ms. */
  horizonMs: number
}

/** What became of one outage. */
export interface OutageForecast {
  name: string
  cell: string
  kind: string
  /** Outage start, ISO 8601 (scenario time). */
  start: string
  /** Whether the truth gave this outage warning signs (a precursor window). */
  precursor: boolean
  /** `forecast`: alerted before the start; `late`: first alerted inside the outage; `missed`: neither. */
  outcome: 'forecast' | 'late' | 'missed'
  /** start − prediction time, scenario seconds (forecasts only). */
  lead_time_s: number | null
  /** prediction time − start, scenario seconds (late detections only). */
  ttd_s: number | null
}

export interface ForecastScore {
  horizon_s: number
  outages: OutageForecast[]
  /** Outages (truth anomalies of a forecastable kind, one per cell). */
  outage_count: number
  /** Outages alerted before their start. */
  forecast: number
  /** Outages alerted only after their start (detected, not forecast). */
  detected_late: number
  missed: number
  alerts: number
  /** Alerts on an outage's cell in [start − horizon, end): counted as right for precision. */
  matched_alerts: number
  /** matched_alerts / alerts; null without alerts. */
  precision: number | null
  /** forecast / outage_count; null without outages. */
  recall: number | null
  lead_time_p50_s: number | null
  /** Every forecast's lead time, ascending. */
  lead_time_s: number[]
}

/**
 * The first alert on the outage's cell in [start − horizon, start) is a forecast with lead time start − t; failing
 * that, the first in [start, end) is a late detection with time to detect t − start; else the outage was missed.
 * An alert counts toward precision when it lies in [start − horizon, end) of some outage on its cell.
 */
export function scoreForecasts(input: ForecastInput): ForecastScore {
  const outages = input.anomalies.filter((a) => forecastableKinds.includes(a.kind)).sort((a, b) => a.start - b.start || a.cell.localeCompare(b.cell))
  const alerts = [...input.alerts].sort((a, b) => a.predictedAtMs - b.predictedAtMs)
  const h = input.horizonMs
  const rows: OutageForecast[] = outages.map((o) => {
    const onCell = alerts.filter((a) => a.cell === o.cell)
    const early = onCell.find((a) => a.predictedAtMs >= o.start - h && a.predictedAtMs < o.start)
    const late = early === undefined ? onCell.find((a) => a.predictedAtMs >= o.start && a.predictedAtMs < o.end) : undefined
    return {
      name: o.name,
      cell: o.cell,
      kind: o.kind,
      start: new Date(o.start).toISOString(),
      precursor: o.precursorStart != null,
      outcome: early !== undefined ? 'forecast' : late !== undefined ? 'late' : 'missed',
      lead_time_s: early === undefined ? null : (o.start - early.predictedAtMs) / 1000,
      ttd_s: late === undefined ? null : (late.predictedAtMs - o.start) / 1000,
    }
  })
  const matched = alerts.filter((a) => outages.some((o) => o.cell === a.cell && a.predictedAtMs >= o.start - h && a.predictedAtMs < o.end)).length
  const leads = rows.flatMap((r) => (r.lead_time_s === null ? [] : [r.lead_time_s])).sort((a, b) => a - b)
  const forecast = leads.length
  return {
    horizon_s: h / 1000,
    outages: rows,
    outage_count: rows.length,
    forecast,
    detected_late: rows.filter((r) => r.outcome === 'late').length,
    missed: rows.filter((r) => r.outcome === 'missed').length,
    alerts: alerts.length,
    matched_alerts: matched,
    precision: alerts.length === 0 ? null : matched / alerts.length,
    recall: rows.length === 0 ? null : forecast / rows.length,
    lead_time_p50_s: percentileOfSorted(leads, 50),
    lead_time_s: leads,
  }
}
