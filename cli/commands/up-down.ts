import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { TelcobenchError } from '../../harness/errors.ts'
import { detectJava } from '../../harness/runtime/java.ts'
import { LocalKafkaBroker } from '../../harness/runtime/kafka-broker.ts'
import { ensureJvmArtifacts } from '../../harness/runtime/maven.ts'
import { upStateDir, upStateFile } from '../../harness/runtime/paths.ts'
import { liveUpState, type UpState } from '../../harness/runtime/runtime.ts'

/** `telcobench up`: a detached local broker that later runs reuse until `telcobench down`. */
export async function upCommand(o: { port?: string }): Promise<number> {
  const existing = await liveUpState()
  if (existing !== null) {
    console.error(`A local runtime is already up: broker ${existing.bootstrap} (pid ${existing.pid}). \`telcobench down\` stops it.`)
    return 0
  }
  const java = await detectJava()
  await ensureJvmArtifacts()
  const dir = join(upStateDir, 'kafka')
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  const port = o.port === undefined ? undefined : Number(o.port)
  if (port !== undefined && !Number.isInteger(port)) throw new TelcobenchError('TB_USAGE', `--port ${o.port ?? ''} is not a port number`, { fix: 'pass an integer such as 9092' })
  const broker = new LocalKafkaBroker({ java, dir, logDir: join(dir, 'logs'), profile: 'benchmark', detached: true, ...(port !== undefined ? { clientPort: port } : {}) })
  await broker.start()
  const pid = broker.process?.pid
  if (pid === undefined) throw new TelcobenchError('TB_INTERNAL', 'the broker started without a pid')
  const state: UpState = { kind: 'local', pid, bootstrap: broker.bootstrap, dir, startedAt: new Date().toISOString() }
  writeFileSync(upStateFile, `${JSON.stringify(state, null, 2)}\n`)
  console.error(`Local runtime up: Kafka ${broker.bootstrap} (pid ${pid}, ready in ${(broker.startupMs / 1000).toFixed(1)} s). Runs reuse it; \`telcobench down\` stops it.`)
  return 0
}

/** `telcobench down`: SIGTERM the broker `up` started (SIGKILL after 20 s) and remove its folder. */
export async function downCommand(): Promise<number> {
  const state = await liveUpState()
  if (state === null) {
    rmSync(upStateDir, { recursive: true, force: true })
    console.error('No local runtime is up.')
    return 0
  }
  process.kill(state.pid, 'SIGTERM')
  const deadline = Date.now() + 20_000
  const alive = (): boolean => {
    try {
      process.kill(state.pid, 0)
      return true
    } catch {
      return false
    }
  }
  while (alive() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200))
  if (alive()) process.kill(state.pid, 'SIGKILL')
  rmSync(upStateDir, { recursive: true, force: true })
  console.error(`Stopped the local runtime (broker pid ${state.pid}).`)
  return 0
}
