import { TelcobenchError } from '../../harness/errors.ts'
import { startUpRuntime, stopUpRuntime } from '../../harness/runtime/index.ts'

const log = (line: string): void => {
  console.error(line)
}

/** `telcobench up`: a detached local broker that later runs reuse until `telcobench down`. */
export async function upCommand(o: { port?: string }): Promise<number> {
  const port = o.port === undefined ? undefined : Number(o.port)
  if (port !== undefined && (!Number.isInteger(port) || port < 1 || port > 65_535)) throw new TelcobenchError('TB_USAGE', `--port ${o.port ?? ''} is not a port number`, { fix: 'pass an integer from 1 to 65535, such as 9092' })
  const { state, started } = await startUpRuntime(port, log)
  if (!started) log(`A local runtime is already up: broker ${state.bootstrap} (pid ${state.pid}). \`telcobench down\` stops it.`)
  return 0
}

/** `telcobench down`: stop the broker `telcobench up` started. */
export async function downCommand(): Promise<number> {
  const stopped = await stopUpRuntime()
  log(stopped === null ? 'No local runtime is up.' : `Stopped the local runtime (broker pid ${stopped.pid}).`)
  return 0
}
