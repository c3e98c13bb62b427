import { describe, expect, it } from 'vitest'
import type { MachineLoad } from '../results/index.ts'
import { intervalLoad, machineBusy, machineLoadBefore, machineLoadDuring, ownCpuSeconds, parseProcStat, type CpuTimes, type SamplerTick } from './machine-load.ts'
import type { ProcessSample } from './proc.ts'

const s = 1_000_000_000n

/** A tick at `atS` seconds: machine CPU ticks and the run's processes' cumulative CPU seconds by name (pid 1 unless given). */
function tick(atS: number, cpu: CpuTimes | null, processes: Record<string, number | { pid: number; cpuSeconds: number }> = {}, loadAvg1 = 1): SamplerTick {
  const atNs = BigInt(atS) * s
  const sample = (value: number | { pid: number; cpuSeconds: number }): ProcessSample => {
    const { pid, cpuSeconds } = typeof value === 'number' ? { pid: 1, cpuSeconds: value } : value
    return { pid, atMs: atS * 1000, atNs, cpuSeconds, rssBytes: 0 }
  }
  return { atNs, machine: { atNs, loadAvg: [loadAvg1, 0.5, 0.25], cpu }, processes: Object.fromEntries(Object.entries(processes).map(([name, v]) => [name, sample(v)])) }
}

describe('/proc/stat', () => {
  it('reads busy, steal and total clock ticks from the aggregate cpu line', () => {
    const text = 'cpu  100 5 40 800 20 3 2 30 7 0\ncpu0 50 2 20 400 10 1 1 15 3 0\nintr 123\n'
    // guest (7) is already inside user; idle and iowait are not busy; steal is someone else's.
    expect(parseProcStat(text)).toEqual({ total: 1000, busy: 150, steal: 30 })
    expect(parseProcStat('intr 1 2 3\n')).toBeNull()
  })
})

describe('one interval between two ticks', () => {
  it('splits the machine busy cores into the run own processes and the others', () => {
    // 2 cores for 1 s = 200 ticks; 150 of them busy = 1.5 cores; the run used 0.25 + 0.75 s; 20 ticks stolen.
    const a = tick(0, { total: 1000, busy: 300, steal: 0 }, { harness: 10, spark: 5 })
    const b = tick(1, { total: 1200, busy: 450, steal: 20 }, { harness: 10.25, spark: 5.75 })
    expect(intervalLoad(a, b, 2)).toEqual({ wallS: 1, busyCores: 1.5, stealRatio: 0.1, otherCores: 0.5 })
    expect(intervalLoad(tick(0, null), tick(1, null), 2)).toBeNull()
  })

  it('counts a process restarted in between from its start, and one that ended not at all', () => {
    const a = tick(0, null, { broker: { pid: 7, cpuSeconds: 50 }, spark: 20 })
    const b = tick(1, null, { broker: { pid: 8, cpuSeconds: 0.6 } })
    expect(ownCpuSeconds(a, b)).toBe(0.6)
    expect(ownCpuSeconds(tick(0, null, { harness: 1 }), tick(1, null, { harness: 1.25, spark: 0.5 }))).toBe(0.75)
  })

  it('records the second before the run with the load averages at its end', () => {
    expect(machineLoadBefore(tick(0, { total: 0, busy: 0, steal: 0 }, { harness: 1 }, 0.2), tick(1, { total: 200, busy: 100, steal: 2 }, { harness: 1.25 }, 0.4), 2)).toEqual({
      window_s: 1,
      load_avg: { one: 0.4, five: 0.5, fifteen: 0.25 },
      steal_ratio: 0.01,
      cpu_busy_cores: 1,
      other_cpu_cores: 0.75,
    })
  })
})

describe('the load phase', () => {
  it('weights the mean by wall time, keeps the worst interval and leaves out ticks outside the phase', () => {
    const ticks = [
      tick(0, { total: 0, busy: 0, steal: 0 }, {}, 9),
      tick(10, { total: 1000, busy: 500, steal: 0 }, {}, 1),
      tick(11, { total: 1200, busy: 700, steal: 0 }, {}, 2),
      // 2 s with 100 of 400 ticks busy: 0.5 cores; 40 stolen.
      tick(13, { total: 1600, busy: 800, steal: 40 }, {}, 3),
      tick(20, { total: 9000, busy: 9000, steal: 0 }, {}, 9),
    ]
    const during = machineLoadDuring(ticks, 10n * s, 13n * s, 2)
    expect(during).toEqual({
      from_s: 0,
      to_s: 3,
      samples: 3,
      load_avg_1m: { mean: 2, max: 3 },
      steal_ratio: { mean: (0 * 1 + 0.1 * 2) / 3, max: 0.1 },
      cpu_busy_cores: { mean: (2 * 1 + 0.5 * 2) / 3, max: 2 },
      other_cpu_cores: { mean: (2 * 1 + 0.5 * 2) / 3, max: 2 },
    })
    expect(machineLoadDuring(ticks.slice(0, 2), 10n * s, 13n * s, 2)).toBeNull()
  })
})

describe('a busy machine', () => {
  const quiet: MachineLoad = {
    cores: 2,
    before: { window_s: 1, load_avg: { one: 6, five: 6, fifteen: 6 }, steal_ratio: 0.01, cpu_busy_cores: 0.2, other_cpu_cores: 0.1 },
    during: { from_s: 0, to_s: 30, samples: 31, load_avg_1m: { mean: 4, max: 5 }, steal_ratio: { mean: 0.02, max: 0.3 }, cpu_busy_cores: { mean: 1.8, max: 2 }, other_cpu_cores: { mean: 0.5, max: 1.5 } },
  }

  it('is not decided by the load averages or by one bad second during the load', () => {
    expect(machineBusy(quiet)).toEqual({ busy: false, reason: 'in the second before the run: other processes 0.10 cores, steal 1.0 %; on average over the load: other processes 0.50 cores, steal 2.0 % (limits 0.50 cores, 5.0 %)' })
  })

  it('is other processes above a quarter of the cores, or steal above 5 %, before or during the load', () => {
    const before = quiet.before
    const during = quiet.during
    if (before === null || during === null) throw new Error('fixture')
    expect(machineBusy({ ...quiet, before: { ...before, other_cpu_cores: 0.75 } })).toEqual({ busy: true, reason: 'other processes used 0.75 cores in the second before the run (above 0.50, a quarter of the 2 cores)' })
    expect(machineBusy({ ...quiet, during: { ...during, steal_ratio: { mean: 0.06, max: 0.1 }, other_cpu_cores: { mean: 0.51, max: 1 } } })).toEqual({
      busy: true,
      reason: 'CPU steal 6.0 % on average over the load (above 5.0 %); other processes used 0.51 cores on average over the load (above 0.50, a quarter of the 2 cores)',
    })
    expect(machineBusy({ ...quiet, cores: 4, before: { ...before, steal_ratio: 0.051 } })).toEqual({ busy: true, reason: 'CPU steal 5.1 % in the second before the run (above 5.0 %)' })
  })

  it('is not measured without /proc/stat', () => {
    expect(machineBusy({ cores: 2, before: { window_s: 1, load_avg: { one: 0, five: 0, fifteen: 0 }, steal_ratio: null, cpu_busy_cores: null, other_cpu_cores: null }, during: null }).busy).toBe(false)
  })
})
