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
  const families = new Set(Object.values(models.detectors).map((d) => d.family))
  const familyOf = new Map<string, KindDetection['family']>()
  for (const [kind, d] of Object.entries(r.detection)) if (families.has(d.family)) familyOf.set(kind, d.family)
  for (const d of Object.values(models.detectors)) for (const kind of Object.keys(d.detection)) familyOf.set(kind, d.family)
  const detectors = Object.entries(models.detectors).sort(([a], [b]) => a.localeCompare(b))
  for (const kind of [...familyOf.keys()].sort()) {
    const family = familyOf.get(kind)
    rows.push(row(kind, 'rule', r.detection[kind], timeCompression))
    // Each model's rows for the kinds of its own family: the network model has no fraud row, nor the fraud model a cell one.
    for (const [name, d] of detectors) if (d.family === family) rows.push(row(kind, name, d.detection[kind], timeCompression))
  }
  return rows
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
  return ['', `█ RULES vs MODELS (time to detect in wall s, scenario s in brackets: ×${timeCompression} compression)`, `  ${sentence}`, line(modelTableHeader), ...rows.map(line)]
}
