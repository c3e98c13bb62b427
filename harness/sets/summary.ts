import { ExitCode } from '../errors.ts'
import { setMetricNames, setSchemaVersion, type MachineBusy, type Results, type RunState, type SetFile, type SetMetric, type SetMetricName, type SetRun, type VerdictReasonCode } from '../results/index.ts'
import { medianInterval, medianOf, percentile } from '../stats/index.ts'

/**
 * The statistics of a set of repeated runs (set.json), a pure function of each run's figures: per headline
 * figure every run's value, the median, min–max and the order-statistic confidence interval of the median over
 * the runs that measured the system (docs/method.md "Repetitions"), and the set's exit code.
 */

/** The confidence level the interval of the median aims for. */
export const ciTargetLevel = 0.95

/** Each figure's unit and where it is in results.json. */
export const setMetricSources: Record<SetMetricName, { unit: SetMetric['unit']; read: (r: Results) => number | null }> = {
  rated_p50_ms: { unit: 'ms', read: (r) => r.latency['rated']?.p50 ?? null },
  rated_p99_ms: { unit: 'ms', read: (r) => r.latency['rated']?.p99 ?? null },
  bills_p50_ms: { unit: 'ms', read: (r) => r.latency['bills']?.p50 ?? null },
  bills_p99_ms: { unit: 'ms', read: (r) => r.latency['bills']?.p99 ?? null },
  achieved_rate_eps: { unit: 'eps', read: (r) => r.throughput.achieved_eps },
  lost_events: { unit: 'events', read: (r) => r.accounting.lost },
  duplicated_events: { unit: 'events', read: (r) => r.accounting.duplicated },
  billing_error_ratio: { unit: 'ratio', read: (r) => r.billing?.billing_error_ratio ?? null },
  fraud_recall: { unit: 'ratio', read: (r) => r.detection_summary.fraud.recall },
  fraud_precision: { unit: 'ratio', read: (r) => r.detection_summary.fraud.precision },
  anomaly_recall: { unit: 'ratio', read: (r) => r.detection_summary.anomaly.recall },
  anomaly_precision: { unit: 'ratio', read: (r) => r.detection_summary.anomaly.precision },
  // Nearest-rank p50 over every detected unit of every kind, scenario seconds (like detection.<kind>.ttd_p50_s).
  ttd_p50_s: { unit: 's', read: (r) => percentile(Object.values(r.detection).flatMap((d) => d.ttd_s), 50) },
}

/** What the set keeps of one run that wrote results. */
export interface RunFigures {
  runId: string
  state: RunState
  reasons: VerdictReasonCode[]
  machineBusy: MachineBusy
  figures: Record<SetMetricName, number | null>
}

/** Reads a run's figures out of its results.json. */
export function runFigures(r: Results): RunFigures {
  const figures = Object.fromEntries(setMetricNames.map((name) => [name, setMetricSources[name].read(r)])) as Record<SetMetricName, number | null>
  return { runId: r.run_id, state: r.state, reasons: r.verdict.reasons.map((reason) => reason.code), machineBusy: r.machine_busy, figures }
}

/** One run of the set as it ended: its figures and folder, or the error that ended it before it wrote results. */
export type SetRunInput = { index: number; folder: string; exitCode: number; run: RunFigures } | { index: number; exitCode: number; error: string }

/**
 * Exit codes from worst to best: a bug (70) and a refused command (2) or environment (3) mean the set measured
 * nothing; an invalid run (5) that its figures cannot be trusted; an aborting threshold (4) and a failed one (1)
 * are results about the system; 0 passed. The set exits with the worst of its runs (130 when interrupted).
 */
export const exitCodeSeverity: readonly number[] = [ExitCode.internal, ExitCode.invalidInput, ExitCode.infrastructure, ExitCode.runInvalid, ExitCode.aborted, ExitCode.thresholdsFailed, ExitCode.passed]

/** The worst of the runs' exit codes in {@link exitCodeSeverity} order (an unknown code counts as a bug); 0 for no runs. */
export function worstExitCode(codes: readonly number[]): number {
  let worst: number = ExitCode.passed
  const rank = (code: number): number => {
    const i = exitCodeSeverity.indexOf(code)
    return i < 0 ? -1 : i
  }
  for (const code of codes) {
    const known = rank(code) < 0 ? ExitCode.internal : code
    if (rank(known) < rank(worst)) worst = known
  }
  return worst
}

/** Whether a run's figures describe the system under test: `invalid` and interrupted runs are shown, not counted. */
export const countedStates: readonly RunState[] = ['passed', 'failed']

function metric(name: SetMetricName, runs: readonly SetRunInput[]): SetMetric {
  const values = runs.map((r) => ('run' in r && countedStates.includes(r.run.state) ? r.run.figures[name] : null))
  const present = values.filter((v): v is number => v !== null)
  return {
    unit: setMetricSources[name].unit,
    values,
    n: present.length,
    median: medianOf(present),
    min: present.length === 0 ? null : Math.min(...present),
    max: present.length === 0 ? null : Math.max(...present),
    ci: medianInterval(present, ciTargetLevel),
  }
}

function setRun(r: SetRunInput): SetRun {
  if (!('run' in r)) return { index: r.index, run_id: null, folder: null, state: null, exit_code: r.exitCode, counted: false, reasons: [], machine_busy: null, error: r.error }
  return { index: r.index, run_id: r.run.runId, folder: r.folder, state: r.run.state, exit_code: r.exitCode, counted: countedStates.includes(r.run.state), reasons: r.run.reasons, machine_busy: r.run.machineBusy, error: null }
}

/** What set.json says about the set apart from its runs. */
export type SetHeader = Pick<SetFile, 'telcobench' | 'set_id' | 'scenario' | 'scenario_file' | 'started_at' | 'repeat'>

/** set.json from the set's header and its runs so far. */
export function summarizeSet(header: SetHeader, runs: readonly SetRunInput[], interrupted: boolean): SetFile {
  const metrics = Object.fromEntries(setMetricNames.map((name) => [name, metric(name, runs)])) as Record<SetMetricName, SetMetric>
  return {
    schema_version: setSchemaVersion,
    ...header,
    interrupted,
    exit_code: interrupted ? ExitCode.interrupted : worstExitCode(runs.map((r) => r.exitCode)),
    ci_method: 'order-statistic',
    ci_target_level: ciTargetLevel,
    runs: runs.map(setRun),
    metrics,
  }
}
