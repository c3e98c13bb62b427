import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { TelcobenchError } from '../errors.ts'
import { detectJava } from './java.ts'
import { LocalKafkaBroker } from './kafka-broker.ts'
import { ensureJvmArtifacts } from './maven.ts'
import { upStateDir, upStateFile } from './paths.ts'
import { liveUpState, type UpState } from './runtime.ts'

/** The `telcobench up` lifecycle: a detached local broker that later runs reuse until `down`. */

/** Starts the broker unless one is up already; returns its state and whether this call started it. */
export async function startUpRuntime(port: number | undefined, log: (line: string) => void): Promise<{ state: UpState; started: boolean }> {
  const existing = await liveUpState()
  if (existing !== null) return { state: existing, started: false }
  const java = await detectJava()
  await ensureJvmArtifacts(log)
  const dir = join(upStateDir, 'kafka')
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  // A broker kept up for many runs has time for C2 to pay back its compiling: upstream's flags, not a run's default.
  const broker = new LocalKafkaBroker({ java, dir, logDir: join(dir, 'logs'), profile: 'benchmark', detached: true, ...(port !== undefined ? { clientPort: port } : {}) })
  await broker.start()
  const pid = broker.process?.pid
  if (pid === undefined) throw new TelcobenchError('TB_INTERNAL', 'the broker started without a pid')
  const state: UpState = { kind: 'local', pid, bootstrap: broker.bootstrap, dir, startedAt: new Date().toISOString() }
  writeFileSync(upStateFile, `${JSON.stringify(state, null, 2)}\n`)
  log(`Local runtime up: Kafka ${broker.bootstrap} (pid ${pid}, ready in ${(broker.startupMs / 1000).toFixed(1)} s). Runs reuse it; \`telcobench down\` stops it.`)
  return { state, started: true }
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

/** SIGTERM the broker `up` started (SIGKILL after 20 s) and remove its folder; null when none was up. */
export async function stopUpRuntime(): Promise<UpState | null> {
  const state = await liveUpState()
  if (state === null) {
    rmSync(upStateDir, { recursive: true, force: true })
    return null
  }
  process.kill(state.pid, 'SIGTERM')
  const deadline = Date.now() + 20_000
  while (alive(state.pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200))
  if (alive(state.pid)) process.kill(state.pid, 'SIGKILL')
  rmSync(upStateDir, { recursive: true, force: true })
  return state
}
