import { describe, expect, it } from 'vitest'
import type { Results } from '../../harness/results/index.ts'
import { servingSentences } from './serving.ts'

const serving: NonNullable<Results['serving']> = {
  store: 'cassandra',
  contact_point: '127.0.0.1:9042',
  keyspace: 'tb_20261130_141755_e435_quickstart',
  billing: {
    subscribers: 1481,
    bill_exact_match_ratio: 1,
    expected_minor: 119613,
    billed_minor: 119613,
    leakage_ratio: 0,
    overbilling_ratio: 0,
    billing_error_ratio: 0,
    bills_topic: { subscribers: 1481, agree: 1481, differ: 0, store_only: 0 },
    rated_rows: { in_store: 7500, rated_on_topic: 7500, missing_from_store: 0, not_on_topic: 0 },
  },
  read_error: null,
  served_sampling: { sample_every: 25, poll_ms: 100, sampled: 300, read_back: 300, never_read: 0, reads: 4000, read_errors: 0 },
}

describe('the serving store in the summaries', () => {
  it('says where the store was, whether its bills are exact, how it compares with Kafka and what the sampling did', () => {
    const lines = servingSentences({ serving } as Results)
    expect(lines[0]).toBe('Cassandra 127.0.0.1:9042 · keyspace tb_20261130_141755_e435_quickstart')
    expect(lines[1]).toContain('exact 100.00 % of 1,481 subscribers')
    expect(lines[1]).toContain('leakage 0.00 % · overbilling 0.00 %')
    expect(lines[2]).toContain('7,500 in the store for 7,500 rated on Kafka · 0 missing')
    expect(lines[3]).toBe('served latency: 300 records sampled (1 in 25) · 300 read back · 0 never · 4,000 reads (0 failed)')
  })

  it('names the read error, and says nothing for a run without a store', () => {
    expect(servingSentences({ serving: { ...serving, billing: null, read_error: 'NoHostAvailableError' } } as Results)[1]).toBe('the store could not be read at the end: NoHostAvailableError')
    expect(servingSentences({ serving: null } as Results)).toEqual([])
  })
})
