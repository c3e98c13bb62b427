import { readFileSync } from 'node:fs'
import { loadavg } from 'node:os'
import type { MachineBusy, MachineLoad, MachineLoadBefore, MachineLoadDuring } from '../results/index.ts'
import type { ProcessSample } from './proc.ts'

/**
 * How busy the machine was around a run (docs/method.md §1.7): the load averages, CPU steal and the CPU that
 * processes other than the run's own used, from /proc/stat and the per-process samples the harness takes anyway.
 */

/** Cumulative CPU time of the whole machine (the `cpu` line of /proc/stat), clock ticks. */
export interface CpuTimes {
  /** Every state: user, nice, system, idle, iowait, irq, softirq, steal. */
  total: number
  /** Time spent running something here: user, nice, system, irq, softirq (guest time is inside user and nice). */
  busy: number
  /** Time a hypervisor gave this machine's CPUs to someone else while they had work. */
  steal: number
}

/** One reading of the machine: load averages (1, 5, 15 min) and /proc/stat, null where there is no /proc. */
export interface MachineSample {
  atNs: bigint
  loadAvg: readonly [number, number, number]
  cpu: CpuTimes | null
}

/** One tick of the per-second sampler: the machine and the run's own processes read together. */
export interface SamplerTick {
  atNs: bigint
  machine: MachineSample
  /** The run's processes read in this tick (`harness`, `broker`, `spark`), by name. */
  processes: Readonly<Record<string, ProcessSample>>
}

/** Steal above this share of the CPU time means a hypervisor took a noticeable part of the cores (docs/method.md §1.7). */
export const maxStealRatio = 0.05
/**
 * Other processes using more than this share of the cores make the run's processes wait for a core: on the
 * 2-core machines the shipped scenarios are sized for, half a core (docs/method.md §1.7).
 */
export const maxOtherCpuShare = 0.25

/** Parses the aggregate `cpu` line of /proc/stat; null when the text has none. */
export function parseProcStat(text: string): CpuTimes | null {
  const line = /^cpu\s+([\d\s]+)$/m.exec(text)?.[1]
  if (line === undefined) return null
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = line.trim().split(/\s+/).map(Number)
  return { total: user + nice + system + idle + iowait + irq + softirq + steal, busy: user + nice + system + irq + softirq, steal }
}

/** Reads the machine now; `cpu` is null where /proc/stat cannot be read (not Linux). */
export function sampleMachine(): MachineSample {
  let cpu: CpuTimes | null = null
  try {
    cpu = parseProcStat(readFileSync('/proc/stat', 'utf8'))
  } catch {
    cpu = null
  }
  const [one = 0, five = 0, fifteen = 0] = loadavg()
  return { atNs: process.hrtime.bigint(), loadAvg: [one, five, fifteen], cpu }
}

/** CPU seconds the run's own processes used between two ticks. A process new in `b` (started or restarted in between) counts from its start. */
export function ownCpuSeconds(a: SamplerTick, b: SamplerTick): number {
  let seconds = 0
  for (const [name, after] of Object.entries(b.processes)) {
    const before = a.processes[name]
    seconds += before !== undefined && before.pid === after.pid ? Math.max(0, after.cpuSeconds - before.cpuSeconds) : after.cpuSeconds
  }
  return seconds
}

/** What one interval between two ticks says about the machine; null without /proc/stat or without time between them. */
export interface IntervalLoad {
  wallS: number
  busyCores: number
  stealRatio: number
  otherCores: number
}

export function intervalLoad(a: SamplerTick, b: SamplerTick, cores: number): IntervalLoad | null {
  const ca = a.machine.cpu
  const cb = b.machine.cpu
  const wallS = Number(b.atNs - a.atNs) / 1e9
  if (ca === null || cb === null || wallS <= 0) return null
  const total = cb.total - ca.total
  if (total <= 0) return null
  const busyCores = ((cb.busy - ca.busy) / total) * cores
  return { wallS, busyCores, stealRatio: (cb.steal - ca.steal) / total, otherCores: Math.max(0, busyCores - ownCpuSeconds(a, b) / wallS) }
}

/** The second before the run: load averages at its end, steal and CPU use over it. */
export function machineLoadBefore(a: SamplerTick, b: SamplerTick, cores: number): MachineLoadBefore {
  const load = intervalLoad(a, b, cores)
  const [one, five, fifteen] = b.machine.loadAvg
  return {
    window_s: Number(b.atNs - a.atNs) / 1e9,
    load_avg: { one, five, fifteen },
    steal_ratio: load?.stealRatio ?? null,
    cpu_busy_cores: load?.busyCores ?? null,
    other_cpu_cores: load?.otherCores ?? null,
  }
}

/**
 * The load phase [fromNs, toNs]: the 1-minute load average (mean and max of the ticks in it), steal, the machine's
 * busy cores and the other processes' cores (wall-time-weighted mean and the worst interval) over the intervals
 * between consecutive ticks inside it. Null with fewer than two ticks inside (the load hardly ran).
 */
export function machineLoadDuring(ticks: readonly SamplerTick[], fromNs: bigint, toNs: bigint, cores: number): MachineLoadDuring | null {
  const inside = ticks.filter((t) => t.atNs >= fromNs && t.atNs <= toNs)
  const first = inside[0]
  const last = inside.at(-1)
  if (first === undefined || last === undefined || inside.length < 2) return null
  const intervals = inside.slice(1).flatMap((t, i) => {
    const prev = inside[i]
    const load = prev === undefined ? null : intervalLoad(prev, t, cores)
    return load === null ? [] : [load]
  })
  const wallS = intervals.reduce((s, l) => s + l.wallS, 0)
  const meanMax = (pick: (l: IntervalLoad) => number): { mean: number | null; max: number | null } =>
    intervals.length === 0 || wallS <= 0 ? { mean: null, max: null } : { mean: intervals.reduce((s, l) => s + pick(l) * l.wallS, 0) / wallS, max: Math.max(...intervals.map(pick)) }
  const ones = inside.map((t) => t.machine.loadAvg[0])
  return {
    from_s: Number(first.atNs - fromNs) / 1e9,
    to_s: Number(last.atNs - fromNs) / 1e9,
    samples: inside.length,
    load_avg_1m: { mean: ones.reduce((s, v) => s + v, 0) / ones.length, max: Math.max(...ones) },
    steal_ratio: meanMax((l) => l.stealRatio),
    cpu_busy_cores: meanMax((l) => l.busyCores),
    other_cpu_cores: meanMax((l) => l.otherCores),
  }
}

const pct = (ratio: number): string => `${(ratio * 100).toFixed(1)} %`
const cores2 = (n: number): string => n.toFixed(2)

/**
 * Whether the machine was busy enough to colour the figures: steal above {@link maxStealRatio} in the second
 * before the run or over the load, or other processes' CPU above {@link maxOtherCpuShare} of the cores (in the
 * second before the run, or on average over the load). The load averages are recorded but decide nothing: they
 * count the run's own runnable threads (Spark alone keeps up to 4 busy on 2 cores) and, for a minute after it,
 * those of the run before (docs/method.md §1.7).
 */
export function machineBusy(load: MachineLoad): MachineBusy {
  const otherLimit = maxOtherCpuShare * load.cores
  const found: string[] = []
  const seen: string[] = []
  const judge = (when: string, steal: number | null, other: number | null): void => {
    if (steal === null || other === null) return
    seen.push(`${when}: other processes ${cores2(other)} cores, steal ${pct(steal)}`)
    if (steal > maxStealRatio) found.push(`CPU steal ${pct(steal)} ${when} (above ${pct(maxStealRatio)})`)
    if (other > otherLimit) found.push(`other processes used ${cores2(other)} cores ${when} (above ${cores2(otherLimit)}, a quarter of the ${load.cores} cores)`)
  }
  judge('in the second before the run', load.before?.steal_ratio ?? null, load.before?.other_cpu_cores ?? null)
  judge('on average over the load', load.during?.steal_ratio.mean ?? null, load.during?.other_cpu_cores.mean ?? null)
  if (found.length > 0) return { busy: true, reason: found.join('; ') }
  if (seen.length === 0) return { busy: false, reason: 'not measured: no /proc/stat readings before or during the load (not Linux, or the run stopped before its load)' }
  return { busy: false, reason: `${seen.join('; ')} (limits ${cores2(otherLimit)} cores, ${pct(maxStealRatio)})` }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/** Reads the machine and the harness over one second before anything of the run starts. */
export async function measureMachineBefore(cores: number, sampleHarness: () => ProcessSample | null): Promise<MachineLoadBefore> {
  const tick = (): SamplerTick => {
    const harness = sampleHarness()
    return { atNs: process.hrtime.bigint(), machine: sampleMachine(), processes: harness === null ? {} : { harness } }
  }
  const a = tick()
  await sleep(1000)
  return machineLoadBefore(a, tick(), cores)
}
