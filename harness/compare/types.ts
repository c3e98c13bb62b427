import type { RunFolder, StreamHistograms } from '../results/index.ts'

/** Which way a metric gets better. */
export type Direction = 'lower-is-better' | 'higher-is-better'

/**
 * `statistical`: a figure that varies from run to run (latency, throughput, times), judged by a test;
 * `exact`: an accuracy figure the same input must reproduce (counts of lost or duplicated events, exact-match
 * ratios, precision, recall), where any worsening is a regression and no statistics apply.
 */
export type MetricClass = 'statistical' | 'exact'

export type MetricUnit = 'ms' | 's' | 'eps' | 'events' | 'ratio' | 'cores' | 'MiB'

/** Where a statistical metric's per-second windows come from, for the block bootstrap of a single pair of runs. */
export type WindowSource =
  | { kind: 'latency'; stream: string; percentile: number }
  | { kind: 'rate'; field: 'acked' | 'rated' }

/** One named figure of a run that compare sets against the same figure of another run. */
export interface MetricDefinition {
  /** e.g. `rated.p99`, `accounting.lost`, `billing.charge_exact_match_ratio`, `detection.SIMBOX.recall`. */
  name: string
  unit: MetricUnit
  direction: Direction
  class: MetricClass
  /** The per-second series behind it, or null when the run has none (a statistical metric then needs repeats). */
  windows: WindowSource | null
}

/** A metric's value in one run; null when the run did not measure it (no alerts, no billing, no such fault). */
export interface MetricValue extends MetricDefinition {
  value: number | null
}

/** A run as compare reads it: its typed files and its raw histograms, both through harness/results. */
export interface ComparedRun extends RunFolder {
  histograms: Record<string, StreamHistograms>
}

/** The runs of one side: one run folder, several, or the runs of a set folder (`run --repeat`). */
export interface Side {
  label: 'baseline' | 'candidate'
  runs: ComparedRun[]
  /** Runs of a set folder left out, and why: no results.json (the run did not finish), or an invalid or aborted run. */
  skipped: SkippedRun[]
}

/** A folder inside a set folder that is not compared. */
export interface SkippedRun {
  dir: string
  reason: string
}
