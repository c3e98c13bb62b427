/**
 * The harness's whole produce path (generate → encode → open-loop pacer → Kafka, truth recorded as in a run) with 1,
 * 2, … generator worker threads, against Kafka's own ProducerPerformance at the same mean record size, on one
 * broker, in one run.
 *
 *   npx tsx harness/bench/generator-produce.bench.ts [--bootstrap host:port] [--records 300000] [--repeat 3] [--workers 1,2]
 *
 * The scenario is the generator bench's default mix (100 000 subscribers from 08:00), its duration chosen so the
 * stream holds about `--records` events, compressed so far that every event is already due: each load source then
 * sends flat out, through the code a run uses (InProcessLoad for 1 worker, WorkerLoad over a GeneratorWorkerPool for
 * more: sharding, batching, in-flight limit, schedule-delay and produce histograms merged, truth into a
 * TruthRecorder). A round's rate is records sent / wall time from the clock's start to the last acknowledgement;
 * workers are started and loaded before the clock starts, as in a run. ProducerPerformance sends the same number of
 * records of the mean size the pacer sent, acks=all, idempotent, linger 5 ms, no key (the pacer's records carry an
 * IMSI or ECGI key). Medians over the rounds are printed, not asserted.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { cpus, loadavg, tmpdir, totalmem } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { createEventStream, encodeValue, validateScenarioText, type ResolvedScenario } from '../../generators/index.ts'
import { createKafkaClient, defaultKafkaClientKind } from '../kafka/index.ts'
import { detectJava } from '../runtime/java.ts'
import { InProcessLoad, type LoadBook, type LoadSource } from '../run/load-source.ts'
import { GeneratorWorkerPool, WorkerLoad } from '../run/load-workers.ts'
import { TruthRecorder } from '../run/truth-recorder.ts'
import { startBenchBroker, type BenchBroker } from './bench-broker.ts'
import { producerPerformance, stopProducerPerformance } from './producer-performance.ts'
import { medianOf } from '../stats/index.ts'

const partitions = 4
const lingerMs = 5
const producer = { idempotent: true, acks: 'all', lingerMs } as const

const scenarioYaml = (duration: string): string => `
version: 1
name: bench-produce
seed: 1
startTime: "2026-01-05T08:00:00Z"
duration: ${duration}
timeCompression: 1000000
population: { subscribers: 100000 }
topology: { sites: 50 }
`

function validated(duration: string): ResolvedScenario {
  const r = validateScenarioText(scenarioYaml(duration), 'generator-produce.bench.yaml')
  if (!r.ok) throw new Error(r.errors.map((e) => e.message).join('\n'))
  return r.scenario
}

/** The default mix over as many whole minutes from 08:00 as hold about `records` events (by the scenario's estimate). */
function benchScenario(records: number): ResolvedScenario {
  const sixHours = validated('6h')
  const guess = Math.max(1, Math.round((360 * records) / sixHours.load.expectedEvents))
  // The morning hours are quieter than the six-hour mean: correct the guess once by a count of its stream.
  let events = 0
  const stream = createEventStream(validated(`${guess}m`), {})
  while (stream.next().done !== true) events++
  return validated(`${Math.max(1, Math.round((guess * records) / Math.max(1, events)))}m`)
}

/** Mean encoded value size of the stream, measured before the rounds (outside every timing). */
function meanBytes(scenario: ResolvedScenario): number {
  let bytes = 0
  let n = 0
  for (const event of createEventStream(scenario, {})) {
    bytes += Buffer.byteLength(encodeValue(event, 0n))
    n++
  }
  return bytes / n
}

interface PacerRound {
  workers: number
  records: number
  seconds: number
  cpuSeconds: number
}

/** The bookkeeping a run keeps of what was sent (session.ts), so the main thread does a run's work per record. */
function runLikeBook(): LoadBook {
  const ids: string[] = []
  const offsets: number[] = []
  const unparsable = new Map<string, string>()
  return {
    handed: () => undefined,
    attemptFailed: () => undefined,
    usageHanded: (id, offset, bad) => {
      ids.push(id)
      offsets.push(offset)
      if (bad !== null) unparsable.set(bad, id)
    },
    acked: () => undefined,
    usageUnsent: () => undefined,
  }
}

async function pacerRound(bootstrap: string, topicPrefix: string, scenario: ResolvedScenario, workers: number, signal: AbortSignal): Promise<PacerRound> {
  const kafka = { bootstrap: [bootstrap], clientId: 'tb-bench-pacer' }
  const truthDir = mkdtempSync(join(tmpdir(), 'telcobench-bench-truth-'))
  const truth = new TruthRecorder(truthDir)
  const pool = workers > 1 ? new GeneratorWorkerPool(workers) : null
  try {
    await pool?.ready
    const runStartNs = process.hrtime.bigint()
    const cpu = process.cpuUsage()
    const shared = { topicPrefix, runStartNs, warmupNs: 0n, signal }
    const load: LoadSource =
      pool === null
        ? new InProcessLoad((sink) => createEventStream(scenario, { truth: sink }), encodeValue, truth, { ...shared, newProducer: () => createKafkaClient(defaultKafkaClientKind, kafka).producer(producer) }, runLikeBook())
        : new WorkerLoad(pool, { ...shared, scenario, kafkaClient: defaultKafkaClientKind, kafka, producer }, truth, runLikeBook())
    const report = await load.run()
    const seconds = Number(process.hrtime.bigint() - runStartNs) / 1e9
    const used = process.cpuUsage(cpu)
    if (report.sendErrors > 0) throw new Error(`${report.sendErrors} records could not be sent`)
    return { workers, records: report.sent, seconds, cpuSeconds: (used.user + used.system) / 1e6 }
  } finally {
    await pool?.terminate()
    await truth.close()
    rmSync(truthDir, { recursive: true, force: true })
  }
}

async function main(signal: AbortSignal, onBroker: (b: BenchBroker) => void): Promise<void> {
  const { values } = parseArgs({ options: { bootstrap: { type: 'string' }, records: { type: 'string', default: '300000' }, repeat: { type: 'string', default: '3' }, workers: { type: 'string', default: '1' } } })
  const records = Number(values.records)
  const repeat = Number(values.repeat)
  const workerCounts = values.workers.split(',').map((w) => Number(w.trim()))
  if (workerCounts.some((w) => !Number.isInteger(w) || w < 1)) throw new Error(`--workers takes whole numbers ≥ 1 separated by commas, e.g. 1,2 (got ${values.workers})`)
  const scenario = benchScenario(records)
  process.stderr.write(`measuring the stream's mean record size (${scenario.duration / 60_000} simulated minutes) ...\n`)
  const recordSize = Math.round(meanBytes(scenario))
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
    const rows: { round: number; pacers: PacerRound[]; javaRate: number }[] = []
    try {
      for (let round = 1; round <= repeat && !signal.aborted; round++) {
        const pacers: PacerRound[] = []
        for (const workers of workerCounts) {
          const prefix = `tb-bench.pacer.${Date.now()}.`
          const topics = ['cdr', 'pm', 'alarms'].map((t) => `${prefix}${t}`)
          await admin.createTopics(topics, partitions)
          process.stderr.write(`round ${round}: generate + encode + pacer, ${workers} worker${workers > 1 ? ' threads' : ' (the main thread)'} (${defaultKafkaClientKind}) ...\n`)
          pacers.push(await pacerRound(bootstrap, prefix, scenario, workers, signal))
          await admin.deleteTopics(topics)
        }
        const javaTopic = `tb-bench.java.${Date.now()}`
        await admin.createTopics([javaTopic], partitions)
        const n = pacers[0]?.records ?? records
        process.stderr.write(`round ${round}: ProducerPerformance, ${n} x ${recordSize} B ...\n`)
        const javaResult = await producerPerformance({ java: java.bin, bootstrap, topic: javaTopic, records: n, recordSize, lingerMs })
        await admin.deleteTopics([javaTopic])
        rows.push({ round, pacers, javaRate: javaResult.rate })
      }
    } finally {
      await admin.close()
    }
    const load = loadavg().map((l) => l.toFixed(2)).join(' ')
    const fmt = (x: number): string => Math.round(x).toLocaleString('en-US')
    console.log(`\nHarness produce path (1 thread and worker threads) vs ProducerPerformance, ${new Date().toISOString()}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, Java ${java.version}, load average ${load}`)
    console.log(`broker ${bootstrap}; ${rows[0]?.pacers[0]?.records ?? records} default-mix events per round (truth recorded), mean ${recordSize} B; acks=all, idempotent, linger ${lingerMs} ms, ${partitions} partitions per topic\n`)
    console.log(`| round | ${workerCounts.map((w) => `${w} worker${w > 1 ? 's' : ''}: events/s (harness CPU ms per 1,000)`).join(' | ')} | ProducerPerformance records/s | ${workerCounts.map((w) => `ratio ${w}w / PP`).join(' | ')} |`)
    console.log(`|---|${workerCounts.map(() => '---|').join('')}---|${workerCounts.map(() => '---|').join('')}`)
    const rate = (p: PacerRound): number => p.records / p.seconds
    for (const r of rows) {
      console.log(`| ${r.round} | ${r.pacers.map((p) => `${fmt(rate(p))} (${((p.cpuSeconds * 1e6) / p.records).toFixed(0)})`).join(' | ')} | ${fmt(r.javaRate)} | ${r.pacers.map((p) => (rate(p) / r.javaRate).toFixed(2)).join(' | ')} |`)
    }
    console.log('')
    workerCounts.forEach((w, i) => {
      const rates = rows.map((r) => r.pacers[i]).filter((p) => p !== undefined).map(rate)
      const ratios = rows.map((r) => { const p = r.pacers[i]; return p === undefined ? NaN : rate(p) / r.javaRate })
      console.log(`${w} worker${w > 1 ? 's' : ''}: median ${fmt(medianOf(rates) ?? NaN)} events/s, median ratio to ProducerPerformance ${(medianOf(ratios) ?? NaN).toFixed(2)}`)
    })
    if (workerCounts.length > 1) {
      const base = rows.map((r) => r.pacers[0]).filter((p) => p !== undefined).map(rate)
      workerCounts.slice(1).forEach((w, j) => {
        const speedups = rows.map((r) => { const a = r.pacers[0]; const b = r.pacers[j + 1]; return a === undefined || b === undefined ? NaN : rate(b) / rate(a) })
        console.log(`${w} workers / ${workerCounts[0]} worker: median speed-up ${(medianOf(speedups) ?? NaN).toFixed(2)} (base median ${fmt(medianOf(base) ?? NaN)} events/s)`)
      })
    }
    console.log(`median ProducerPerformance: ${fmt(medianOf(rows.map((r) => r.javaRate)) ?? NaN)} records/s`)
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
