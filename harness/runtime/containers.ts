/**
 * The containers runtime's broker: the apache/kafka container of containers-spec.ts, started and removed through
 * testcontainers. The Spark jobs stay local child JVMs (runtime.ts). testcontainers is imported only here and only
 * when this runtime is chosen, so the other runtimes never load it.
 */
import { createWriteStream } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import type * as Testcontainers from 'testcontainers'
import { TelcobenchError } from '../errors.ts'
import { clashesWithInnerPorts, kafkaContainerSpec, type KafkaContainerSpec } from './containers-spec.ts'
import { freePort } from './ports.ts'

/** Why the containers runtime cannot run here, with what to do about it. */
export interface ContainersUnavailable {
  reason: string
  fix: string
}

const useLocal = 'or use --runtime local (the embedded default, no Docker needed)'

/** The first line of an error's message. */
function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? ''
}

/** testcontainers' version and Node requirement, for the message when it cannot load. */
function testcontainersPackage(): { version: string; node: string | null } {
  try {
    const manifest = createRequire(import.meta.url)('testcontainers/package.json') as { version?: string; engines?: { node?: string } }
    return { version: manifest.version ?? '?', node: manifest.engines?.node ?? null }
  } catch {
    return { version: '?', node: null }
  }
}

let loading: Promise<typeof Testcontainers | ContainersUnavailable> | null = null

/** testcontainers itself, or why it cannot load on this Node (it declares its own Node requirement). */
async function loadTestcontainers(): Promise<typeof Testcontainers | ContainersUnavailable> {
  loading ??= import('testcontainers').catch((error: unknown): ContainersUnavailable => {
    const { version, node } = testcontainersPackage()
    const needs = node === null ? '' : ` (it requires Node ${node})`
    return { reason: `testcontainers ${version} cannot load on Node ${process.version}${needs}: ${firstLine(error)}`, fix: `run telcobench with a Node that testcontainers supports, ${useLocal}` }
  })
  return loading
}

function isUnavailable(value: object): value is ContainersUnavailable {
  return 'reason' in value && 'fix' in value
}

/** testcontainers and a container engine that answers, or why not. */
async function containerEngine(): Promise<{ lib: typeof Testcontainers; host: string } | ContainersUnavailable> {
  const lib = await loadTestcontainers()
  if (isUnavailable(lib)) return lib
  try {
    const client = await lib.getContainerRuntimeClient()
    return { lib, host: client.info.containerRuntime.host }
  } catch (error) {
    return { reason: `no Docker engine answers (testcontainers: ${firstLine(error)})`, fix: `start a Docker engine (or point DOCKER_HOST at one), ${useLocal}` }
  }
}

/** Why the containers runtime cannot run here, or null when testcontainers loads and a Docker engine answers. */
export async function containersUnavailable(): Promise<ContainersUnavailable | null> {
  const engine = await containerEngine()
  return isUnavailable(engine) ? engine : null
}

/** One line saying why the containers runtime cannot run here, or null when it can (tests skip with it). */
export async function dockerUnavailableReason(): Promise<string | null> {
  return (await containersUnavailable())?.reason ?? null
}

/** Refuses the containers runtime before anything starts when it cannot run here (exit 3). */
export async function assertContainersAvailable(): Promise<void> {
  const unavailable = await containersUnavailable()
  if (unavailable !== null) throw new TelcobenchError('TB_INFRA_UNAVAILABLE', `the containers runtime cannot start: ${unavailable.reason}`, { fix: unavailable.fix })
}

/** A free host port for the broker's client listener (the container listens on the same number). */
async function clientPort(): Promise<number> {
  for (;;) {
    const port = await freePort()
    if (!clashesWithInnerPorts(port)) return port
  }
}

/** Readiness: the health check's retries at its interval, plus a margin for the JVM to start. */
function startupTimeoutMs(spec: KafkaContainerSpec): number {
  return (spec.healthCheck.retries * spec.healthCheck.intervalS + 30) * 1000
}

/** The broker container of one run. */
export interface KafkaContainer {
  /** `host:port` for every Kafka client, the harness's and Spark's. */
  readonly bootstrap: string
  readonly image: string
  readonly containerId: string
  readonly startupMs: number
  /** Stops and removes the container (and its anonymous volumes). */
  stop(): Promise<void>
}

export interface KafkaContainerOptions {
  /** The run's logs folder: the container's output goes to kafka.log there, as the local broker's does. */
  logDir: string
  partitions: number
  /** Labels the container with the run (`org.telcobench.run`), so `docker ps` shows whose it is. */
  runId: string
  log: (line: string) => void
}

/** Grace for Kafka's controlled shutdown at the end of a run, as for the local broker (docs/runtime.md "Stopping"). */
const stopGraceMs = 20_000

/**
 * Starts the broker container and waits for its health check. The container is removed by `stop()`; if this
 * process dies first, testcontainers' reaper (Ryuk) removes it once the process's session ends.
 */
export async function startKafkaContainer(o: KafkaContainerOptions): Promise<KafkaContainer> {
  const engine = await containerEngine()
  if (isUnavailable(engine)) throw new TelcobenchError('TB_INFRA_UNAVAILABLE', `the containers runtime cannot start: ${engine.reason}`, { fix: engine.fix })
  const { lib, host } = engine
  const spec = kafkaContainerSpec({ host, port: await clientPort() }, o.partitions)
  const logFile = join(o.logDir, 'kafka.log')
  const logStream = createWriteStream(logFile, { flags: 'a' })
  const check = spec.healthCheck
  const container = new lib.GenericContainer(spec.image)
    .withHostname(spec.hostname)
    .withEnvironment(spec.environment)
    .withExposedPorts(...spec.ports)
    .withHealthCheck({ test: check.test, interval: check.intervalS * 1000, timeout: check.timeoutS * 1000, retries: check.retries })
    .withWaitStrategy(lib.Wait.forHealthCheck())
    .withStartupTimeout(startupTimeoutMs(spec))
    .withLabels({ 'org.telcobench.run': o.runId })
    .withLogConsumer((stream) => {
      stream.pipe(logStream)
    })
  o.log(`Starting Kafka in Docker (${spec.image}, client port ${spec.ports[0]?.host ?? '?'}; the first run pulls the image) …`)
  const startedMs = performance.now()
  let started: Testcontainers.StartedTestContainer
  try {
    started = await container.start()
  } catch (error) {
    logStream.end()
    throw new TelcobenchError('TB_INFRA_UNAVAILABLE', `the Kafka container (${spec.image}) did not start: ${firstLine(error)}`, {
      cause: error,
      fix: `read ${logFile} for the broker's output; \`docker pull ${spec.image}\` shows whether the image can be pulled`,
    })
  }
  const startupMs = Math.round(performance.now() - startedMs)
  const bootstrap = `${host}:${spec.ports[0]?.host ?? 0}`
  o.log(`Kafka in Docker ready at ${bootstrap} after ${(startupMs / 1000).toFixed(1)} s (container ${started.getId().slice(0, 12)})`)
  let stopping: Promise<void> | null = null
  return {
    bootstrap,
    image: spec.image,
    containerId: started.getId(),
    startupMs,
    stop: async () => {
      stopping ??= started
        .stop({ timeout: stopGraceMs, remove: true, removeVolumes: true })
        .then(() => undefined)
        .finally(() => logStream.end())
      return stopping
    },
  }
}
