import { basename } from 'node:path'
import { readHistograms, readRun, type Manifest, type RunFolder, type StreamHistograms } from '../harness/results/index.ts'

/** A run as every report reads it: the typed files of its folder and its raw histograms. */
export interface ReportRun extends RunFolder {
  /** How the run is named where several are side by side. */
  label: string
  histograms: Record<string, StreamHistograms>
}

/** Reads a run folder through the results module (the only way reports read runs). */
export function loadReportRun(dir: string): ReportRun {
  const run = readRun(dir)
  return { ...run, label: run.results.run_id || basename(dir), histograms: readHistograms(dir) }
}

/** What the manifest's plan says, read defensively: the plan is recorded as the harness held it. */
export interface PlanFacts {
  /** Scenario seconds per wall second (1 when the plan does not say). */
  timeCompression: number
  loadS: number | null
  warmupS: number | null
}

const numberAt = (record: Record<string, unknown>, key: string): number | null => {
  const v = record[key]
  return typeof v === 'number' && Number.isFinite(v) ? v : null
}

export function planFacts(manifest: Manifest): PlanFacts {
  const plan = manifest.plan
  const compression = numberAt(plan, 'timeCompression')
  return { timeCompression: compression !== null && compression > 0 ? compression : 1, loadS: numberAt(plan, 'durationS'), warmupS: numberAt(plan, 'warmupS') }
}

/** The runtime's kind as the manifest records it (`local`, `containers`, `external`). */
export function runtimeKind(manifest: Manifest): string {
  const kind = manifest.runtime['kind']
  return typeof kind === 'string' ? kind : 'unknown'
}

/**
 * Labels for runs shown side by side: the run id, plus what tells them apart when the scenario is the same
 * (the commit, the delivery guarantee, the runtime).
 */
export function distinguishingLabels(runs: readonly ReportRun[]): string[] {
  const differs = (pick: (r: ReportRun) => string): boolean => new Set(runs.map(pick)).size > 1
  const sha = (r: ReportRun): string => r.results.telcobench.git_sha.slice(0, 7) + (r.results.telcobench.dirty ? '+dirty' : '')
  const guarantee = (r: ReportRun): string => r.manifest.delivery_guarantee
  const runtime = (r: ReportRun): string => runtimeKind(r.manifest)
  const labels = runs.map((r) => {
    const parts = [r.results.run_id]
    if (differs(sha)) parts.push(`@${sha(r)}`)
    if (differs(guarantee)) parts.push(guarantee(r))
    if (differs(runtime)) parts.push(runtime(r))
    return parts.join(' ')
  })
  // The same run folder copied (or given twice) keeps its run id: the folder, then the position, tells them apart.
  const repeated = (list: string[]): boolean => new Set(list).size < list.length
  if (!repeated(labels)) return labels
  const byFolder = labels.map((label, i) => `${label} (${basename(runs[i]?.dir ?? '')})`)
  return repeated(byFolder) ? labels.map((label, i) => `${label} #${i + 1}`) : byFolder
}
