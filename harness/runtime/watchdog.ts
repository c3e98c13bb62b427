import { spawn } from 'node:child_process'
import { Socket } from 'node:net'

/**
 * The watchdog: a small separate Node process that stops the harness's children when the harness dies,
 * however it dies (SIGKILL, out of memory, a crash). It reads `watch <pid> <start-time> <name>` and
 * `unwatch <pid>` lines on its stdin, a pipe from the harness. The kernel closes that pipe when the harness
 * ends, so end-of-file means "the harness is gone"; a change of parent pid, checked every second, is the
 * second sign. It then sends SIGCONT+SIGTERM to every child still watched and SIGKILL after the grace period.
 * A pid is only signalled while its start time is the one registered, so a reused pid is never touched.
 *
 * It is plain JavaScript run with `node -e`: it must start without the TypeScript loader and whatever way the
 * harness is packaged.
 */
const watchdogSource = String.raw`
'use strict'
const { readFileSync } = require('node:fs')
const parentPid = Number(process.argv[1])
const graceMs = Number(process.argv[2])
const watched = new Map()
const startTime = (pid) => {
  try {
    const stat = readFileSync('/proc/' + pid + '/stat', 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return fields[0] === 'Z' ? null : (fields[19] ?? null)
  } catch {
    return null
  }
}
const isOurs = (pid, expected) => {
  try {
    process.kill(pid, 0)
  } catch {
    return false
  }
  return expected === '-' || startTime(pid) === expected
}
const signal = (pid, sig) => {
  try {
    process.kill(pid, sig)
  } catch {}
}
let pending = ''
process.stdin.setEncoding('utf8')
process.stdin.on('data', (chunk) => {
  pending += chunk
  let newline = pending.indexOf('\n')
  while (newline >= 0) {
    const [verb, pid, start, name] = pending.slice(0, newline).split(' ')
    pending = pending.slice(newline + 1)
    newline = pending.indexOf('\n')
    if (verb === 'watch') watched.set(Number(pid), { start, name })
    else if (verb === 'unwatch') watched.delete(Number(pid))
  }
})
process.stderr.on('error', () => {})
let cleaning = false
const cleanUp = async () => {
  if (cleaning) return
  cleaning = true
  const targets = [...watched].filter(([pid, w]) => isOurs(pid, w.start))
  for (const [pid] of targets) {
    signal(pid, 'SIGCONT')
    signal(pid, 'SIGTERM')
  }
  const deadline = Date.now() + graceMs
  while (Date.now() < deadline && targets.some(([pid, w]) => isOurs(pid, w.start))) await new Promise((r) => setTimeout(r, 100))
  const killed = targets.filter(([pid, w]) => isOurs(pid, w.start))
  for (const [pid] of killed) signal(pid, 'SIGKILL')
  if (targets.length > 0) {
    const names = targets.map(([pid, w]) => w.name + ' (pid ' + pid + (killed.some(([k]) => k === pid) ? ', SIGKILL' : '') + ')')
    process.stderr.write('telcobench watchdog: the harness (pid ' + parentPid + ') ended without stopping its children; stopped ' + names.join(', ') + '\n')
  }
  process.exit(0)
}
process.stdin.on('end', cleanUp)
process.stdin.on('close', cleanUp)
process.stdin.on('error', cleanUp)
setInterval(() => {
  // setImmediate runs after the next I/O poll: watch lines the harness wrote just before dying are read first.
  if (process.ppid !== parentPid) setImmediate(cleanUp)
}, 1000)
`

/** The harness's handle on its watchdog process. */
export interface Watchdog {
  readonly pid: number
  /** Stop `pid` if the harness dies; `startTime` (processStartTime) guards against a reused pid, null = unknown. */
  watch(pid: number, startTime: string | null, name: string): void
  /** `pid` has ended or was stopped by the harness: forget it. */
  unwatch(pid: number): void
  /** Closes the pipe as the kernel would if the harness died (tests). */
  closePipe(): void
  /** Resolves once the watchdog process has exited. */
  readonly exited: Promise<void>
}

/** SIGTERM to SIGKILL, for children whose harness died: nobody waits for their results any more. */
export const watchdogGraceMs = 5_000

/** Starts a watchdog for the current process, detached in its own session so a Ctrl-C to the terminal spares it. */
export function startWatchdog(graceMs: number = watchdogGraceMs): Watchdog {
  // stderr is inherited: the one line it prints when it had to stop something goes where the harness's went.
  const child = spawn(process.execPath, ['-e', watchdogSource, String(process.pid), String(graceMs)], { stdio: ['pipe', 'ignore', 'inherit'], detached: true })
  const stdin = child.stdin
  if (child.pid === undefined || stdin === null) throw new Error('could not start the child-process watchdog (node -e)')
  // A watchdog that died must not take the harness with it (EPIPE on the next write).
  stdin.on('error', () => undefined)
  const exited = new Promise<void>((resolve) => {
    child.on('exit', () => {
      resolve()
    })
    child.on('error', () => {
      resolve()
    })
  })
  // Neither the watchdog nor its pipe may keep the harness's event loop alive.
  child.unref()
  if (stdin instanceof Socket) stdin.unref()
  const send = (line: string): void => {
    if (!stdin.destroyed) stdin.write(`${line}\n`)
  }
  return {
    pid: child.pid,
    watch: (pid, startTime, name) => {
      send(`watch ${pid} ${startTime ?? '-'} ${name.replace(/\s+/g, '-')}`)
    },
    unwatch: (pid) => {
      send(`unwatch ${pid}`)
    },
    closePipe: () => {
      stdin.destroy()
    },
    exited,
  }
}
