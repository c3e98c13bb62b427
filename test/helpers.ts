import { spawn, type ChildProcess } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

export const repoRoot = fileURLToPath(new URL('../', import.meta.url))
export const cliPath = fileURLToPath(new URL('../bin/telcobench.js', import.meta.url))

export interface CliResult {
  exitCode: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
}

/** Starts the real CLI as a child process; `onStderrLine` sees progress as it happens. */
export function startCli(args: string[], env: NodeJS.ProcessEnv = {}, onStderrLine?: (line: string, child: ChildProcess) => void): { child: ChildProcess; done: Promise<CliResult> } {
  const child = spawn(process.execPath, [cliPath, ...args], { cwd: repoRoot, env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  let pending = ''
  child.stdout?.on('data', (c: Buffer) => (stdout += c.toString()))
  child.stderr?.on('data', (c: Buffer) => {
    const text = c.toString()
    stderr += text
    pending += text
    let nl = pending.indexOf('\n')
    while (nl >= 0) {
      onStderrLine?.(pending.slice(0, nl), child)
      pending = pending.slice(nl + 1)
      nl = pending.indexOf('\n')
    }
  })
  const done = new Promise<CliResult>((resolve) => {
    child.on('exit', (exitCode, signal) => {
      resolve({ exitCode, signal, stdout, stderr })
    })
  })
  return { child, done }
}

/** Runs `telcobench` and sends it SIGINT 3 s into the load; `interrupted` says whether the load was reached. */
export async function runInterruptedDuringLoad(args: string[]): Promise<CliResult & { interrupted: boolean }> {
  let interrupted = false
  const { done } = startCli(args, {}, (line, child) => {
    if (!interrupted && line.includes('Producing for')) {
      interrupted = true
      setTimeout(() => child.kill('SIGINT'), 3000)
    }
  })
  return { ...(await done), interrupted }
}

export async function runCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return startCli(args, env).done
}

/** pids of processes whose command line mentions `needle` (e.g. a run folder). */
export function processesMentioning(needle: string): number[] {
  const pids: number[] = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8')
      if (cmdline.includes(needle)) pids.push(Number(entry))
    } catch {
      // the process ended while we looked
    }
  }
  return pids
}
