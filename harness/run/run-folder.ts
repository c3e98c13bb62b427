import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { Histogram } from 'hdr-histogram-js'
import { encodeHistogram, type LatencyRecorder } from '../measure/histograms.ts'
import { resolvedScenarioFile, runFiles, writeRunFiles, type Manifest, type Results, type Timeline } from '../results/index.ts'
import { jvmTmpDir } from '../runtime/paths.ts'
import type { AlertRecord, DlqRecord } from './collector.ts'
import { newRunId } from './run-id.ts'

/** A run's folder: results/<run-id>/ and the places inside it the runtime and the engine use. */
export interface RunFolder {
  runId: string
  dir: string
  logDir: string
  truthDir: string
  checkpointDir: string
  batchCheckpointDir: string
  /** SHA-256 of the scenario.resolved.json written here (manifest.json `scenario_sha256`). */
  scenarioSha256: string
}

/** Creates results/<run-id>/ with its logs folder and the resolved scenario. */
export function createRunFolder(root: string, scenarioName: string, resolvedScenario: unknown): RunFolder {
  const runId = newRunId(scenarioName)
  // Absolute: the children the run starts get paths to it (Cassandra's config URL, the Kafka tools' --command-config)
  // and some run in another working directory; a relative --results broke both.
  const dir = resolve(root, runId)
  const scenarioFile = resolvedScenarioFile(resolvedScenario)
  const folder = { runId, dir, logDir: join(dir, 'logs'), truthDir: join(dir, 'truth'), checkpointDir: join(dir, 'checkpoints'), batchCheckpointDir: join(dir, 'batch-checkpoints'), scenarioSha256: scenarioFile.sha256 }
  mkdirSync(folder.logDir, { recursive: true })
  writeFileSync(join(dir, runFiles.resolvedScenario), scenarioFile.text)
  return folder
}

/** Everything a finished run writes beside the truth and the logs. */
export interface RunRecord {
  results: Results
  manifest: Manifest
  timeline: Timeline
  /** Latency streams: whole-run, warm-up and per-second HdrHistograms. */
  latency: readonly LatencyRecorder[]
  /** Histograms kept whole only, by stream name (the batch's time-to-result). */
  wholeHistograms: Record<string, Histogram>
  progress: readonly unknown[]
  alerts: readonly AlertRecord[]
  dlq: readonly DlqRecord[]
}

const jsonLines = (items: readonly unknown[]): string => items.map((i) => `${JSON.stringify(i)}\n`).join('')

/** Writes the run folder's files (docs/results.md lists each). */
export function writeRunFolder(folder: RunFolder, record: RunRecord): void {
  writeRunFiles(folder.dir, { results: record.results, manifest: record.manifest, timeline: record.timeline })
  const histogramsDir = join(folder.dir, runFiles.histograms)
  mkdirSync(histogramsDir, { recursive: true })
  for (const r of record.latency) {
    writeFileSync(join(histogramsDir, `${r.name}.hdr`), `${encodeHistogram(r.whole)}\n`)
    writeFileSync(join(histogramsDir, `${r.name}.warmup.hdr`), `${encodeHistogram(r.warmup)}\n`)
    const perSecond = [...r.intervals.entries()].sort(([a], [b]) => a - b).map(([t, h]) => ({ t_s: t, hdr: encodeHistogram(h) }))
    writeFileSync(join(histogramsDir, `${r.name}.intervals.jsonl`), jsonLines(perSecond))
  }
  for (const [name, h] of Object.entries(record.wholeHistograms)) writeFileSync(join(histogramsDir, `${name}.hdr`), `${encodeHistogram(h)}\n`)
  writeFileSync(join(folder.dir, 'spark-progress.jsonl'), jsonLines(record.progress))
  writeFileSync(join(folder.dir, 'alerts.jsonl'), jsonLines(record.alerts))
  writeFileSync(join(folder.dir, 'dlq.jsonl'), jsonLines(record.dlq))
}

/** Removes what only the running JVMs needed: broker data and engine checkpoints (unless kept) and their temp folders. */
export function removeRunScratch(folder: RunFolder, keep: { keepKafkaData: boolean; keepCheckpoints: boolean }): void {
  if (!keep.keepKafkaData) rmSync(join(folder.dir, 'kafka', 'data'), { recursive: true, force: true })
  // The serving store's data goes with the broker's: results.json `serving` keeps what was read back from it.
  if (!keep.keepKafkaData) rmSync(join(folder.dir, 'cassandra', 'data'), { recursive: true, force: true })
  if (!keep.keepCheckpoints) for (const dir of [folder.checkpointDir, folder.batchCheckpointDir]) rmSync(dir, { recursive: true, force: true })
  // spark-cluster is removed by the standalone cluster's stop, after it kept the executors' logs; this is for a stop that failed.
  for (const dir of [jvmTmpDir(folder.dir), jvmTmpDir(join(folder.dir, 'kafka')), jvmTmpDir(join(folder.dir, 'cassandra')), join(folder.dir, 'spark-cluster')]) rmSync(dir, { recursive: true, force: true })
}
