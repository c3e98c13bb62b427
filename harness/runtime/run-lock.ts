import { existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { jvmTmpDir } from './paths.ts'
import { canIdentifyProcesses, pidExists, processCommandLine, processStartTime } from './process-identity.ts'
import { onChildStarted, type StartedChild } from './processes.ts'

/** In a run folder while its harness runs: who runs it and which children it started. Removed at the end. */
export const runLockFileName = 'run.lock'
/** Written into a run folder whose harness died before the end (found by a later run). */
export const abortedFileName = 'aborted.json'

/** The JSON held in `run.lock`. */
export interface RunLockContent {
  harness: { pid: number; start_time: string | null }
  started_at: string
  children: { name: string; pid: number; start_time: string | null }[]
}

/** What happened to one child of a stale run. */
export type ChildFate = 'stopped' | 'killed' | 'already gone' | 'pid reused by another process' | 'not verifiable (no /proc): left alone'

/** The content of `aborted.json`. */
export interface AbortedRun {
  run_dir: string
  found_at: string
  found_by_pid: number
  reason: string
  harness: RunLockContent['harness']
  started_at: string
  results_written: boolean
  children: { name: string; pid: number; fate: ChildFate }[]
  removed: string[]
}

/** SIGTERM to SIGKILL for an orphaned child: its run is over. */
const orphanGraceMs = 5_000

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)
const isPid = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v > 0
const isStartTime = (v: unknown): v is string | null => v === null || (typeof v === 'string' && /^\d+$/.test(v))

/** Reads `run.lock` text; null when it is not a lock this version wrote (it is then left alone). */
export function parseRunLock(text: string): RunLockContent | null {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    return null
  }
  if (!isRecord(parsed) || !isRecord(parsed['harness']) || typeof parsed['started_at'] !== 'string' || !Array.isArray(parsed['children'])) return null
  const harness = parsed['harness']
  if (!isPid(harness['pid']) || !isStartTime(harness['start_time'])) return null
  const children: RunLockContent['children'] = []
  for (const c of parsed['children'] as unknown[]) {
    if (!isRecord(c) || typeof c['name'] !== 'string' || !isPid(c['pid']) || !isStartTime(c['start_time'])) return null
    children.push({ name: c['name'], pid: c['pid'], start_time: c['start_time'] })
  }
  return { harness: { pid: harness['pid'], start_time: harness['start_time'] }, started_at: parsed['started_at'], children }
}

/** Whether the process that wrote the lock still runs (the same process, not a later one with its pid). */
export function harnessAlive(harness: RunLockContent['harness']): boolean {
  if (harness.start_time === null) return pidExists(harness.pid)
  return processStartTime(harness.pid) === harness.start_time
}

/**
 * Whether `child` is still the JVM the run started: alive, the same start time when one was recorded, and
 * a command line naming the run folder (every child gets paths inside it, and its name is unique).
 */
function childFate(child: RunLockContent['children'][number], runDir: string): 'ours' | ChildFate {
  const startTime = processStartTime(child.pid)
  if (startTime === null) {
    if (!pidExists(child.pid)) return 'already gone'
    return canIdentifyProcesses() ? 'already gone' : 'not verifiable (no /proc): left alone'
  }
  if (child.start_time !== null && startTime !== child.start_time) return 'pid reused by another process'
  const cmdline = processCommandLine(child.pid)
  // An empty command line with the recorded start time: the process is exiting (its memory is already gone).
  if (cmdline === '' && child.start_time !== null) return 'already gone'
  return cmdline !== null && cmdline.includes(basename(runDir)) ? 'ours' : 'pid reused by another process'
}

/** Stops (SIGTERM, then SIGKILL) every child of a stale run that is still ours; returns each child's fate. */
async function stopOrphans(lock: RunLockContent, runDir: string): Promise<AbortedRun['children']> {
  const fates = lock.children.map((c) => ({ child: c, fate: childFate(c, runDir) }))
  const orphans = fates.filter((f) => f.fate === 'ours').map((f) => f.child)
  const signal = (pid: number, sig: NodeJS.Signals): void => {
    try {
      process.kill(pid, sig)
    } catch {
      // it ended meanwhile
    }
  }
  for (const o of orphans) {
    signal(o.pid, 'SIGCONT')
    signal(o.pid, 'SIGTERM')
  }
  const stillOurs = (c: RunLockContent['children'][number]): boolean => childFate(c, runDir) === 'ours'
  const deadline = Date.now() + orphanGraceMs
  while (Date.now() < deadline && orphans.some(stillOurs)) await new Promise((r) => setTimeout(r, 100))
  const killed = new Set(orphans.filter(stillOurs).map((o) => o.pid))
  for (const pid of killed) signal(pid, 'SIGKILL')
  return fates.map(({ child, fate }) => ({ name: child.name, pid: child.pid, fate: fate === 'ours' ? (killed.has(child.pid) ? 'killed' : 'stopped') : fate }))
}

/** Cleans one stale run folder: stops its orphans, removes its JVM temp folders, writes aborted.json, drops the lock. */
async function abortStaleRun(runDir: string, lock: RunLockContent): Promise<AbortedRun> {
  const children = await stopOrphans(lock, runDir)
  // spark-cluster: a standalone cluster's Spark home (links to the Maven jars) and work folders (docs/spark-standalone.md).
  const removed = [jvmTmpDir(runDir), jvmTmpDir(join(runDir, 'kafka')), join(runDir, 'spark-cluster')].filter((d) => existsSync(d))
  for (const dir of removed) rmSync(dir, { recursive: true, force: true })
  const aborted: AbortedRun = {
    run_dir: runDir,
    found_at: new Date().toISOString(),
    found_by_pid: process.pid,
    reason: `the harness (pid ${lock.harness.pid}) ended without finishing the run (killed, or the machine stopped)`,
    harness: lock.harness,
    started_at: lock.started_at,
    results_written: existsSync(join(runDir, 'results.json')),
    children,
    removed: removed.map((d) => d.slice(runDir.length + 1)),
  }
  writeFileSync(join(runDir, abortedFileName), `${JSON.stringify(aborted, null, 2)}\n`)
  rmSync(join(runDir, runLockFileName), { force: true })
  return aborted
}

/**
 * Finds the run folders in `resultsRoot` whose harness died mid-run (a `run.lock` whose harness is gone),
 * stops the children they left (only processes proven to be theirs) and marks each folder aborted.
 */
export async function cleanStaleRuns(resultsRoot: string, log: (line: string) => void = () => undefined): Promise<AbortedRun[]> {
  if (!existsSync(resultsRoot)) return []
  const cleaned: AbortedRun[] = []
  for (const entry of readdirSync(resultsRoot, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue
    const runDir = join(resultsRoot, entry.name)
    const lockFile = join(runDir, runLockFileName)
    if (!existsSync(lockFile)) continue
    const lock = parseRunLock(readFileSync(lockFile, 'utf8'))
    if (lock === null) {
      log(`warning: ${lockFile} is not a run lock telcobench can read; left as it is`)
      continue
    }
    if (harnessAlive(lock.harness)) continue
    const aborted = await abortStaleRun(runDir, lock)
    const stopped = aborted.children.filter((c) => c.fate === 'stopped' || c.fate === 'killed').map((c) => `${c.name} (pid ${c.pid}${c.fate === 'killed' ? ', SIGKILL' : ''})`)
    log(`Found an unfinished run, ${runDir} (its harness, pid ${lock.harness.pid}, is gone): ${stopped.length === 0 ? 'no process of it was left' : `stopped ${stopped.join(', ')}`}; marked it aborted (${abortedFileName})`)
    cleaned.push(aborted)
  }
  return cleaned
}

/** The lock of the run this process carries out. */
export interface RunLock {
  /** The run ended and its children were stopped: remove the lock. */
  release(): void
}

function writeLock(file: string, content: RunLockContent): void {
  // Whole or not at all: a harness killed mid-write must not leave half a lock.
  writeFileSync(`${file}.tmp`, `${JSON.stringify(content, null, 2)}\n`)
  renameSync(`${file}.tmp`, file)
}

/**
 * Called when a run folder is created: cleans the stale runs beside it (cleanStaleRuns), then writes this
 * run's `run.lock` and adds every child the process starts until release().
 */
export async function claimRunFolder(runDir: string, log: (line: string) => void): Promise<RunLock> {
  await cleanStaleRuns(dirname(runDir), log)
  const file = join(runDir, runLockFileName)
  const content: RunLockContent = { harness: { pid: process.pid, start_time: processStartTime(process.pid) }, started_at: new Date().toISOString(), children: [] }
  writeLock(file, content)
  const stopListening = onChildStarted((child: StartedChild) => {
    content.children.push({ name: child.name, pid: child.pid, start_time: child.startTime })
    writeLock(file, content)
  })
  return {
    release: () => {
      stopListening()
      rmSync(file, { force: true })
    },
  }
}
