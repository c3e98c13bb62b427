/**
 * Micro-benchmarks of the harness's hot path, one tinybench task each (`npm run bench`, under a minute):
 * - generate: pulling events from generators/index.ts createEventStream;
 * - encode: encodeValue, the Kafka value of each event;
 * - rate: the TypeScript rater that prices the ground truth's charges: rateRecord, which compiles the rating spec
 *   on its first call (compileRater, cached per spec) and rates with the compiled lookups after;
 * - record: LatencyRecorder.record, the hdr-histogram-js recording every latency of a run goes through.
 * An operation handles a batch of 1,000 items, since one item takes well under a microsecond, too little for a
 * timer to resolve. Prints tinybench's statistics as a table and writes them to results/bench/micro-<time>.json
 * (under the working directory). Whole-process figures (Kafka, Spark) are the other bench:* scripts.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Bench, type Task } from 'tinybench'
import { createEventStream, encodeValue, rateRecord, validateScenarioText, type RatableRecord, type ResolvedScenario, type ScheduledEvent } from '../../generators/index.ts'
import { LatencyRecorder } from '../measure/histograms.ts'
import { benchFile, benchFileName, formatTable, tableRows, type MicroTaskFigures } from './micro-report.ts'

const batch = 1_000

/** The generators' own benchmark scenario (generators/bench/default-mix.yaml): the default traffic mix, 100,000 subscribers. */
const scenarioFile = new URL('../../generators/bench/default-mix.yaml', import.meta.url)

function scenario(): ResolvedScenario {
  const r = validateScenarioText(readFileSync(scenarioFile, 'utf8'), fileURLToPath(scenarioFile))
  if (!r.ok) throw new Error(r.errors.map((e) => e.message).join('\n'))
  return r.scenario
}

/** A copy of an event: the stream reuses its entries once the iterator moves on. */
function snapshot(ev: ScheduledEvent): ScheduledEvent {
  return { topic: ev.topic, key: ev.key, sendOffsetNs: ev.sendOffsetNs, id: ev.id, eventTimeMs: ev.eventTimeMs, head: ev.head, raw: ev.raw }
}

/** A usage record the rater accepts (well-formed voice, SMS or data), or null. */
function ratable(value: string): RatableRecord | null {
  const r = JSON.parse(value) as Record<string, unknown>
  const numbers = (...keys: string[]): boolean => keys.every((k) => typeof r[k] === 'number')
  if (r['type'] === 'voice' && typeof r['calledNumber'] === 'string' && numbers('answerTime', 'callDuration', 'recordSequenceNumber')) return r as unknown as RatableRecord
  if (r['type'] === 'sms' && typeof r['destinationNumber'] === 'string' && numbers('originationTime')) return r as unknown as RatableRecord
  if (r['type'] === 'data' && numbers('dataVolumeUplink', 'dataVolumeDownlink', 'recordOpeningTime')) return r as unknown as RatableRecord
  return null
}

/** The first `batch` events and `batch` ratable usage records of the stream. */
function inputs(s: ResolvedScenario): { events: ScheduledEvent[]; records: RatableRecord[] } {
  const events: ScheduledEvent[] = []
  const records: RatableRecord[] = []
  for (const ev of createEventStream(s)) {
    if (events.length < batch) events.push(snapshot(ev))
    if (ev.topic === 'cdr' && !ev.raw) {
      const record = ratable(encodeValue(ev, 0n))
      if (record !== null) records.push(record)
    }
    if (events.length === batch && records.length === batch) break
  }
  return { events, records }
}

/** Latencies from 1 ms to ~5 s, log-uniform (a fixed LCG, so every run records the same values), observed over 60 s. */
function latencies(): { valueNs: number[]; atNs: bigint[] } {
  let state = 12345
  const next = (): number => {
    state = (state * 1103515245 + 12345) % 2 ** 31
    return state / 2 ** 31
  }
  const valueNs = Array.from({ length: batch }, () => Math.round(1e6 * 5000 ** next()))
  const atNs = Array.from({ length: batch }, (_, i) => BigInt(i) * 60_000_000n)
  return { valueNs, atNs }
}

/** tinybench's statistics of a finished task, in the report's shape. */
function figures(task: Task, itemsPerOp: number): MicroTaskFigures {
  const r = task.result
  if (r.state !== 'completed') throw new Error(`task ${task.name} ended ${r.state}${r.state === 'errored' ? `: ${r.error.message}` : ''}`)
  const l = r.latency
  return { name: task.name, itemsPerOp, opsPerS: { mean: r.throughput.mean, rmePct: r.throughput.rme }, latencyMs: { mean: l.mean, rmePct: l.rme, p50: l.p50, p75: l.p75, p99: l.p99, min: l.min, max: l.max }, samples: l.samplesCount }
}

const loadStart = loadavg()[0] ?? 0
const s = scenario()
const { events, records } = inputs(s)
let stream = createEventStream(s)
const spec = s.ratingSpec
const { valueNs, atNs } = latencies()
const recorder = new LatencyRecorder('rated', 0n)
// Results feed this sum so the engine cannot drop the work as unused.
let sink = 0

// 2 s per task: the generator's 1,000-event operations take milliseconds, and 1 s gave only ~60 samples on 2 busy cores.
const bench = new Bench({ name: 'telcobench micro', time: 2_000, warmupTime: 250, throws: true })
bench
  .add(`generate ${batch.toLocaleString('en-US')} events (createEventStream)`, () => {
    for (let i = 0; i < batch; i++) {
      let step = stream.next()
      if (step.done === true) {
        stream = createEventStream(s)
        step = stream.next()
      }
      if (step.done !== true) sink += step.value.sendOffsetNs
    }
  })
  .add(`encode ${batch.toLocaleString('en-US')} events (encodeValue)`, () => {
    for (const ev of events) sink += encodeValue(ev, 123_456_789_012_345n).length
  })
  .add(`rate ${batch.toLocaleString('en-US')} records (rateRecord)`, () => {
    for (const record of records) sink += rateRecord(spec, record).chargeSubunits
  })
  .add(`record ${batch.toLocaleString('en-US')} latencies (hdr-histogram-js)`, () => {
    for (let i = 0; i < batch; i++) recorder.record(valueNs[i] ?? 0, atNs[i] ?? 0n)
  })

await bench.run()
const tasks = bench.tasks.map((task) => figures(task, batch))
const loadEnd = loadavg()[0] ?? 0
const createdAt = new Date()
console.log(formatTable(tableRows(tasks)))
console.log(`\nnode ${process.version} · ${cpus().length} cores (${cpus()[0]?.model ?? '?'}) · load average (1 min) ${loadStart.toFixed(2)} at start, ${loadEnd.toFixed(2)} at end · checksum ${sink % 1000}`)
const dir = join(process.cwd(), 'results', 'bench')
mkdirSync(dir, { recursive: true })
const file = join(dir, benchFileName(createdAt))
writeFileSync(file, `${JSON.stringify(benchFile(tasks, { node: process.version, cpus: cpus().length, cpuModel: cpus()[0]?.model ?? '?', loadAverage1m: { start: loadStart, end: loadEnd } }, createdAt), null, 2)}\n`)
console.log(`written: ${file}`)
