import { spawn, type ChildProcess } from 'node:child_process'
import { openSync, closeSync, readFileSync, writeFileSync, existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { createServer, Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { TelcobenchError } from '../errors.ts'

/** The Kafka 4.x classpath that `pipelines/kafka` resolves (broker, kafka-tools, log4j2). */
export const kafkaClasspathFile = resolve(import.meta.dirname, '../../pipelines/kafka/target/kafka.classpath')

/** A single-node KRaft broker run from jars in a temporary folder, for benchmarks. */
export interface BenchBroker {
  bootstrap: string
  /** SIGTERM, then SIGKILL after 10 s; removes the temporary folder. Safe to call twice. */
  stop(): Promise<void>
}

/** Reads the resolved Kafka classpath, or explains how to get it. */
export function kafkaClasspath(): string {
  if (!existsSync(kafkaClasspathFile)) {
    throw new TelcobenchError('TB_INFRA_UNAVAILABLE', `Kafka classpath file ${kafkaClasspathFile} is missing`, {
      fix: 'resolve the broker jars first: npm run jvm:resolve',
    })
  }
  return readFileSync(kafkaClasspathFile, 'utf8').trim()
}

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address !== null ? address.port : 0
      server.close(() => {
        resolvePort(port)
      })
    })
  })
}

async function accepts(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = new Socket()
    const finish = (ok: boolean): void => {
      socket.destroy()
      done(ok)
    }
    socket.setTimeout(500, () => {
      finish(false)
    })
    socket.once('error', () => {
      finish(false)
    })
    socket.connect(port, '127.0.0.1', () => {
      finish(true)
    })
  })
}

async function runJava(argFile: string, args: string[], logFile: string): Promise<string> {
  return new Promise((done, reject) => {
    const child = spawn('java', [`@${argFile}`, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()))
    child.on('error', reject)
    child.on('close', (code) => {
      writeFileSync(logFile, out, { flag: 'a' })
      if (code === 0) done(out)
      else reject(new TelcobenchError('TB_INFRA_UNAVAILABLE', `java ${args.slice(0, 2).join(' ')} exited with ${code}: ${out.slice(-500)}`, { fix: 'check that Java 17+ is on PATH' }))
    })
  })
}

async function waitForExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return true
  return new Promise((done) => {
    const timer = setTimeout(() => {
      done(false)
    }, ms)
    child.once('exit', () => {
      clearTimeout(timer)
      done(true)
    })
  })
}

/**
 * Formats and starts a combined broker+controller on free loopback ports (runtime-notes §2.2/§2.5,
 * benchmark JVM profile) and waits until it accepts connections. `isReady` confirms it answers requests.
 */
export async function startBenchBroker(isReady: (bootstrap: string) => Promise<boolean>): Promise<BenchBroker> {
  const classpath = kafkaClasspath()
  const dir = await mkdtemp(join(tmpdir(), 'tb-bench-kafka-'))
  let child: ChildProcess | undefined
  let stopped = false
  const stop = async (): Promise<void> => {
    if (stopped) return
    stopped = true
    if (child !== undefined) {
      child.kill('SIGTERM')
      if (!(await waitForExit(child, 10_000))) {
        child.kill('SIGKILL')
        await waitForExit(child, 5000)
      }
    }
    await rm(dir, { recursive: true, force: true })
  }
  try {
    const [clientPort, controllerPort] = [await freePort(), await freePort()]
    const argFile = join(dir, 'kafka.args')
    writeFileSync(argFile, `-cp "${classpath}"\n`)
    const properties = join(dir, 'server.properties')
    writeFileSync(
      properties,
      [
        'process.roles=broker,controller',
        'node.id=1',
        `controller.quorum.bootstrap.servers=127.0.0.1:${controllerPort}`,
        `listeners=PLAINTEXT://127.0.0.1:${clientPort},CONTROLLER://127.0.0.1:${controllerPort}`,
        `advertised.listeners=PLAINTEXT://127.0.0.1:${clientPort},CONTROLLER://127.0.0.1:${controllerPort}`,
        'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
        'controller.listener.names=CONTROLLER',
        'inter.broker.listener.name=PLAINTEXT',
        `log.dirs=${join(dir, 'data')}`,
        'num.partitions=4',
        'default.replication.factor=1',
        'min.insync.replicas=1',
        'offsets.topic.replication.factor=1',
        'offsets.topic.num.partitions=4',
        'transaction.state.log.replication.factor=1',
        'transaction.state.log.min.isr=1',
        'transaction.state.log.num.partitions=4',
        'share.coordinator.state.topic.replication.factor=1',
        'share.coordinator.state.topic.min.isr=1',
        'group.initial.rebalance.delay.ms=0',
        'auto.create.topics.enable=false',
        'num.network.threads=2',
        'num.io.threads=4',
        '',
      ].join('\n'),
    )
    const logFile = join(dir, 'broker.log')
    const clusterId = (await runJava(argFile, ['kafka.tools.StorageTool', 'random-uuid'], logFile)).trim().split('\n').pop() ?? ''
    await runJava(argFile, ['kafka.tools.StorageTool', 'format', '--standalone', '-t', clusterId, '-c', properties], logFile)
    const log = openSync(logFile, 'a')
    child = spawn(
      'java',
      [
        '-Xmx1G',
        '-Xms1G',
        '-server',
        '-XX:+UseG1GC',
        '-XX:MaxGCPauseMillis=20',
        '-XX:InitiatingHeapOccupancyPercent=35',
        '-XX:+ExplicitGCInvokesConcurrent',
        '-XX:MaxInlineLevel=15',
        '-Djava.awt.headless=true',
        `@${argFile}`,
        'kafka.Kafka',
        properties,
      ],
      { stdio: ['ignore', log, log] },
    )
    closeSync(log)
    const bootstrap = `127.0.0.1:${clientPort}`
    const deadline = Date.now() + 60_000
    for (;;) {
      if (child.exitCode !== null) throw new Error(`the broker exited with ${child.exitCode}: ${readFileSync(logFile, 'utf8').slice(-1000)}`)
      if ((await accepts(clientPort)) && (await isReady(bootstrap))) break
      if (Date.now() > deadline) throw new Error(`the broker did not become ready within 60 s: ${readFileSync(logFile, 'utf8').slice(-1000)}`)
      await new Promise((r) => setTimeout(r, 250))
    }
    return { bootstrap, stop }
  } catch (error) {
    await stop()
    throw error
  }
}
