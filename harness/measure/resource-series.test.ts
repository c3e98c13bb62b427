import { describe, expect, it } from 'vitest'
import type { ProcessSample } from './proc.ts'
import { resourceSeries } from './resource-series.ts'

const s = 1_000_000_000n
const sample = (pid: number, atS: number, cpuSeconds: number, rssBytes = 100): ProcessSample => ({ pid, atMs: atS * 1000, atNs: BigInt(Math.round(atS * 1e9)), cpuSeconds, rssBytes })

describe('resourceSeries', () => {
  it('places samples in the second they fall in, with the CPU cores used since the previous sample', () => {
    const origin = 10n * s
    const series = resourceSeries({ spark: [sample(7, 9.5, 1), sample(7, 10.5, 2.5), sample(7, 11.5, 3), sample(7, 12.5, 3, 300)] }, origin)
    expect(series['spark']).toEqual([
      { t_s: 0, cpu_cores: 1.5, rss_bytes: 100 },
      { t_s: 1, cpu_cores: 0.5, rss_bytes: 100 },
      { t_s: 2, cpu_cores: 0, rss_bytes: 300 },
    ])
  })

  it('has no CPU figure for a restarted process until its second sample, and keeps the later sample of a second', () => {
    const series = resourceSeries({ broker: [sample(1, 0.1, 5), sample(1, 1.1, 6), sample(2, 2.25, 0.25), sample(2, 2.75, 0.75), sample(2, 3.75, 1.25)] }, 0n)
    expect(series['broker']).toEqual([
      { t_s: 0, cpu_cores: null, rss_bytes: 100 },
      { t_s: 1, cpu_cores: 1, rss_bytes: 100 },
      { t_s: 2, cpu_cores: 1, rss_bytes: 100 },
      { t_s: 3, cpu_cores: 0.5, rss_bytes: 100 },
    ])
  })

  it('leaves out a process without samples after the origin', () => {
    expect(resourceSeries({ harness: [sample(1, 1, 1)], broker: [] }, 5n * s)).toEqual({})
  })
})
