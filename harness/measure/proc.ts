import { readFileSync } from 'node:fs'

/** One /proc reading of a process: cumulative CPU seconds and resident memory. */
export interface ProcessSample {
  pid: number
  atMs: number
  /** Monotonic clock (process.hrtime) of the reading, to place it on the run's timeline. */
  atNs: bigint
  cpuSeconds: number
  rssBytes: number
}

const clockTicks = 100
const pageSize = 4096

/** Reads /proc/<pid>/stat; null when the process is gone or /proc is absent (non-Linux). */
export function sampleProcess(pid: number): ProcessSample | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // The command name may contain spaces; fields are counted after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    const utime = Number(fields[11])
    const stime = Number(fields[12])
    const rssPages = Number(fields[21])
    return { pid, atMs: Date.now(), atNs: process.hrtime.bigint(), cpuSeconds: (utime + stime) / clockTicks, rssBytes: rssPages * pageSize }
  } catch {
    return null
  }
}
