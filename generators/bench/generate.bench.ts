/**
 * Generator throughput on one core with the default traffic mix: `npx tsx generators/bench/generate.bench.ts`.
 * Prints events/s for (a) generating only, (b) generating + encodeValue (what the harness hot path does),
 * (c) generating + encoding + ground truth into a no-op sink. Each is the best of three runs.
 */
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { createEventStream, encodeValue, validateScenarioText, type ResolvedScenario, type TruthSink } from '../index.ts'

const scenarioFile = new URL('./default-mix.yaml', import.meta.url)

function scenario(): ResolvedScenario {
  const r = validateScenarioText(readFileSync(scenarioFile, 'utf8'), fileURLToPath(scenarioFile))
  if (!r.ok) throw new Error(r.errors.map((e) => e.message).join('\n'))
  return r.scenario
}

/** Best of three by wall time, plus events per CPU second (user + system), which a busy machine distorts less. */
function measure(label: string, body: () => number): void {
  let bestWall = 0
  let bestCpu = 0
  let events = 0
  for (let run = 0; run < 3; run++) {
    const t0 = process.hrtime.bigint()
    const c0 = process.cpuUsage()
    events = body()
    const c1 = process.cpuUsage(c0)
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9
    bestWall = Math.max(bestWall, events / seconds)
    bestCpu = Math.max(bestCpu, events / ((c1.user + c1.system) / 1e6))
  }
  const fmt = (x: number): string => Math.round(x).toLocaleString('en-US')
  process.stdout.write(`${label.padEnd(34)} ${fmt(events)} events  ${fmt(bestWall)} events/s wall  ${fmt(bestCpu)} events/CPU-s\n`)
}

const s = scenario()
const noTruth: TruthSink = { write: () => undefined }
let sink = 0
measure('generate only', () => {
  let n = 0
  for (const ev of createEventStream(s)) n += ev.sendOffsetNs >= 0 ? 1 : 0
  return n
})
measure('generate + encodeValue', () => {
  let n = 0
  for (const ev of createEventStream(s)) {
    sink += encodeValue(ev, 123_456_789_012_345n).length
    n++
  }
  return n
})
measure('generate + encodeValue + truth', () => {
  let n = 0
  for (const ev of createEventStream(s, { truth: noTruth })) {
    sink += encodeValue(ev, 123_456_789_012_345n).length
    n++
  }
  return n
})
process.stdout.write(`(checksum ${sink % 1000}; node ${process.version}; heap used ${Math.round(process.memoryUsage().heapUsed / 1e6)} MB)\n`)
