/**
 * The harness's whole produce path (generate → encode → open-loop pacer → Kafka) against Kafka's own
 * ProducerPerformance at the same mean record size, on one broker, in one run.
 *
 *   npx tsx harness/bench/generator-produce.bench.ts [--bootstrap host:port] [--records 300000] [--repeat 3]
 *
 * The scenario is the generator bench's default mix (100 000 subscribers, 6 simulated hours from 08:00)
 * compressed so far that every event is already due: the pacer then sends flat out, through the same code
 * a run uses (batching, in-flight limit, schedule-delay and produce histograms). ProducerPerformance sends
 * the same number of records of the mean size the pacer sent, acks=all, idempotent, linger 5 ms, no key
 * (the pacer's records carry an IMSI or ECGI key). Medians over the rounds are printed, not asserted.
 */
import { cpus, loadavg, totalmem } from 'node:os'
import { parseArgs } from 'node:util'
import { createEventStream, encodeValue, validateScenarioText, type ResolvedScenario, type ScheduledEvent } from '../../generators/index.ts'
import { createKafkaClient, defaultKafkaClientKind } from '../kafka/index.ts'
import { detectJava } from '../runtime/java.ts'
import { OpenLoopPacer } from '../run/pacer.ts'
import { startBenchBroker, type BenchBroker } from './bench-broker.ts'
import { producerPerformance, stopProducerPerformance } from './producer-performance.ts'
import { medianOf } from '../stats/index.ts'

const partitions = 4
const lingerMs = 5

const scenarioYaml = `
version: 1
name: bench-produce
seed: 1
startTime: "2026-01-05T08:00:00Z"
duration: 6h
timeCompression: 1000000
population: { subscribers: 100000 }
topology: { sites: 50 }
`

function benchScenario(): ResolvedScenario {
  const r = validateScenarioText(scenarioYaml, 'generator-produce.bench.yaml')
  if (!r.ok) throw new Error(r.errors.map((e) => e.message).join('\n'))
  return r.scenario
}

/** The first `limit` events of the stream (the generator reuses its result object; the pacer copies what it needs). */
function* firstEvents(scenario: ResolvedScenario, limit: number): Generator<ScheduledEvent> {
  let n = 0
  for (const event of createEventStream(scenario, {})) {
    if (n++ >= limit) return
    yield event
  }
}

interface PacerRound {
  records: number
  seconds: number
  meanBytes: number
  cpuSeconds: number
}

async function pacerRound(bootstrap: string, topic: string, records: number, signal: AbortSignal): Promise<PacerRound> {
  const client = createKafkaClient(defaultKafkaClientKind, { bootstrap: [bootstrap], clientId: 'tb-bench-pacer' })
  let bytes = 0
  const runStartNs = process.hrtime.bigint()
  const cpu = process.cpuUsage()
  const pacer = new OpenLoopPacer({
    events: firstEvents(benchScenario(), records),
    encode: encodeValue,
    topicName: () => topic,
    runStartNs,
    signal,
    newProducer: () => client.producer({ idempotent: true, acks: 'all', lingerMs }),
    onSent: (_event, value) => {
      bytes += Buffer.byteLength(value)
    },
  })
  const report = await pacer.run()
  const used = process.cpuUsage(cpu)
  if (report.sendErrors > 0) throw new Error(`${report.sendErrors} records could not be sent`)
  return { records: report.sent, seconds: report.wallNs / 1e9, meanBytes: bytes / report.sent, cpuSeconds: (used.user + used.system) / 1e6 }
}

async function main(signal: AbortSignal, onBroker: (b: BenchBroker) => void): Promise<void> {
  const { values } = parseArgs({ options: { bootstrap: { type: 'string' }, records: { type: 'string', default: '300000' }, repeat: { type: 'string', default: '3' } } })
  const records = Number(values.records)
  const repeat = Number(values.repeat)
  const java = await detectJava()
  let broker: BenchBroker | undefined
  try {
    let bootstrap = values.bootstrap
    if (bootstrap === undefined) {
      process.stderr.write('starting a Kafka 4.2 broker from jars (benchmark JVM profile) ...\n')
      broker = await startBenchBroker(java, partitions)
      onBroker(broker)
      bootstrap = broker.bootstrap
    }
    const admin = await createKafkaClient(defaultKafkaClientKind, { bootstrap: [bootstrap], clientId: 'tb-bench-admin' }).admin()
    const rows: { round: number; pacer: PacerRound; javaRate: number }[] = []
    try {
      for (let round = 1; round <= repeat && !signal.aborted; round++) {
        const pacerTopic = `tb-bench.pacer.${Date.now()}`
        await admin.createTopics([pacerTopic], partitions)
        process.stderr.write(`round ${round}: generate + encode + pacer (${defaultKafkaClientKind}) ...\n`)
        const pacer = await pacerRound(bootstrap, pacerTopic, records, signal)
        await admin.deleteTopics([pacerTopic])
        const javaTopic = `tb-bench.java.${Date.now()}`
        await admin.createTopics([javaTopic], partitions)
        const recordSize = Math.round(pacer.meanBytes)
        process.stderr.write(`round ${round}: ProducerPerformance, ${records} x ${recordSize} B ...\n`)
        const javaResult = await producerPerformance({ java: java.bin, bootstrap, topic: javaTopic, records, recordSize, lingerMs })
        await admin.deleteTopics([javaTopic])
        rows.push({ round, pacer, javaRate: javaResult.rate })
      }
    } finally {
      await admin.close()
    }
    const load = loadavg().map((l) => l.toFixed(2)).join(' ')
    console.log(`\nHarness produce path vs ProducerPerformance, ${new Date().toISOString()}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, Java ${java.version}, load average ${load}`)
    console.log(`broker ${bootstrap}; ${records} default-mix events per round; acks=all, idempotent, linger ${lingerMs} ms, ${partitions} partitions\n`)
    console.log('| round | pacer events/s | mean bytes | pacer CPU % | ProducerPerformance records/s | ratio |')
    console.log('|---|---|---|---|---|---|')
    for (const r of rows) {
      const rate = r.pacer.records / r.pacer.seconds
      console.log(`| ${r.round} | ${Math.round(rate).toLocaleString('en-US')} | ${r.pacer.meanBytes.toFixed(0)} | ${((r.pacer.cpuSeconds / r.pacer.seconds) * 100).toFixed(0)} | ${Math.round(r.javaRate).toLocaleString('en-US')} | ${(rate / r.javaRate).toFixed(2)} |`)
    }
    const ratios = rows.map((r) => r.pacer.records / r.pacer.seconds / r.javaRate)
    console.log(`\nmedian ratio (pacer / ProducerPerformance, each round measured back to back): ${(medianOf(ratios) ?? NaN).toFixed(2)}`)
  } finally {
    await broker?.stop()
  }
}

const controller = new AbortController()
let startedBroker: BenchBroker | undefined
const onSignal = (): void => {
  process.stderr.write('interrupted: stopping\n')
  controller.abort()
  stopProducerPerformance()
  void startedBroker?.stop()
}
process.once('SIGINT', onSignal)
process.once('SIGTERM', onSignal)
try {
  await main(controller.signal, (b) => {
    startedBroker = b
  })
} catch (error) {
  if (!controller.signal.aborted) throw error
}
if (controller.signal.aborted) process.exitCode = 130
