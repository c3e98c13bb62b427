import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { configurations, parseVary, resourceKnobs } from './grid.ts'
import { paceScenario } from './rate.ts'
import { parseSlo } from './slo.ts'

describe('--vary grid', () => {
  it('makes every combination, first knob slowest, with the overrides and settings of each', () => {
    const grid = configurations(parseVary(['trigger=1s,realtime', 'partitions=4,8', 'cores=2']))
    expect(grid.map((c) => c.label)).toEqual(['trigger=1s partitions=4 cores=2', 'trigger=1s partitions=8 cores=2', 'trigger=realtime partitions=4 cores=2', 'trigger=realtime partitions=8 cores=2'])
    expect(grid[0]).toMatchObject({ overrides: ['pipeline.trigger={ kind: processing-time, interval: 1s }', 'pipeline.partitions=4'], sparkThreads: 2, triggerIntervalMs: 1000 })
    expect(grid[2]).toMatchObject({ overrides: ['pipeline.trigger={ kind: real-time, checkpointInterval: 5s }', 'pipeline.partitions=4'], triggerIntervalMs: null })
    expect(configurations({})).toEqual([{ label: 'default', settings: {}, overrides: [] }])
  })
  it('passes dotted scenario keys through as --set values', () => {
    expect(configurations(parseVary(['pipeline.guarantee=exactly-once']))[0]?.overrides).toEqual(['pipeline.guarantee=exactly-once'])
  })
  it('maps the planner\'s Kafka knobs to the cluster and producer settings', () => {
    const grid = configurations(parseVary(['replication=3', 'min-insync=2', 'acks=1', 'linger=20ms', 'compression=gzip']))
    expect(grid[0]?.overrides).toEqual(['cluster.replicationFactor=3', 'cluster.minInsyncReplicas=2', 'load.producer.acks=1', 'load.producer.lingerMs=20', 'load.producer.compression=gzip'])
    expect(configurations(parseVary(['skew=0,0.3'])).map((c) => c.overrides)).toEqual([['load.hotPartitionShare=0'], ['load.hotPartitionShare=0.3']])
    expect(() => configurations(parseVary(['skew=2']))).toThrow(/share from 0 to 1/)
    expect(configurations(parseVary(['executors=2']))[0]?.overrides).toEqual(['spark.mode=standalone', 'spark.workers=2'])
    expect(() => configurations(parseVary(['acks=0']))).toThrow(/acks is all or 1/)
    expect(() => configurations(parseVary(['linger=fast']))).toThrow(/whole number of milliseconds/)
  })
  it('refuses unknown knobs, repeated knobs, bad values and a missing =, each with a fix', () => {
    expect(() => parseVary(['brokers=1,2'])).toThrow(/no such knob/)
    expect(() => parseVary(['partitions=4', 'partitions=8'])).toThrow(/given twice/)
    expect(() => parseVary(['partitions'])).toThrow(/not knob=value/)
    expect(() => configurations(parseVary(['partitions=0']))).toThrow(/whole numbers from 1/)
    expect(() => configurations(parseVary(['trigger=fast']))).toThrow(/not an interval or realtime/)
  })
  it('fits the USL only over resource knobs with three or more values', () => {
    expect(resourceKnobs(parseVary(['cores=1,2,3', 'partitions=4,8', 'trigger=1s,2s,3s']))).toEqual(['cores'])
  })
})

describe('--slo', () => {
  it('parses stream, percentile, operator and limit', () => {
    expect(parseSlo('rated p99<3000')).toMatchObject({ stream: 'rated', percentile: 99, operator: '<', limitMs: 3000 })
    expect(parseSlo(' bills p99.9 <= 5000ms ')).toMatchObject({ stream: 'bills', percentile: 99.9, operator: '<=', limitMs: 5000 })
  })
  it('refuses other forms, unknown streams and percentiles results.json does not carry', () => {
    expect(() => parseSlo('p99(rated)<3000')).toThrow(/not a latency SLO/)
    expect(() => parseSlo('billing p99<3000')).toThrow(/unknown latency stream 'billing'/)
    expect(() => parseSlo('rated p75<3000')).toThrow(/p75 is not a percentile/)
  })
})

describe('pacing a scenario to a rate', () => {
  const file = new URL('../../scenarios/rating-capacity.yaml', import.meta.url).pathname
  const text = readFileSync(file, 'utf8')
  it('finds the timeCompression and window that offer the rate over the wall seconds asked for', () => {
    for (const rate of [1000, 8000, 40_000]) {
      const paced = paceScenario(text, file, [], rate, 40)
      expect(Math.abs(paced.wallS - 40)).toBeLessThan(0.5)
      expect(Math.abs(paced.expectedEps / rate - 1)).toBeLessThan(0.01)
      expect(paced.overrides.at(-1)).toBe(`timeCompression=${paced.timeCompression}`)
    }
  })
  it('keeps load.rate for a scenario paced by it', () => {
    const byRate = text.replace(/^timeCompression: 12 .*$/m, '').replace(/^load:$/m, 'load:\n  rate: 1000/s')
    expect(byRate).toContain('  rate: 1000/s')
    const paced = paceScenario(byRate, file, [], 5000, 30)
    expect(paced.overrides.at(-1)).toBe('load.rate=5000/s')
    expect(Math.abs(paced.wallS - 30)).toBeLessThan(0.5)
  })
})
