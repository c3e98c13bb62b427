import type { TimelinePoint } from './types.ts'

/**
 * What a running run shows once a second (the live dashboard, docs/serving.md "Dashboard"): plain data the
 * harness assembles from what it already measures, so that a reader (reports/dashboard) needs nothing else.
 */
export interface LiveSnapshot {
  run_id: string
  scenario: string
  /** Seconds since the load started (intended send time 0); negative before it. */
  t_s: number
  load_s: number
  warmup_s: number
  phase: 'starting' | 'load' | 'drain' | 'done'
  /** Every second so far, as timeline.json will hold it (offered, acked, rated, backlog, rated p50/p99). */
  points: TimelinePoint[]
  /** p50/p99 per latency stream over the last complete second, ms; null for a stream without values in it. */
  latency_last_s: Record<string, { p50_ms: number; p99_ms: number; count: number } | null>
  /** The same per stream over the run so far (after the warm-up). */
  latency_run: Record<string, { p50_ms: number; p99_ms: number; count: number } | null>
  totals: { sent: number; rated: number; dlq: number; alerts: number; backlog: number }
  faults: { name: string; kind: string; at_s: number; injected_at_s: number | null; lifted_at_s: number | null }[]
  alerts: {
    /** Alerts by kind so far, fraud and network families apart. */
    by_kind: { kind: string; family: 'fraud' | 'network'; count: number }[]
    /** The latest alerts, newest first. */
    recent: { kind: string; family: 'fraud' | 'network'; entity: string; seen_s: number }[]
    /** Cells with a network alert, with its kinds. */
    cells: { cell: string; kinds: string[] }[]
  }
  /** The running bills of the top subscribers read from the serving store; null without a store. */
  bills: { subscriber: string; charge_subunits: number; records: number }[] | null
  /** The currency the bills are in and the sub-units per currency unit. */
  currency: string
}
