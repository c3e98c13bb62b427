import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { cassandraConfigProperty } from './cassandra-node.ts'

describe('the Cassandra node config URL', () => {
  it('names the file by its absolute path, also when the run folder was given relative to the working directory', () => {
    expect(cassandraConfigProperty('results/x/cassandra/cassandra.yaml')).toBe(`-Dcassandra.config=file://${resolve('results/x/cassandra/cassandra.yaml')}`)
    expect(cassandraConfigProperty('/tmp/run/cassandra.yaml')).toBe('-Dcassandra.config=file:///tmp/run/cassandra.yaml')
  })
})
