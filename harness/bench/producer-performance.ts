import { spawn, type ChildProcess } from 'node:child_process'
import { readClasspath } from '../runtime/maven.ts'
import { kafkaClasspathFile } from '../runtime/paths.ts'

/** One ProducerPerformance run (`kafka-producer-perf-test.sh`), the JVM baseline. */
export interface ProducerPerformanceOptions {
  /** The `java` executable. */
  java: string
  bootstrap: string
  topic: string
  records: number
  recordSize: number
  lingerMs: number
}

/** What ProducerPerformance reports on its summary line. */
export interface ProducerPerformanceResult {
  records: number
  /** Records per second. */
  rate: number
  avgLatencyMs: number
  maxLatencyMs: number
}

const summary = /^(\d+) records sent, ([\d.]+) records\/sec \([\d.]+ MB\/sec\), ([\d.]+) ms avg latency, ([\d.]+) ms max latency/

/**
 * Parses the last summary line of ProducerPerformance's output:
 * "N records sent, X records/sec (Y MB/sec), A ms avg latency, M ms max latency, ...".
 * (Progress lines read "N records sent, ..." too; the summary is the last one.)
 */
export function parseProducerPerformance(output: string): ProducerPerformanceResult {
  const match = output
    .split('\n')
    .map((line) => summary.exec(line.trim()))
    .filter((m) => m !== null)
    .at(-1)
  if (match === undefined) throw new Error(`no "records sent" summary in ProducerPerformance output:\n${output.slice(-1000)}`)
  return { records: Number(match[1]), rate: Number(match[2]), avgLatencyMs: Number(match[3]), maxLatencyMs: Number(match[4]) }
}

let running: ChildProcess | undefined
let stopRequested = false

/** Stops a running ProducerPerformance JVM and refuses to start another (the bench calls this on SIGINT/SIGTERM). */
export function stopProducerPerformance(): void {
  stopRequested = true
  running?.kill('SIGTERM')
}

/** Runs `org.apache.kafka.tools.ProducerPerformance` with acks=all, idempotence and the given linger. */
export async function producerPerformance(o: ProducerPerformanceOptions): Promise<ProducerPerformanceResult> {
  const args = [
    '-Xmx512m',
    '-cp',
    readClasspath(kafkaClasspathFile),
    'org.apache.kafka.tools.ProducerPerformance',
    '--topic',
    o.topic,
    '--num-records',
    String(o.records),
    '--record-size',
    String(o.recordSize),
    '--throughput',
    '-1',
    '--producer-props',
    `bootstrap.servers=${o.bootstrap}`,
    'acks=all',
    'enable.idempotence=true',
    `linger.ms=${o.lingerMs}`,
  ]
  if (stopRequested) throw new Error('ProducerPerformance was not started: the bench is stopping')
  const output = await new Promise<string>((done, reject) => {
    const child = spawn(o.java, args, { stdio: ['ignore', 'pipe', 'pipe'] })
    running = child
    let out = ''
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()))
    child.on('error', reject)
    child.on('close', (code) => {
      running = undefined
      if (code === 0) done(out)
      else reject(new Error(`ProducerPerformance exited with ${code}:\n${out.slice(-1000)}`))
    })
  })
  return parseProducerPerformance(output)
}
