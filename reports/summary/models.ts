import type { KindDetection, Results } from '../../harness/results/index.ts'
import { fraction } from '../format.ts'
import { ttdText } from './terminal-scoring.ts'

/** The columns of the rules-vs-models table (terminal, summary.md, report.html). */
export const modelTableHeader = ['kind', 'detector', 'truth', 'found', 'alerted', 'FP', 'precision', 'recall', 'F1', 'ttd p50'] as const

function row(kind: string, detector: string, d: KindDetection | undefined, timeCompression: number): string[] {
  if (d === undefined) return [kind, detector, '', '', '0', '0', 'n/a', 'n/a', 'n/a', 'n/a']
  return [kind, detector, String(d.truth_units), String(d.detected_units), String(d.alerted_units), String(d.false_positives), fraction(d.precision), fraction(d.recall), fraction(d.f1), ttdText(d.ttd_p50_s, timeCompression)]
}

/**
 * Rules and learned detectors side by side, per kind of each model's family (docs/ml.md "How it is scored"): the
 * rules' row from `detection`, one row per model from `models`; empty when the run scored no models.
 */
export function modelComparisonRows(r: Results, timeCompression: number): string[][] {
  const models = r.models
  if (models === null) return []
  const rows: string[][] = []
  // Forecasters are not detectors: they have their own table (forecastSections).
  const detectors = Object.entries(models.detectors).filter(([, d]) => d.forecast === null).sort(([a], [b]) => a.localeCompare(b))
  if (detectors.length === 0) return []
  const families = new Set(detectors.map(([, d]) => d.family))
  const familyOf = new Map<string, KindDetection['family']>()
  for (const [kind, d] of Object.entries(r.detection)) if (families.has(d.family)) familyOf.set(kind, d.family)
  for (const [, d] of detectors) for (const kind of Object.keys(d.detection)) familyOf.set(kind, d.family)
  for (const kind of [...familyOf.keys()].sort()) {
    const family = familyOf.get(kind)
    rows.push(row(kind, 'rule', r.detection[kind], timeCompression))
    // Each model's rows for the kinds of its own family: the network model has no fraud row, nor the fraud model a cell one.
    for (const [name, d] of detectors) if (d.family === family) rows.push(row(kind, name, d.detection[kind], timeCompression))
  }
  return rows
}

/** The columns of the forecasts table: one row per outage (terminal, summary.md). */
export const forecastTableHeader = ['outage', 'cell', 'kind', 'warning', 'outcome', 'lead time', 'ttd'] as const

const minutes = (s: number | null): string => (s === null ? '' : `${(s / 60).toFixed(1)} min`)

/** One forecaster's scoring: a sentence with its totals and a row per outage (times in scenario minutes). */
export interface ForecastSection {
  detector: string
  sentence: string
  rows: string[][]
}

/** Each forecaster of the run's models (docs/ml.md "Forecasting"); empty when the run scored none. */
export function forecastSections(r: Results): ForecastSection[] {
  const models = r.models
  if (models === null) return []
  const out: ForecastSection[] = []
  for (const [detector, d] of Object.entries(models.detectors).sort(([a], [b]) => a.localeCompare(b))) {
    const f = d.forecast
    if (f === null) continue
    const sentence = `${detector}: ${f.forecast} of ${f.outage_count} outages forecast before their start (recall ${fraction(f.recall)}), ${f.detected_late} detected only after it, ${f.missed} missed; precision ${fraction(f.precision)} (${f.matched_alerts} of ${f.alerts} alerts within ${minutes(f.horizon_s)} before or during an outage); lead time p50 ${f.lead_time_p50_s === null ? 'n/a' : minutes(f.lead_time_p50_s)} (scenario time, horizon ${f.horizon_periods} PM periods)`
    const rows = f.outages.map((o) => [o.name, o.cell, o.kind, o.precursor ? 'yes' : 'none', o.outcome === 'late' ? 'detected late' : o.outcome, minutes(o.lead_time_s), minutes(o.ttd_s)])
    out.push({ detector, sentence, rows })
  }
  return out
}

/** One sentence on what the models were trained on and that the run is other data. */
export function modelTrainingSentence(r: Results): string | null {
  const m = r.models
  if (m === null) return null
  const shared = m.shared_anomaly_cells.length
  const hasFraudModel = Object.values(m.detectors).some((d) => d.family === 'fraud')
  const fraud = m.shared_fraud_entities.length
  const fraudPart = hasFraudModel ? `; ${fraud === 0 ? 'no fraudulent entity in common' : `${fraud} fraudulent entit${fraud === 1 ? 'y' : 'ies'} in common with training`}` : ''
  return `models trained on ${m.training.scenario} seed ${m.training.seed} (${m.training.training_wall_s.toFixed(1)} s), scored on ${m.evaluation.scenario} seed ${m.evaluation.seed}; ${shared === 0 ? 'no anomalous cell in common' : `${shared} anomalous cell(s) in common with training`}${fraudPart}`
}

/** The terminal block: the sentence, then the table. */
export function modelLines(r: Results, timeCompression: number): string[] {
  const rows = modelComparisonRows(r, timeCompression)
  const sentence = modelTrainingSentence(r)
  if (sentence === null) return []
  const widths = modelTableHeader.map((h, i) => Math.max(h.length, ...rows.map((cells) => (cells[i] ?? '').length)))
  const line = (cells: readonly string[]): string => `  ${cells.map((c, i) => (i < 2 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join(' ')}`
  const table = rows.length === 0 ? [] : [line(modelTableHeader), ...rows.map(line)]
  return ['', `█ RULES vs MODELS (time to detect in wall s, scenario s in brackets: ×${timeCompression} compression)`, `  ${sentence}`, ...table, ...forecastLines(r)]
}

/** The terminal block of each forecaster: its totals, then a row per outage. */
export function forecastLines(r: Results): string[] {
  return forecastSections(r).flatMap((f) => {
    const widths = forecastTableHeader.map((h, i) => Math.max(h.length, ...f.rows.map((cells) => (cells[i] ?? '').length)))
    const line = (cells: readonly string[]): string => `  ${cells.map((c, i) => (i < 5 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join(' ')}`
    return ['', '█ FORECASTS (a prediction after the outage started is a detection, not a forecast)', `  ${f.sentence}`, line(forecastTableHeader), ...f.rows.map(line)]
  })
}
