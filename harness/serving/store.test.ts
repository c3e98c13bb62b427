import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { cassandraSchemaFile } from '../runtime/paths.ts'
import { nextReadAfterMiss, servedSampleEvery } from './served-sampler.ts'
import { keyspaceOf, parseContactPoint, schemaStatements } from './store.ts'

describe('the serving store client', () => {
  it('gives every run a keyspace of its own that Cassandra accepts', () => {
    expect(keyspaceOf('quickstart-20261130-141755-e435')).toBe('tb_20261130_141755_e435_quickstart')
    const long = keyspaceOf('a-very-long-scenario-name-that-goes-on-and-on-20261130-141755-e435')
    expect(long.length).toBeLessThanOrEqual(48)
    expect(long.startsWith('tb_20261130_141755_e435_')).toBe(true)
    expect(long).toMatch(/^[a-z][a-z0-9_]*[a-z0-9]$/)
  })

  it('creates the four tables of pipelines/cassandra/schema.cql, comments left out', () => {
    const statements = schemaStatements(readFileSync(cassandraSchemaFile, 'utf8'))
    expect(statements.map((s) => /CREATE TABLE IF NOT EXISTS (\w+)/.exec(s)?.[1])).toEqual(['rated_usage', 'bills', 'alerts', 'cell_kpis'])
    expect(statements.every((s) => !s.includes('--'))).toBe(true)
  })

  it('reads host:port contact points and refuses anything else with the fix', () => {
    expect(parseContactPoint('10.0.0.5:9042')).toEqual({ host: '10.0.0.5', port: 9042 })
    expect(() => parseContactPoint('10.0.0.5')).toThrow('is not a Cassandra contact point')
  })
})

describe('the served-latency sampler', () => {
  it('samples about ten records a second at the plan rate, every record when the rate is low', () => {
    expect(servedSampleEvery(254)).toBe(25)
    expect(servedSampleEvery(5)).toBe(1)
  })

  it('reads a missing record again after 100 ms, or a tenth of its wait once that is longer', () => {
    const emit = 1_000_000_000n
    expect(nextReadAfterMiss(emit, emit + 300_000_000n)).toBe(emit + 400_000_000n)
    expect(nextReadAfterMiss(emit, emit + 20_000_000_000n)).toBe(emit + 22_000_000_000n)
  })
})
