/**
 * Node Kafka client throughput against Kafka's own Java producer, on one broker, in one run.
 *
 *   npx tsx harness/bench/kafka-client.bench.ts [--bootstrap host:port] [--records 500000] [--repeat 3]
 *
 * Without --bootstrap it starts the local runtime's broker (harness/runtime/kafka-broker.ts, benchmark
 * JVM profile, jars from pipelines/kafka/target/kafka.classpath) in a temporary folder, and stops it
 * (SIGTERM, then SIGKILL) and removes the folder at the end, also on error or SIGINT. Every producer sends `--records` records of 100 bytes (no key)
 * with acks=all, idempotence and linger 5 ms to a fresh 4-partition topic, `--repeat` rounds in
 * turn; the medians are printed, not asserted.
 */
import { randomBytes } from 'node:crypto'
import { cpus, loadavg, totalmem } from 'node:os'
import { parseArgs } from 'node:util'
import { createKafkaClient, type KafkaClientKind, type OutRecord } from '../kafka/index.ts'
import { detectJava } from '../runtime/java.ts'
import { startBenchBroker, type BenchBroker } from './bench-broker.ts'
import { producerPerformance, stopProducerPerformance } from './producer-performance.ts'
import { medianOf } from '../stats/index.ts'

const recordSize = 100
const batchRecords = 1000
const inFlightSends = 4
const lingerMs = 5
const partitions = 4
const adapters: KafkaClientKind[] = ['platformatic', 'kafkajs']

interface Measurement {
  producer: string
  records: number
  seconds: number
  /** Records per second over the whole send. */
  rate: number
  /** CPU seconds this Node process used while sending (null for the JVM tool). */
  nodeCpuSeconds: number | null
  /** Sum of the topic's end offsets after the run. */
  landed: bigint
}

async function nodeProducer(kind: KafkaClientKind, bootstrap: string, topic: string, records: number): Promise<{ seconds: number; cpuSeconds: number }> {
  const client = createKafkaClient(kind, { bootstrap: [bootstrap], clientId: `tb-bench-${kind}` })
  const producer = await client.producer({ idempotent: true, acks: 'all', lingerMs })
  // Random payloads, like ProducerPerformance's; built before the clock starts.
  const payloads = Array.from({ length: batchRecords }, () => randomBytes(recordSize))
  const batch: OutRecord[] = payloads.map((value) => ({ key: null, value }))
  const inFlight = new Set<Promise<void>>()
  const cpu = process.cpuUsage()
  const start = process.hrtime.bigint()
  for (let sent = 0; sent < records; sent += batchRecords) {
    if (inFlight.size >= inFlightSends) await Promise.race(inFlight)
    const send = producer.send(topic, sent + batchRecords <= records ? batch : batch.slice(0, records - sent))
    inFlight.add(send)
    void send.then(
      () => inFlight.delete(send),
      () => inFlight.delete(send),
    )
  }
  await Promise.all(inFlight)
  const seconds = Number(process.hrtime.bigint() - start) / 1e9
  const used = process.cpuUsage(cpu)
  await producer.close()
  return { seconds, cpuSeconds: (used.user + used.system) / 1e6 }
}

async function measureAll(javaBin: string, bootstrap: string, records: number, repeat: number): Promise<Measurement[]> {
  const client = createKafkaClient('platformatic', { bootstrap: [bootstrap], clientId: 'tb-bench-admin' })
  const admin = await client.admin()
  const results: Measurement[] = []
  try {
    const freshTopic = async (name: string): Promise<string> => {
      const topic = `tb-bench.${name}.${Date.now()}`
      await admin.createTopics([topic], partitions)
      return topic
    }
    const landed = async (topic: string): Promise<bigint> => [...(await admin.endOffsets(topic)).values()].reduce((a, b) => a + b, 0n)
    for (let round = 1; round <= repeat; round++) {
      const javaTopic = await freshTopic('java')
      process.stderr.write(`round ${round}: ProducerPerformance ...\n`)
      const java = await producerPerformance({ java: javaBin, bootstrap, topic: javaTopic, records, recordSize, lingerMs })
      results.push({ producer: 'ProducerPerformance (Java 4.2.0)', records: java.records, seconds: java.records / java.rate, rate: java.rate, nodeCpuSeconds: null, landed: await landed(javaTopic) })
      await admin.deleteTopics([javaTopic])
      for (const kind of adapters) {
        const topic = await freshTopic(kind)
        process.stderr.write(`round ${round}: ${kind} ...\n`)
        const node = await nodeProducer(kind, bootstrap, topic, records)
        results.push({ producer: kind, records, seconds: node.seconds, rate: records / node.seconds, nodeCpuSeconds: node.cpuSeconds, landed: await landed(topic) })
        await admin.deleteTopics([topic])
      }
    }
  } finally {
    await admin.close()
  }
  return results
}

/** One row per producer: median records/s over the rounds, ratio of medians to ProducerPerformance. */
function table(results: Measurement[]): string {
  const producers = [...new Set(results.map((r) => r.producer))]
  const javaRate = medianOf(results.filter((r) => r.producer === producers[0]).map((r) => r.rate)) ?? NaN
  const rows = producers.map((producer) => {
    const runs = results.filter((r) => r.producer === producer)
    const rate = medianOf(runs.map((r) => r.rate)) ?? NaN
    const cpu = runs.flatMap((r) => (r.nodeCpuSeconds === null ? [] : [(r.nodeCpuSeconds / r.seconds) * 100]))
    return [
      producer,
      String(runs.length),
      Math.round(rate).toLocaleString('en-US'),
      runs.map((r) => Math.round(r.rate / 1000)).join(' / '),
      ((rate * recordSize) / 2 ** 20).toFixed(2),
      (rate / javaRate).toFixed(2),
      cpu.length === 0 ? '-' : (medianOf(cpu) ?? NaN).toFixed(0),
      runs.every((r) => r.landed === BigInt(r.records)) ? 'yes' : `NO (${runs.map((r) => r.landed).join(', ')})`,
    ]
  })
  const header = ['producer', 'rounds', 'records/s (median)', 'each round, k/s', 'MB/s', 'x ProducerPerformance', 'node CPU %', 'all landed']
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]?.length ?? 0)))
  const line = (cells: string[]): string => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n')
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { bootstrap: { type: 'string' }, records: { type: 'string', default: '500000' }, repeat: { type: 'string', default: '3' } },
  })
  const records = Number(values.records)
  const repeat = Number(values.repeat)
  let broker: BenchBroker | undefined
  // On SIGINT/SIGTERM: stop the JVMs; the measurement then fails and main's `finally` waits for the cleanup.
  const onSignal = (): void => {
    interrupted = true
    process.stderr.write('interrupted: stopping the broker\n')
    stopProducerPerformance()
    void broker?.stop()
  }
  process.once('SIGINT', onSignal)
  process.once('SIGTERM', onSignal)
  try {
    const java = await detectJava()
    let bootstrap = values.bootstrap
    if (bootstrap === undefined) {
      process.stderr.write('starting a Kafka 4.2 broker from jars (benchmark JVM profile) ...\n')
      broker = await startBenchBroker(java, partitions)
      if (interrupted) throw new Error('interrupted while the broker started')
      bootstrap = broker.bootstrap
    }
    const results = await measureAll(java.bin, bootstrap, records, repeat)
    const load = loadavg().map((l) => l.toFixed(2)).join(' ')
    console.log(`\nKafka producer throughput, ${new Date().toISOString()}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, Java ${java.version}, load average ${load}`)
    console.log(`broker ${bootstrap}${broker === undefined ? ' (external)' : ' (local, started by the bench)'}; ${records} records x ${recordSize} B, no key, acks=all, idempotent, linger ${lingerMs} ms, ${partitions} partitions`)
    console.log(`Node adapters: sends of ${batchRecords} records, ${inFlightSends} sends in flight\n`)
    console.log(table(results))
  } finally {
    await broker?.stop()
    process.removeListener('SIGINT', onSignal)
    process.removeListener('SIGTERM', onSignal)
  }
}

let interrupted = false
try {
  await main()
} catch (error) {
  if (!interrupted) throw error
}
if (interrupted) process.exitCode = 130
