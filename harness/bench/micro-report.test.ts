import { describe, expect, it } from 'vitest'
import { benchFile, benchFileName, formatTable, itemsPerS, significant, tableRows, type MicroTaskFigures } from './micro-report.ts'

const encode: MicroTaskFigures = {
  name: 'encode 1,000 events',
  itemsPerOp: 1000,
  opsPerS: { mean: 11762.1, rmePct: 0.374 },
  latencyMs: { mean: 0.1104, rmePct: 10.642, p50: 0.09, p75: 0.0946, p99: 0.508, min: 0.08, max: 2.5 },
  samples: 9065,
}
const generate: MicroTaskFigures = {
  name: 'generate 1,000 events',
  itemsPerOp: 1000,
  opsPerS: { mean: 150.386, rmePct: 17.81 },
  latencyMs: { mean: 18.049, rmePct: 34.48, p50: 12, p75: 16.462, p99: 104.155, min: 5, max: 120 },
  samples: 64,
}

describe('micro-benchmark report', () => {
  it('gives items per second as the batch over the mean time of an operation', () => {
    expect(itemsPerS(encode)).toBeCloseTo(9_057_971.0145, 3)
    expect(itemsPerS(generate)).toBeCloseTo(55_404.7316, 3)
  })

  it('rounds figures to three significant digits with thousands separators', () => {
    expect([significant(150.386), significant(0.0946), significant(11762.1), significant(104155), significant(0)]).toEqual(['150', '0.0946', '11,762', '104,155', '0'])
  })

  it('prints ops/s and the mean with their relative margins of error, p75 and p99 in µs, samples and items/s', () => {
    expect(tableRows([encode, generate])).toEqual([
      ['task', 'items/op', 'ops/s ± rme', 'mean µs ± rme', 'p75 µs', 'p99 µs', 'samples', 'items/s'],
      ['encode 1,000 events', '1,000', '11,762 ± 0.37 %', '110 ± 10.64 %', '94.6', '508', '9,065', '9,057,971'],
      ['generate 1,000 events', '1,000', '150 ± 17.81 %', '18,049 ± 34.48 %', '16,462', '104,155', '64', '55,405'],
    ])
  })

  it('aligns text left and figures right under a rule', () => {
    expect(formatTable([['task', 'n'], ['a', '1,000'], ['longer', '7']]).split('\n')).toEqual(['task        n', '──────  ─────', 'a       1,000', 'longer      7'])
  })

  it('writes snake_case keys with the machine and its load average', () => {
    const file = benchFile([encode], { node: 'v20.20.2', cpus: 2, cpuModel: 'Xeon', loadAverage1m: { start: 6.49, end: 6.29 } }, new Date('2026-11-30T11:42:09.500Z'))
    expect(file).toEqual({
      kind: 'telcobench-micro-bench',
      created_at: '2026-11-30T11:42:09.500Z',
      machine: { node: 'v20.20.2', cpus: 2, cpu_model: 'Xeon', load_average_1m: { start: 6.49, end: 6.29 } },
      tasks: [{ name: 'encode 1,000 events', items_per_op: 1000, ops_per_s: { mean: 11762.1, rme_pct: 0.374 }, latency_ms: { mean: 0.1104, rme_pct: 10.642, p50: 0.09, p75: 0.0946, p99: 0.508, min: 0.08, max: 2.5 }, samples: 9065, items_per_s: 1000 / 0.0001104 }],
    })
  })

  it('names the file by the UTC time, sortable like run ids', () => {
    expect(benchFileName(new Date('2026-11-30T11:42:09.500Z'))).toBe('micro-20261130-114209.json')
  })
})
