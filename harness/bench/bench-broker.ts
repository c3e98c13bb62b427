import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createKafkaClient } from '../kafka/index.ts'
import type { JavaInfo } from '../runtime/java.ts'
import { LocalKafkaBroker } from '../runtime/kafka-broker.ts'

/** A broker a bench started for itself. */
export interface BenchBroker {
  bootstrap: string
  /** Stops it (SIGTERM, then SIGKILL) and removes its folder; safe to call twice. */
  stop: () => Promise<void>
}

/** Starts a broker in a temporary folder; `stop` ends it (SIGTERM, then SIGKILL) and removes the folder. */
export async function startBenchBroker(java: JavaInfo, partitions: number): Promise<BenchBroker> {
  const dir = mkdtempSync(join(tmpdir(), 'tb-bench-kafka-'))
  const broker = new LocalKafkaBroker({ java, dir, logDir: join(dir, 'logs'), profile: 'benchmark', partitions })
  let stopping: Promise<void> | undefined
  // Memoised: the signal handler and main's `finally` both wait for the same stop.
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      try {
        await broker.stop(10_000)
      } finally {
        rmSync(dir, { recursive: true, force: true })
      }
    })())
  try {
    await broker.start()
    // Ready = accepts connections (checked by start) and answers a metadata request.
    const admin = await createKafkaClient('platformatic', { bootstrap: [broker.bootstrap], clientId: 'tb-bench-probe' }).admin()
    await admin.describeCluster()
    await admin.close()
  } catch (error) {
    await stop()
    throw error
  }
  return { bootstrap: broker.bootstrap, stop }
}
