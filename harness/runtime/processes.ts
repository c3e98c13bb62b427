import { spawn, type ChildProcess } from 'node:child_process'
import { closeSync, createWriteStream, openSync, type WriteStream } from 'node:fs'
import { once } from 'node:events'
import { processStartTime } from './process-identity.ts'
import { startWatchdog, type Watchdog } from './watchdog.ts'

/** A child process whose output goes to a log file and which the reaper stops on exit. */
export interface ManagedProcess {
  readonly name: string
  readonly pid: number
  readonly logFile: string
  readonly child: ChildProcess
  /** Resolves with the exit code (or signal name) once the process has ended. */
  readonly exited: Promise<number | string>
  /** SIGTERM, then SIGKILL after `graceMs`. Resolves once the process is gone. */
  stop(graceMs?: number): Promise<void>
  /** SIGKILL at once (crash faults). */
  kill(): Promise<void>
  signal(sig: NodeJS.Signals): void
  isRunning(): boolean
}

export interface SpawnOptions {
  name: string
  command: string
  args: string[]
  logFile: string
  cwd?: string
  env?: NodeJS.ProcessEnv
  /** Called with each stdout line (the log file still receives everything). */
  onLine?: (line: string) => void
  /** Leave the process running after this Node process exits (`telcobench up`). */
  detached?: boolean
}

/** How a child ended, as exit listeners hear it. */
export interface ChildExit {
  name: string
  pid: number
  /** Exit code, null when a signal ended it. */
  code: number | null
  /** The signal that ended it, null when it exited by itself. */
  signal: NodeJS.Signals | null
  /** True when this process asked for the end (stop() or kill()): a planned fault or the harness's own stop. */
  requested: boolean
}

/** A child as the run lock records it (harness/runtime/run-lock.ts). */
export interface StartedChild {
  name: string
  pid: number
  /** processStartTime at spawn; null where /proc is absent. */
  startTime: string | null
}

const live = new Set<ManagedProcess>()
/** Processes another child started that the harness must stop like its own (see adoptProcess), by pid. */
const adopted = new Map<number, { name: string; startTime: string | null }>()
const startListeners = new Set<(child: StartedChild) => void>()
const exitListeners = new Set<(exit: ChildExit) => void>()
let watchdog: Watchdog | null = null

/** The watchdog of this process, started on first use and again if it died (it then learns every live child). */
function currentWatchdog(): Watchdog {
  if (watchdog === null) {
    const started = startWatchdog()
    watchdog = started
    void started.exited.then(() => {
      if (watchdog === started) watchdog = null
    })
    for (const p of live) started.watch(p.pid, processStartTime(p.pid), p.name)
    for (const [pid, a] of adopted) started.watch(pid, a.startTime, a.name)
  }
  return watchdog
}

/** Calls `listener` for every child started from now on until the returned function is called. */
export function onChildStarted(listener: (child: StartedChild) => void): () => void {
  startListeners.add(listener)
  return () => {
    startListeners.delete(listener)
  }
}

/**
 * Calls `listener` the moment any registered child ends (the 'exit' event, not the close of its output) until
 * the returned function is called.
 */
export function onChildExited(listener: (exit: ChildExit) => void): () => void {
  exitListeners.add(listener)
  return () => {
    exitListeners.delete(listener)
  }
}

/**
 * Starts a process with stdout+stderr appended to `logFile`. Unless detached, it is registered with the reaper
 * (stopAll, killAllNow) and with the watchdog, which stops it if this process dies without stopping it.
 */
export function spawnManaged(options: SpawnOptions): ManagedProcess {
  const detached = options.detached ?? false
  // A detached child must not write into a pipe this process owns: it would die of SIGPIPE when we exit.
  const logFd = detached ? openSync(options.logFile, 'a') : null
  const log: WriteStream = createWriteStream(options.logFile, { flags: 'a' })
  // The stream opens the file asynchronously: if its folder is gone by then (a run folder removed while a child
  // still writes), the error must not become an uncaught exception that kills the harness. The child's output is
  // lost from then on; the child itself is unaffected.
  log.on('error', () => undefined)
  const child = spawn(options.command, options.args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: logFd === null ? ['ignore', 'pipe', 'pipe'] : ['ignore', logFd, logFd],
    detached,
  })
  if (logFd !== null) closeSync(logFd)
  if (child.pid === undefined) {
    throw new Error(`could not start ${options.name}: ${options.command}`)
  }
  const pid = child.pid
  let running = true
  let requested = false
  let pending = ''
  child.stdout?.on('data', (chunk: Buffer) => {
    log.write(chunk)
    if (options.onLine === undefined) return
    pending += chunk.toString('utf8')
    let newline = pending.indexOf('\n')
    while (newline >= 0) {
      options.onLine(pending.slice(0, newline))
      pending = pending.slice(newline + 1)
      newline = pending.indexOf('\n')
    }
  })
  child.stderr?.on('data', (chunk: Buffer) => log.write(chunk))
  const exited = new Promise<number | string>((resolve) => {
    child.on('exit', (code, sig) => {
      running = false
      if (!detached) for (const listener of exitListeners) listener({ name: options.name, pid, code, signal: sig, requested })
      resolve(code ?? sig ?? 'unknown')
    })
    child.on('error', (err) => {
      running = false
      log.write(`spawn error: ${err.message}\n`)
      resolve('spawn-error')
    })
  }).finally(() => {
    if (!detached) watchdog?.unwatch(pid)
    live.delete(managed)
    log.end()
  })

  const managed: ManagedProcess = {
    name: options.name,
    pid,
    logFile: options.logFile,
    child,
    exited,
    isRunning: () => running,
    signal: (sig) => {
      if (running) process.kill(pid, sig)
    },
    async stop(graceMs = 10_000) {
      if (!running) return
      requested = true
      try {
        // A stopped (SIGSTOP) process cannot handle SIGTERM until it is continued.
        process.kill(pid, 'SIGCONT')
        process.kill(pid, 'SIGTERM')
      } catch {
        return
      }
      const timer = setTimeout(() => {
        if (running) process.kill(pid, 'SIGKILL')
      }, graceMs)
      await exited
      clearTimeout(timer)
    },
    async kill() {
      if (!running) return
      requested = true
      process.kill(pid, 'SIGKILL')
      await exited
    },
  }
  if (detached) {
    child.unref()
  } else {
    const startTime = processStartTime(pid)
    currentWatchdog().watch(pid, startTime, options.name)
    live.add(managed)
    for (const listener of startListeners) listener({ name: options.name, pid, startTime })
  }
  return managed
}

/**
 * A process the harness did not spawn but owns all the same: an executor JVM that a Spark worker launched. It is not
 * our child, so no exit event reaches us; it is known by pid and start time, and counts as running while that pid
 * still has that start time.
 */
export interface AdoptedProcess {
  readonly name: string
  readonly pid: number
  isRunning(): boolean
  /** SIGKILL; resolves once the process is gone (or after `waitMs`). */
  kill(waitMs?: number): Promise<void>
}

function adoptedRunning(pid: number): boolean {
  const a = adopted.get(pid)
  return a !== undefined && a.startTime !== null && processStartTime(pid) === a.startTime
}

/** Forgets adopted processes that have ended (their pid may be reused from now on). */
function pruneAdopted(): void {
  for (const pid of [...adopted.keys()]) {
    if (adoptedRunning(pid)) continue
    adopted.delete(pid)
    watchdog?.unwatch(pid)
  }
}

/**
 * Registers a running process that another child started (a Spark executor, child of its worker) with the reaper
 * (stopAll, killAllNow), the watchdog and the run lock, exactly as spawnManaged registers its own children, so it
 * is stopped on every exit path even when its parent died first. Null when the process has already ended.
 */
export function adoptProcess(pid: number, name: string): AdoptedProcess | null {
  pruneAdopted()
  const startTime = processStartTime(pid)
  if (startTime === null) return null
  const known = adopted.get(pid)
  if (known === undefined || known.startTime !== startTime) {
    adopted.set(pid, { name, startTime })
    currentWatchdog().watch(pid, startTime, name)
    for (const listener of startListeners) listener({ name, pid, startTime })
  }
  const isRunning = (): boolean => adopted.get(pid)?.startTime === startTime && processStartTime(pid) === startTime
  return {
    name,
    pid,
    isRunning,
    async kill(waitMs = 10_000) {
      if (!isRunning()) return
      try {
        process.kill(pid, 'SIGKILL')
      } catch {
        // already gone
      }
      await waitFor(() => !isRunning(), waitMs, 50)
      pruneAdopted()
    },
  }
}

/** Stops every registered child (SIGTERM, then SIGKILL); used on success, error and signals. */
export async function stopAll(graceMs = 8_000): Promise<void> {
  await Promise.all([...live].map((p) => p.stop(graceMs)))
  await stopAdopted(graceMs)
}

async function stopAdopted(graceMs: number): Promise<void> {
  pruneAdopted()
  const targets = [...adopted.keys()]
  if (targets.length === 0) return
  for (const pid of targets) {
    try {
      process.kill(pid, 'SIGCONT')
      process.kill(pid, 'SIGTERM')
    } catch {
      // already gone
    }
  }
  await waitFor(() => targets.every((pid) => !adoptedRunning(pid)), graceMs, 100)
  for (const pid of targets) {
    if (!adoptedRunning(pid)) continue
    try {
      process.kill(pid, 'SIGKILL')
    } catch {
      // already gone
    }
  }
  await waitFor(() => targets.every((pid) => !adoptedRunning(pid)), 5_000, 50)
  pruneAdopted()
}

/** Synchronous last resort for `process.on('exit')`: SIGKILL whatever is still registered. */
export function killAllNow(): void {
  for (const pid of [...[...live].map((p) => p.pid), ...[...adopted.keys()].filter(adoptedRunning)]) {
    try {
      process.kill(pid, 'SIGKILL')
    } catch {
      // already gone
    }
  }
}

/** Number of children the reaper still tracks, adopted ones included (tests assert it is 0 after a run). */
export function liveProcessCount(): number {
  pruneAdopted()
  return live.size + adopted.size
}

/** Waits until `predicate` is true or `timeoutMs` passes; returns whether it became true. */
export async function waitFor(predicate: () => boolean | Promise<boolean>, timeoutMs: number, stepMs = 200): Promise<boolean> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (await predicate()) return true
    await new Promise((r) => setTimeout(r, stepMs))
  }
  return predicate()
}

export { once }
