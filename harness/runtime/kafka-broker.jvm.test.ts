import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { createServer, type Server } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { detectJava } from './java.ts'
import { LocalKafkaBroker } from './kafka-broker.ts'
import { canConnect } from './ports.ts'
import { liveProcessCount } from './processes.ts'

const dirs: string[] = []
const tempDir = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'telcobench-broker-test-'))
  dirs.push(d)
  return d
}
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

describe('local Kafka broker', () => {
  it('starts, survives SIGKILL + restart on the same data, and stops with SIGTERM', async () => {
    const dir = tempDir()
    const broker = new LocalKafkaBroker({ java: await detectJava(), dir, logDir: join(dir, 'logs'), profile: 'functional' })
    await broker.start()
    expect(await canConnect('127.0.0.1', broker.clientPort)).toBe(true)
    await broker.kill()
    expect(await canConnect('127.0.0.1', broker.clientPort)).toBe(false)
    await broker.restart()
    expect(await canConnect('127.0.0.1', broker.clientPort)).toBe(true)
    await broker.stop()
    expect(broker.process?.isRunning()).toBe(false)
    expect(liveProcessCount()).toBe(0)
  })

  it('a restart that runs out of time is stopped with the log named, and the next restart comes up on the same data', async () => {
    const dir = tempDir()
    const broker = new LocalKafkaBroker({ java: await detectJava(), dir, logDir: join(dir, 'logs'), profile: 'functional' })
    await broker.start()
    await broker.kill()
    // 0.2 s to start, so 0.6 s to restart: the JVM is stopped in the middle of its start on the existing data.
    broker.options.readyTimeoutMs = 200
    await expect(broker.restart()).rejects.toMatchObject({ code: 'TB_INFRA_UNAVAILABLE', message: `the Kafka broker, started again on its data, was not ready within 0.6 s; see ${broker.logFile}` })
    expect(broker.running).toBe(false)
    expect(existsSync(join(broker.dataDir, 'meta.properties'))).toBe(true)
    broker.options.readyTimeoutMs = undefined
    await broker.restart()
    expect(await canConnect('127.0.0.1', broker.clientPort)).toBe(true)
    await broker.stop()
    // A data folder removed under a stopped broker (the run's teardown does that) is refused before any JVM starts.
    rmSync(broker.dataDir, { recursive: true, force: true })
    const refused = broker.restart()
    expect(liveProcessCount()).toBe(0)
    await expect(refused).rejects.toMatchObject({ code: 'TB_INFRA_UNAVAILABLE', message: `the Kafka broker cannot start again: ${join(broker.dataDir, 'meta.properties')} is gone, so ${broker.dataDir} is no longer the folder its first start formatted (its last log is ${broker.logFile})` })
    expect(liveProcessCount()).toBe(0)
  })

  it('names the port and the fix when the client port is taken, before starting any JVM', async () => {
    const server: Server = createServer()
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    const address = server.address()
    const port = typeof address === 'object' && address !== null ? address.port : 0
    try {
      const dir = tempDir()
      const broker = new LocalKafkaBroker({ java: await detectJava(), dir, logDir: join(dir, 'logs'), profile: 'functional', clientPort: port })
      await expect(broker.start()).rejects.toMatchObject({ code: 'TB_INFRA_UNAVAILABLE', message: `port ${port} (Kafka client listener) is already in use` })
      expect(broker.process).toBeNull()
    } finally {
      server.close()
    }
  })

  it('gives up on a broker that never becomes ready and leaves no process behind', async () => {
    const dir = tempDir()
    const broker = new LocalKafkaBroker({ java: await detectJava(), dir, logDir: join(dir, 'logs'), profile: 'functional', readyTimeoutMs: 300 })
    await expect(broker.start()).rejects.toMatchObject({ code: 'TB_INFRA_UNAVAILABLE', message: `the Kafka broker was not ready within 0.3 s; see ${broker.logFile}` })
    expect(broker.process?.isRunning()).toBe(false)
    expect(liveProcessCount()).toBe(0)
  })
})
