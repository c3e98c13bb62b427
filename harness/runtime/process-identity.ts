import { readFileSync } from 'node:fs'

/**
 * What tells one process from a later one that got the same pid: its start time (clock ticks after boot,
 * field 22 of /proc/<pid>/stat). Null when the process is gone, is a zombie, or /proc is absent (non-Linux).
 */
export function processStartTime(pid: number): string | null {
  try {
    return startTimeFromStat(readFileSync(`/proc/${pid}/stat`, 'utf8'))
  } catch {
    return null
  }
}

/** The start time field of a /proc/<pid>/stat line; null for a zombie. */
export function startTimeFromStat(stat: string): string | null {
  // The command name may contain spaces and parentheses; fields are counted after its last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  if (fields[0] === 'Z') return null
  return fields[19] ?? null
}

/** The process's arguments joined by spaces (/proc/<pid>/cmdline); null when it is gone or /proc is absent. */
export function processCommandLine(pid: number): string | null {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim()
  } catch {
    return null
  }
}

/** Whether a process with this pid exists (any process: the pid may have been reused). */
export function pidExists(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** Whether /proc can tell processes apart on this system (Linux). */
export function canIdentifyProcesses(): boolean {
  return processStartTime(process.pid) !== null
}
