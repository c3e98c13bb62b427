import { describe, expect, it } from 'vitest'
import { TelcobenchError } from '../errors.ts'
import { deliveryOf } from './delivery.ts'
import { realTimeFits } from './preflight.ts'

describe('what a run promises about its outputs', () => {
  it('says that real-time mode is at-least-once with unde-duplicated rated records, and gives its checkpoint and billing intervals', () => {
    const d = deliveryOf({ engine: 'spark', trigger: { kind: 'real-time', checkpointIntervalMs: 5000, intervalMs: 2000 }, guarantee: 'at-least-once' })
    expect(d).toMatchObject({ trigger: 'real-time', checkpoint_interval_ms: 5000, interval_ms: 2000, guarantee: 'at-least-once' })
    expect(d.statement).toContain('not de-duplicated')
    expect(d.statement).toContain('billing query, de-duplicated and exact, every 2000 ms')
  })

  it('names the trigger interval of micro-batches and the transaction under exactly-once', () => {
    const d = deliveryOf({ engine: 'spark', trigger: { kind: 'processing-time', intervalMs: 1000 }, guarantee: 'exactly-once' })
    expect(d).toMatchObject({ trigger: 'processing-time', interval_ms: 1000, checkpoint_interval_ms: null })
    expect(d.statement).toContain('one Kafka transaction')
  })

  it('gives Flink its checkpoint interval whatever the scenario trigger', () => {
    const d = deliveryOf({ engine: 'flink', trigger: { kind: 'processing-time', intervalMs: 1000 }, guarantee: 'at-least-once' })
    expect(d).toMatchObject({ engine: 'flink', trigger: 'record-at-a-time', interval_ms: null, checkpoint_interval_ms: 1000 })
  })
})

describe('real-time mode and the cores it needs', () => {
  const rt = { engine: 'spark' as const, trigger: { kind: 'real-time' as const, checkpointIntervalMs: 5000, intervalMs: 0 } }
  it('refuses more partitions than cores on the local runtime, naming the fix', () => {
    expect(() => { realTimeFits('local', { ...rt, partitions: 4 }, 2); }).toThrow(TelcobenchError)
    expect(() => { realTimeFits('local', { ...rt, partitions: 4 }, 2); }).toThrow(/4 partitions on this machine's 2 cores/)
  })
  it('accepts one partition per core, micro-batch triggers, Flink, and clusters it cannot see', () => {
    expect(() => { realTimeFits('local', { ...rt, partitions: 2 }, 2); }).not.toThrow()
    expect(() => { realTimeFits('local', { ...rt, trigger: { kind: 'processing-time', intervalMs: 0 }, partitions: 8 }, 2); }).not.toThrow()
    expect(() => { realTimeFits('local', { ...rt, engine: 'flink', partitions: 8 }, 2); }).not.toThrow()
    expect(() => { realTimeFits('external', { ...rt, partitions: 8 }, 2); }).not.toThrow()
  })
})
