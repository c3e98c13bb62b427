import { startUpRuntime, stopUpRuntime } from '../../harness/runtime/index.ts'

const log = (line: string): void => {
  console.error(line)
}

/** `telcobench up`: a detached local broker that later runs reuse until `telcobench down`. */
export async function upCommand(o: { port?: number }): Promise<number> {
  const { state, started } = await startUpRuntime(o.port, log)
  if (!started) log(`A local runtime is already up: broker ${state.bootstrap} (pid ${state.pid}). \`telcobench down\` stops it.`)
  return 0
}

/** `telcobench down`: stop the broker `telcobench up` started. */
export async function downCommand(): Promise<number> {
  const stopped = await stopUpRuntime()
  log(stopped === null ? 'No local runtime is up.' : `Stopped the local runtime (broker pid ${stopped.pid}).`)
  return 0
}
