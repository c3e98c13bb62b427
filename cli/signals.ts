import { killAllNow, stopAll } from '../harness/runtime/index.ts'

/**
 * First Ctrl-C (or SIGTERM) aborts the run gracefully: the harness stops its children and writes what it has.
 * A second one kills every child at once and exits 130.
 */
export function installSignalHandlers(controller: AbortController, log: (line: string) => void): void {
  let signals = 0
  const onSignal = (sig: NodeJS.Signals): void => {
    signals++
    if (signals === 1) {
      log(`\n${sig} received: stopping every child process (again to force) …`)
      controller.abort()
      // Children are stopped here too, so an interrupt during start-up cannot leave one behind.
      void stopAll(5_000)
      return
    }
    killAllNow()
    process.exit(130)
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  process.on('exit', killAllNow)
}
