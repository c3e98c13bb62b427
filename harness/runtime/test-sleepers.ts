import { spawn, type ChildProcess } from 'node:child_process'

/** Test helper: Node processes that wait to be signalled, standing in for the JVMs the runtime watches. */
export interface Sleepers {
  /**
   * Starts one. `args` end up in its command line; `ignoreTerm` makes it shrug SIGTERM off; with `announce` it
   * prints `ready` on stdout once its handlers are set up.
   */
  start(o?: { args?: string[]; ignoreTerm?: boolean; announce?: boolean }): ChildProcess & { pid: number }
  /** SIGKILLs every one still running (for afterEach). */
  killAll(): void
}

export function sleepers(): Sleepers {
  const started: ChildProcess[] = []
  return {
    start: ({ args = [], ignoreTerm = false, announce = false } = {}) => {
      const script = `${ignoreTerm ? "process.on('SIGTERM', () => {});" : ''} setInterval(() => {}, 1000);${announce ? " console.log('ready')" : ''}`
      const child = spawn(process.execPath, ['-e', script, '--', ...args], { stdio: ['ignore', announce ? 'pipe' : 'ignore', 'ignore'] })
      started.push(child)
      if (child.pid === undefined) throw new Error('sleeper did not start')
      return child as ChildProcess & { pid: number }
    },
    killAll: () => {
      for (const c of started.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL')
    },
  }
}

/** Resolves with the signal (or exit code) a child ended with. */
export const ended = (child: ChildProcess): Promise<NodeJS.Signals | number | null> =>
  new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.signalCode ?? child.exitCode)
    else child.once('exit', (code, sig) => {
      resolve(sig ?? code)
    })
  })
