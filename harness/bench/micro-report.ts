/**
 * The micro-benchmarks' report (`npm run bench`, harness/bench/micro.bench.ts): tinybench's statistics per task as a
 * table for the terminal and as a JSON document for results/bench/. Pure: the figures come in, text goes out.
 */

/** One task's figures as tinybench measured them. An op processes `itemsPerOp` items (events, records, values). */
export interface MicroTaskFigures {
  name: string
  itemsPerOp: number
  /** Operations per second: the mean of the per-sample rates, and its relative margin of error in %. */
  opsPerS: { mean: number; rmePct: number }
  /** Time per operation in ms over the samples. */
  latencyMs: { mean: number; rmePct: number; p50: number; p75: number; p99: number; min: number; max: number }
  samples: number
}

/** What the run was measured on: the figures mean little without it (docs/style.md "Benchmarks are not tests"). */
export interface MicroMachine {
  node: string
  cpus: number
  cpuModel: string
  /** 1-minute load average when the run started and when it ended. */
  loadAverage1m: { start: number; end: number }
}

/** results/bench/micro-<timestamp>.json. */
export interface MicroBenchFile {
  kind: 'telcobench-micro-bench'
  created_at: string
  machine: { node: string; cpus: number; cpu_model: string; load_average_1m: { start: number; end: number } }
  tasks: {
    name: string
    items_per_op: number
    ops_per_s: { mean: number; rme_pct: number }
    latency_ms: { mean: number; rme_pct: number; p50: number; p75: number; p99: number; min: number; max: number }
    samples: number
    items_per_s: number
  }[]
}

/**
 * Items per second sustained over the task: the items of an operation over its mean time. Not ops/s × items/op:
 * tinybench's ops/s is the mean of each sample's own rate, which a few slow samples (a GC pause) barely move.
 */
export function itemsPerS(task: MicroTaskFigures): number {
  return task.latencyMs.mean > 0 ? (task.itemsPerOp * 1000) / task.latencyMs.mean : 0
}

/** A number with `digits` significant digits and thousands separators, e.g. 1,234 or 0.0123. */
export function significant(value: number, digits = 3): string {
  if (!Number.isFinite(value)) return String(value)
  if (value === 0) return '0'
  const magnitude = Math.floor(Math.log10(Math.abs(value)))
  const decimals = Math.max(0, digits - 1 - magnitude)
  return value.toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals })
}

/** Time per operation in µs, the unit these tasks' operations take. */
const us = (ms: number): string => significant(ms * 1000)

/** The table's header and one row per task. */
export function tableRows(tasks: MicroTaskFigures[]): string[][] {
  const header = ['task', 'items/op', 'ops/s ± rme', 'mean µs ± rme', 'p75 µs', 'p99 µs', 'samples', 'items/s']
  const rows = tasks.map((t) => [
    t.name,
    t.itemsPerOp.toLocaleString('en-US'),
    `${significant(t.opsPerS.mean)} ± ${t.opsPerS.rmePct.toFixed(2)} %`,
    `${us(t.latencyMs.mean)} ± ${t.latencyMs.rmePct.toFixed(2)} %`,
    us(t.latencyMs.p75),
    us(t.latencyMs.p99),
    t.samples.toLocaleString('en-US'),
    significant(itemsPerS(t)),
  ])
  return [header, ...rows]
}

/** Rows as aligned columns: text left, figures right, a rule under the header. */
export function formatTable(rows: string[][]): string {
  const widths = (rows[0] ?? []).map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)))
  const line = (r: string[]): string => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c] ?? 0) : cell.padStart(widths[c] ?? 0))).join('  ')
  const [header = [], ...body] = rows
  return [line(header), widths.map((w) => '─'.repeat(w)).join('  '), ...body.map(line)].join('\n')
}

/** The JSON document written beside the table. */
export function benchFile(tasks: MicroTaskFigures[], machine: MicroMachine, createdAt: Date): MicroBenchFile {
  return {
    kind: 'telcobench-micro-bench',
    created_at: createdAt.toISOString(),
    machine: { node: machine.node, cpus: machine.cpus, cpu_model: machine.cpuModel, load_average_1m: machine.loadAverage1m },
    tasks: tasks.map((t) => ({
      name: t.name,
      items_per_op: t.itemsPerOp,
      ops_per_s: { mean: t.opsPerS.mean, rme_pct: t.opsPerS.rmePct },
      latency_ms: { mean: t.latencyMs.mean, rme_pct: t.latencyMs.rmePct, p50: t.latencyMs.p50, p75: t.latencyMs.p75, p99: t.latencyMs.p99, min: t.latencyMs.min, max: t.latencyMs.max },
      samples: t.samples,
      items_per_s: itemsPerS(t),
    })),
  }
}

/** `micro-<UTC yyyymmdd-hhmmss>.json`, sortable like run ids. */
export function benchFileName(now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15)
  return `micro-${stamp}.json`
}
