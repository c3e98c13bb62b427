/**
 * How long a run's report takes to render and how large report.html is: the budget is under 3 s and under
 * 2 MB for a fraud-wave run (the longest standard scenario, ~6 min of load).
 *
 *   npm run bench:report -- <run-dir> [--repeat 3]
 *
 * Each round writes the whole report (reads the run through harness/results, builds and renders the eleven charts,
 * writes report.html, summary.md, charts/, timeline.csv and the .hlog files) into a copy of the run folder. The
 * first round is cold (vega and the JIT warm up, as at the end of `telcobench run`); the figures are printed,
 * not asserted.
 */
import { cpSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { parseArgs } from 'node:util'
import { writeRunReport } from '../index.ts'

const { values, positionals } = parseArgs({ allowPositionals: true, options: { repeat: { type: 'string', default: '3' } } })
const [runDir] = positionals
if (runDir === undefined) {
  console.error('usage: npm run bench:report -- <run-dir> [--repeat 3]')
  process.exit(2)
}
const rounds = Math.max(1, Number(values.repeat))
const work = mkdtempSync(join(tmpdir(), 'telcobench-bench-report-'))
try {
  const copy = join(work, basename(runDir))
  cpSync(runDir, copy, { recursive: true, filter: (src) => !/[/\\](checkpoints|kafka|truth|logs)([/\\]|$)/.test(src.slice(runDir.length)) })
  const seconds: number[] = []
  const cpuSeconds: number[] = []
  let htmlBytes = 0
  let points = 0
  for (let i = 0; i < rounds; i++) {
    const started = performance.now()
    const cpuBefore = process.cpuUsage()
    const { run, files } = await writeRunReport(copy)
    seconds.push((performance.now() - started) / 1000)
    const cpu = process.cpuUsage(cpuBefore)
    cpuSeconds.push((cpu.user + cpu.system) / 1e6)
    htmlBytes = statSync(files.html).size
    points = run.timeline?.points.length ?? 0
  }
  const [cold = 0, ...warm] = seconds
  const [coldCpu = 0, ...warmCpu] = cpuSeconds
  const mb = htmlBytes / 1e6
  console.log(`run ${basename(runDir)}: ${points} s of timeline · ${cpus().length} cores · load ${loadavg()[0]?.toFixed(1)}`)
  // On a shared machine the wall time includes waiting for a core; the CPU time is what the rendering itself costs.
  console.log(`render: ${cold.toFixed(2)} s wall cold (${coldCpu.toFixed(2)} s CPU)${warm.length > 0 ? `, ${Math.min(...warm).toFixed(2)} s wall warm (${Math.min(...warmCpu).toFixed(2)} s CPU, best of ${warm.length})` : ''} (budget 3 s) ${cold < 3 ? 'ok' : 'OVER BUDGET'}`)
  console.log(`report.html: ${mb.toFixed(2)} MB (budget 2 MB) ${mb < 2 ? 'ok' : 'OVER BUDGET'}`)
} finally {
  rmSync(work, { recursive: true, force: true })
}
