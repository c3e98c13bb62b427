import type { ExpectedCharge } from './billing.ts'

/** A `charge` truth record as the scorer keeps it: the expected charge and when the usage happened. */
export interface TruthCharge extends ExpectedCharge {
  /** Scenario epoch ms of the usage record (`eventTime`). */
  eventTime: number
  /** SIM-box calls only: what the international call the box turned into this local one would have paid (docs/generators.md). */
  bypassedSubunits?: number
}

/** Money a fraud takes from the operator on one record: a SIM-box call loses the bypassed termination less what the SIM paid; any other record its charge. */
export function lossSubunits(c: TruthCharge): number {
  return c.bypassedSubunits === undefined ? c.chargeSubunits : c.bypassedSubunits - c.chargeSubunits
}

/** An `injection` truth record as the scorer keeps it. */
export interface InjectionTruth {
  /** duplicate, resend, late, out_of_order, malformed, negative_value, unknown_subscriber, bad_imsi, oversized. */
  kind: string
  subscriber: string
  /** The DLQ reason the pipeline should give, for invalid records. */
  reason: string | null
  latenessMs: number | null
}

/** A `label` truth record: a fraudulent entity, or a hard negative (`fraud: false`). */
export interface LabelTruth {
  entityType: string
  entity: string
  kind: string
  fraud: boolean
  campaignId: string
  /** Scenario epoch ms. */
  start: number
  end: number
  /** IMSIs whose records show the label (WANGIRI: the subscribers who called the campaign number back). */
  callers: string[]
}

/** An `anomaly` truth record: one affected cell over a window. */
export interface AnomalyTruth {
  name: string
  kind: string
  cell: string
  /** Scenario epoch ms. */
  start: number
  end: number
  /** Where the anomaly's warning signs begin (scenario epoch ms); absent or null when it gives none. */
  precursorStart?: number | null
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null)
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null)

/** Reads a `label` truth record (docs/generators.md); null when a required field is missing. */
export function parseLabel(r: Record<string, unknown>): LabelTruth | null {
  const entityType = str(r['entityType'])
  const entity = str(r['entity'])
  const kind = str(r['kind'])
  const start = num(r['start'])
  const end = num(r['end'])
  if (entityType === null || entity === null || kind === null || start === null || end === null || typeof r['fraud'] !== 'boolean') return null
  const details = r['details']
  const callers = typeof details === 'object' && details !== null && Array.isArray((details as Record<string, unknown>)['callers']) ? ((details as Record<string, unknown>)['callers'] as unknown[]).filter((c): c is string => typeof c === 'string') : []
  return { entityType, entity, kind, fraud: r['fraud'], campaignId: str(r['campaignId']) ?? '', start, end, callers }
}

/** Reads an `anomaly` truth record (docs/generators.md); null when a required field is missing. */
export function parseAnomaly(r: Record<string, unknown>): AnomalyTruth | null {
  const kind = str(r['kind'])
  const cell = str(r['cell'])
  const start = num(r['start'])
  const end = num(r['end'])
  if (kind === null || cell === null || start === null || end === null) return null
  return { name: str(r['name']) ?? '', kind, cell, start, end, precursorStart: num(r['precursorStart']) }
}
