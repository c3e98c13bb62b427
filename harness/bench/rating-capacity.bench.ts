/**
 * Capacity of the Spark rating path: the highest offered rate at which the consumer lag stays flat, per trigger
 * mode, and rated p50/p99 at half that rate.
 *
 *   npm run bench:rating-capacity -- [--modes micro-batch,real-time] [--start-tc 24] [--max-tc 768]
 *
 * Each step is a real `telcobench run scenarios/rating-capacity.yaml --no-batch` (embedded Kafka + Spark, only
 * the `rating` query) in a child process, which starts and stops its own broker and Spark job. The rate is raised
 * by raising timeCompression and the simulated duration together, so every step has the same 40 s of wall load.
 * Steps double until the lag grows (steady_state is not `steady`) or the generator cannot hold its schedule
 * (then the generator, not Spark, was the limit); one bisection step follows, then one run at half the highest
 * steady rate. Run folders go to results/rating-capacity-bench-<stamp>/, with bench.json beside them.
 * In real-time mode the lag follows `rated` (the stateless rating-rt query); the micro-batch `billing` query shows
 * only in the bills latency column. Figures and the bottleneck: docs/spark-pipelines.md "Rating path capacity".
 * On the shared build machine, hold the JVM lock around the whole sequence: `flock /tmp/tb-jvm.lock npm run …`.
 */
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, totalmem } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import type { Results } from '../results/index.ts'
import { bisect, classifyStep, phaseMedians, type CapacityStep, type StepOutcome, type TriggerMode } from './rating-capacity.ts'

const scenario = 'scenarios/rating-capacity.yaml'
const wallLoadS = 40
const triggerOverride: Record<TriggerMode, string[]> = {
  'micro-batch': [],
  'real-time': ['pipeline.trigger={ kind: real-time, checkpointInterval: 5s }'],
}

const { values: args } = parseArgs({
  options: {
    modes: { type: 'string', default: 'micro-batch,real-time' },
    'start-tc': { type: 'string', default: '24' },
    'max-tc': { type: 'string', default: '768' },
  },
})
const modes = args.modes.split(',').map((m) => m.trim()) as TriggerMode[]
for (const m of modes) if (!(m in triggerOverride)) throw new Error(`--modes: unknown mode ${m} (micro-batch, real-time)`)
const startTc = Number(args['start-tc'])
const maxTc = Number(args['max-tc'])

const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '').replace('T', '-')
const benchRoot = join('results', `rating-capacity-bench-${stamp}`)
mkdirSync(benchRoot, { recursive: true })
const steps: CapacityStep[] = []
const loadAtStart = loadavg()

/** One `telcobench run` at time compression `tc`; resolves with its folder, or throws when it wrote no results. */
function runOnce(mode: TriggerMode, tc: number): Promise<string> {
  const before = new Set(readdirSync(benchRoot))
  const sets = [`timeCompression=${tc}`, `duration=${wallLoadS * tc}s`, ...triggerOverride[mode]].flatMap((s) => ['--set', s])
  const argv = ['bin/telcobench.js', 'run', scenario, '--no-batch', '--results', benchRoot, ...sets]
  process.stderr.write(`\n▶ ${mode} ×${tc}: node ${argv.join(' ')}\n`)
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, argv, { stdio: ['ignore', 'ignore', 'inherit'] })
    const forward = (signal: NodeJS.Signals): void => { child.kill(signal) }
    process.once('SIGINT', forward)
    process.once('SIGTERM', forward)
    child.on('error', reject)
    child.on('exit', (code) => {
      process.off('SIGINT', forward)
      process.off('SIGTERM', forward)
      const runDir = readdirSync(benchRoot).filter((d) => !before.has(d)).map((d) => join(benchRoot, d)).find((d) => existsSync(join(d, 'results.json')))
      // 0 passed, 1 failed, 5 invalid: all three are measurements. Anything else (usage, infrastructure, interrupt) ends the bench.
      if (runDir === undefined || (code !== 0 && code !== 1 && code !== 5)) reject(new Error(`telcobench run exited ${code ?? 'by signal'} without results (${mode} ×${tc})`))
      else resolve(runDir)
    })
  })
}

function readStep(mode: TriggerMode, tc: number, runDir: string): CapacityStep {
  const r = JSON.parse(readFileSync(join(runDir, 'results.json'), 'utf8')) as Results
  const progressFile = join(runDir, 'spark-progress.jsonl')
  const progress = existsSync(progressFile) ? readFileSync(progressFile, 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, unknown>) : []
  const cpuCores: Record<string, number> = {}
  for (const [name, use] of Object.entries(r.resources)) cpuCores[name] = use.cpu_avg_cores
  return {
    mode,
    timeCompression: tc,
    runDir,
    state: r.state,
    offeredEps: r.throughput.offered_eps,
    achievedEps: r.throughput.achieved_eps,
    scheduleDelayP99Ms: r.throughput.schedule_delay_outside_faults_p99_ms,
    lagState: r.steady_state?.state ?? 'not-measured',
    lagTrendEps: r.steady_state?.lag_trend_eps ?? null,
    lagTrendStderrEps: r.steady_state?.lag_trend_stderr_eps ?? null,
    ratedP50Ms: r.latency['rated']?.p50 ?? null,
    ratedP99Ms: r.latency['rated']?.p99 ?? null,
    billsP50Ms: r.latency['bills']?.p50 ?? null,
    billsP99Ms: r.latency['bills']?.p99 ?? null,
    triggerP50Ms: Object.fromEntries(Object.entries(r.engine).map(([q, e]) => [q, e.trigger_execution_ms.p50])),
    cpuCores,
    phasesP50Ms: phaseMedians(progress),
    verdict: r.verdict.reasons,
  }
}

async function measure(mode: TriggerMode, tc: number): Promise<{ step: CapacityStep; outcome: StepOutcome }> {
  const step = readStep(mode, tc, await runOnce(mode, tc))
  steps.push(step)
  writeFileSync(join(benchRoot, 'bench.json'), `${JSON.stringify({ machine: machine(), steps }, null, 2)}\n`)
  const outcome = classifyStep(step)
  process.stderr.write(`◀ ${mode} ×${tc}: ${Math.round(step.offeredEps)} ev/s offered, lag ${step.lagState}, ${outcome}\n`)
  return { step, outcome }
}

interface ModeResult {
  mode: TriggerMode
  highest: CapacityStep | null
  limit: StepOutcome | 'max-tc'
  half: CapacityStep | null
}

async function searchMode(mode: TriggerMode): Promise<ModeResult> {
  let steady: CapacityStep | null = null
  let firstUnsteady: { tc: number; outcome: StepOutcome } | null = null
  // Coarse: ×2 up from the start (or ÷2 down when the start itself does not hold).
  for (let tc = startTc; tc <= maxTc && tc >= 1;) {
    const { step, outcome } = await measure(mode, tc)
    if (outcome === 'steady') {
      steady = step
      if (firstUnsteady !== null) break
      tc *= 2
    } else {
      firstUnsteady = { tc, outcome }
      if (steady !== null) break
      tc = Math.floor(tc / 2)
    }
  }
  let limit: ModeResult['limit'] = firstUnsteady?.outcome ?? 'max-tc'
  if (steady !== null && firstUnsteady !== null) {
    const middle = bisect(steady.timeCompression, firstUnsteady.tc)
    if (middle !== null) {
      const { step, outcome } = await measure(mode, middle)
      if (outcome === 'steady') steady = step
      else limit = outcome
    }
  }
  const half = steady !== null ? (await measure(mode, Math.max(1, Math.round(steady.timeCompression / 2)))).step : null
  return { mode, highest: steady, limit, half }
}

function machine(): Record<string, unknown> {
  return { cores: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', memory_gib: Math.round(totalmem() / 2 ** 30), node: process.version, load_avg_start: loadAtStart, load_avg_now: loadavg() }
}

const fmt = (n: number | null | undefined, digits = 0): string => (n === null || n === undefined ? 'n/a' : n.toFixed(digits))

function table(): string {
  const head = '| mode | ×tc | offered ev/s | achieved ev/s | lag | lag trend ev/s | rated p50 ms | rated p99 ms | bills p50 / p99 ms | trigger p50 ms | CPU cores harness / broker / spark | schedule delay p99 ms | state |'
  const lines = [head, head.replace(/[^|]+/g, '---')]
  for (const s of steps) {
    const trend = s.lagTrendEps === null ? 'n/a' : `${fmt(s.lagTrendEps, 1)} ± ${fmt(s.lagTrendStderrEps, 1)}`
    const triggers = Object.entries(s.triggerP50Ms).map(([q, ms]) => `${q} ${fmt(ms)}`).join(', ')
    const cpu = ['harness', 'broker', 'spark'].map((p) => fmt(s.cpuCores[p], 2)).join(' / ')
    lines.push(`| ${s.mode} | ${s.timeCompression} | ${fmt(s.offeredEps)} | ${fmt(s.achievedEps)} | ${s.lagState} | ${trend} | ${fmt(s.ratedP50Ms)} | ${fmt(s.ratedP99Ms)} | ${fmt(s.billsP50Ms)} / ${fmt(s.billsP99Ms)} | ${triggers} | ${cpu} | ${fmt(s.scheduleDelayP99Ms)} | ${s.state} |`)
  }
  return lines.join('\n')
}

function phases(): string {
  return steps
    .map((s) => `${s.mode} ×${s.timeCompression}: ${Object.entries(s.phasesP50Ms).map(([q, p]) => `${q} { ${Object.entries(p).sort(([, a], [, b]) => b - a).map(([k, v]) => `${k} ${v}`).join(', ')} }`).join('; ')}`)
    .join('\n')
}

const outcomes: ModeResult[] = []
for (const mode of modes) outcomes.push(await searchMode(mode))
process.stdout.write(`\nrating capacity · ${new Date().toISOString()} · ${JSON.stringify(machine())}\n\n${table()}\n\nSpark phase medians (ms, batches with input):\n${phases()}\n\n`)
for (const o of outcomes) {
  const limitText = o.limit === 'generator-limit' ? 'the generator could not hold the next rate (not Spark)' : o.limit === 'lag-grows' ? 'the lag grew at the next rate' : `no limit up to ×${maxTc}`
  if (o.highest === null) process.stdout.write(`${o.mode}: no steady rate found (${limitText})\n`)
  else process.stdout.write(`${o.mode}: highest steady ${fmt(o.highest.offeredEps)} ev/s (×${o.highest.timeCompression}); ${limitText}; at half (×${o.half?.timeCompression ?? 'n/a'}, ${fmt(o.half?.offeredEps)} ev/s): rated p50 ${fmt(o.half?.ratedP50Ms)} ms, p99 ${fmt(o.half?.ratedP99Ms)} ms\n`)
}
process.stdout.write(`\nrun folders and bench.json: ${benchRoot}\n`)
