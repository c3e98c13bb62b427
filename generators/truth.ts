/**
 * Where ground truth goes. Kinds written by the generators (one JSON object per record):
 * - `charge`: expected charge of every billable usage record,
 * - `bill`: per-subscriber totals and invoice at the end of the stream,
 * - `label`: fraud entities and hard negatives with their windows,
 * - `anomaly`: network anomaly windows per cell,
 * - `injection`: every duplicate, re-send, late, out-of-order, malformed or schema-violating record,
 * - `summary`: event counts of the stream, written last.
 * docs/generators.md documents every field.
 */
export interface TruthSink {
  write(kind: TruthKind, record: object): void
}

/** The truth kinds the generators write. */
export type TruthKind = 'charge' | 'bill' | 'label' | 'anomaly' | 'injection' | 'summary'

/** The truth kinds, in the order docs/generators.md lists them. */
export const truthKinds: readonly TruthKind[] = ['charge', 'bill', 'label', 'anomaly', 'injection', 'summary']
