import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest'
import type { Consumer, ConsumerOptions, InRecord, KafkaClient } from '../kafka/index.ts'
import { LatencyRecorder } from '../measure/histograms.ts'
import { account } from '../score/accounting.ts'
import { OutputCollector, type OutputTopics } from './collector.ts'

const topics: OutputTopics = { rated: 'run-rated', bills: 'run-bills', alerts: 'run-alerts', dlq: 'run-dlq', progress: 'run-progress' }
const MS = 1_000_000

/** A consumer the test feeds by hand: `deliver` is one fetched batch; `fail` ends `run` with an error. */
class FakeConsumer implements Consumer {
  options: ConsumerOptions | null = null
  private onBatch: ((records: InRecord[]) => void) | null = null
  private finish: { resolve: () => void; reject: (error: Error) => void } | null = null
  private offset = 0n

  run(onBatch: (records: InRecord[]) => void): Promise<void> {
    this.onBatch = onBatch
    return new Promise((resolve, reject) => {
      this.finish = { resolve, reject }
    })
  }

  close(): Promise<void> {
    this.finish?.resolve()
    return Promise.resolve()
  }

  /** Delivers one batch received now; values are JSON-encoded unless given as text. */
  deliver(...records: { topic: string; value: object | string }[]): void {
    this.deliverReceived(process.hrtime.bigint(), ...records)
  }

  /** Delivers one batch whose fetch response arrived at `receivedNs`. */
  deliverReceived(receivedNs: bigint, ...records: { topic: string; value: object | string }[]): void {
    if (this.onBatch === null) throw new Error('deliver() before the collector started')
    this.onBatch(records.map(({ topic, value }) => ({ topic, partition: 0, offset: this.offset++, key: null, value: Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)), timestampMs: Date.now(), receivedNs })))
  }

  fail(error: Error): void {
    this.finish?.reject(error)
  }
}

const refuse = (): Promise<never> => Promise.reject(new Error('the collector only consumes'))

interface Setup {
  collector: OutputCollector
  consumer: FakeConsumer
}

/** A started collector whose origin lies 5.5 s back, so everything delivered now arrives in second 5. */
async function started(options: { readCommitted?: boolean; warmupNs?: bigint } = {}): Promise<Setup> {
  const consumer = new FakeConsumer()
  const client: KafkaClient = { kind: 'platformatic', producer: refuse, consumer: (o) => { consumer.options = o; return Promise.resolve(consumer) }, admin: refuse }
  const originNs = process.hrtime.bigint() - 5_500n * BigInt(MS)
  const collector = new OutputCollector(client, topics, options.readCommitted ?? false, originNs, options.warmupNs ?? 0n)
  await collector.start()
  return { collector, consumer }
}

const rated = (id: string, extra: { chargeSubunits?: number; subscriber?: string; emitNs?: number } = {}): { topic: string; value: object } => ({
  topic: topics.rated,
  value: { id, subscriber: extra.subscriber ?? '001010000000001', type: 'voice', eventTime: 0, emitNs: extra.emitNs ?? 0, chargeSubunits: extra.chargeSubunits ?? 100 },
})
const dlq = (reason: string, id: string | null, raw: string, emitNs = 0): { topic: string; value: object } => ({ topic: topics.dlq, value: { reason, detail: '', topic: 'cdr', partition: 0, offset: 0, id, emitNs, raw } })

/** A monotonic emitNs `agoMs` before now, as the pipeline copies it from the input record. */
const emittedAgo = (agoMs: number): number => Number(process.hrtime.bigint()) - agoMs * MS

let recordSpy: MockInstance<LatencyRecorder['record']>

beforeEach(() => {
  recordSpy = vi.spyOn(LatencyRecorder.prototype, 'record')
})

afterEach(() => {
  vi.restoreAllMocks()
})

/** Values recorded into the collector's `name` latency recorder: [latency ns, observed at]. */
function recorded(name: 'rated' | 'bills' | 'alerts' | 'dlq'): { valueNs: number; atNs: bigint }[] {
  const out: { valueNs: number; atNs: bigint }[] = []
  recordSpy.mock.calls.forEach(([valueNs, atNs], i) => {
    const recorder = recordSpy.mock.contexts[i]
    if (recorder instanceof LatencyRecorder && recorder.name === name) out.push({ valueNs, atNs })
  })
  return out
}

describe('OutputCollector', () => {
  it('reads every output topic from the beginning, read_committed only when asked', async () => {
    expect((await started({ readCommitted: true })).consumer.options).toEqual({ topics: [topics.rated, topics.bills, topics.alerts, topics.dlq, topics.progress], fromBeginning: true, readCommitted: true, maxWaitMs: 100 })
    expect((await started()).consumer.options?.readCommitted).toBe(false)
  })

  it('counts a rated id seen three times as two duplicate copies; the first copy keeps its charge and subscriber', async () => {
    const { collector, consumer } = await started()
    consumer.deliver(rated('a', { chargeSubunits: 100, subscriber: 's1' }), rated('b'))
    consumer.deliver(rated('a', { chargeSubunits: 999, subscriber: 's9' }), rated('a', { chargeSubunits: 999, subscriber: 's9' }))

    expect(collector.ratedCount).toEqual(new Map([['a', 3], ['b', 1]]))
    expect(collector.ratedRecords).toBe(4)
    expect(collector.distinctRated).toBe(2)
    expect(collector.ratedCharge.get('a')).toBe(100)
    expect(collector.ratedSubscriber.get('a')).toBe('s1')
    expect(collector.duplicateArrivalsS).toEqual([5, 5])
    expect(collector.timeline.outputs.rated.total).toBe(4)
    expect(collector.timeline.accounted.counts).toEqual(new Map([[5, 2]]))
    // The second batch held only copies: it accounted for nothing.
    expect(collector.outputArrivalsS).toHaveLength(1)
    expect(account({ generatedIds: ['a', 'b'], ratedCount: collector.ratedCount, dlqReasonById: new Map() })).toMatchObject({ generated: 2, rated_once: 1, duplicated: 1, duplicate_copies: 2, unexpected: 0 })
  })

  it('keeps rated ids the generator never sent, so accounting reports them as unexpected', async () => {
    const { collector, consumer } = await started()
    consumer.deliver(rated('a'), rated('ghost'))

    expect(collector.distinctRated).toBe(2)
    expect(account({ generatedIds: ['a', 'b'], ratedCount: collector.ratedCount, dlqReasonById: new Map() })).toMatchObject({ generated: 2, rated_once: 1, lost: 1, unexpected: 1 })
  })

  it('takes arrivals in any order: each latency runs from its own emitNs, each id is accounted once', async () => {
    const { collector, consumer } = await started()
    const emitted = { a: emittedAgo(300), b: emittedAgo(200), c: emittedAgo(100) }
    consumer.deliver(rated('c', { emitNs: emitted.c }), dlq('negative_value', 'x', '{"id":"x"}', emitted.c))
    const firstArrival = collector.lastOutputNs
    consumer.deliver(rated('a', { emitNs: emitted.a }), rated('c', { emitNs: emitted.c }), rated('b', { emitNs: emitted.b }))
    const secondArrival = collector.lastOutputNs

    expect(recorded('rated')).toEqual([
      { valueNs: Number(firstArrival) - emitted.c, atNs: firstArrival },
      { valueNs: Number(secondArrival) - emitted.a, atNs: secondArrival },
      { valueNs: Number(secondArrival) - emitted.c, atNs: secondArrival },
      { valueNs: Number(secondArrival) - emitted.b, atNs: secondArrival },
    ])
    expect(collector.timeline.accounted.total).toBe(4)
    expect(collector.duplicateArrivalsS).toEqual([5])
    expect(collector.outputArrivalsS).toHaveLength(2)
  })

  it('measures to the moment the reader received the record, not to when the handler ran', async () => {
    const { collector, consumer } = await started()
    const emitted = emittedAgo(300)
    const receivedNs = BigInt(emitted) + 120n * BigInt(MS)
    consumer.deliverReceived(receivedNs, rated('a', { emitNs: emitted }))

    expect(recorded('rated')).toEqual([{ valueNs: 120 * MS, atNs: receivedNs }])
    expect(collector.lastOutputNs).toBe(receivedNs)
  })

  it('keeps the last bill to arrive per subscriber', async () => {
    const { collector, consumer } = await started()
    consumer.deliver({ topic: topics.bills, value: { subscriber: 's1', records: 1, chargeSubunits: 100 } }, { topic: topics.bills, value: { subscriber: 's2', records: 1, chargeSubunits: 50 } })
    consumer.deliver({ topic: topics.bills, value: { subscriber: 's1', records: 2, chargeSubunits: 250 } })

    expect(collector.bills.get('s1')).toEqual({ subscriber: 's1', records: 2, chargeSubunits: 250 })
    expect(collector.bills.size).toBe(2)
    expect(collector.timeline.outputs.bills.total).toBe(3)
    expect(collector.timeline.accounted.total).toBe(0)
    expect(collector.outputArrivalsS).toEqual([])
  })

  it('keeps DLQ records with their reason, id (null when the input had none) and raw bytes', async () => {
    const { collector, consumer } = await started()
    consumer.deliver(dlq('negative_value', 'n1', '{"id":"n1"}', emittedAgo(50)), dlq('malformed_json', null, '{not json'), { topic: topics.dlq, value: { reason: 'oversized' } })

    expect(collector.dlq).toEqual([
      { reason: 'negative_value', id: 'n1', raw: '{"id":"n1"}' },
      { reason: 'malformed_json', id: null, raw: '{not json' },
      { reason: 'oversized', id: null, raw: '' },
    ])
    expect(collector.timeline.outputs.dlq.total).toBe(3)
    expect(collector.timeline.accounted.total).toBe(3)
    // Only the record that carried emitNs has a latency.
    expect(recorded('dlq')).toHaveLength(1)
  })

  it('accounts a usage record once however many DLQ copies of it arrive (replays, duplicated late records)', async () => {
    const { collector, consumer } = await started()
    consumer.deliver(dlq('late', 'l1', '{"id":"l1"}'), dlq('malformed_json', null, '{bad'))
    consumer.deliver(dlq('late', 'l1', '{"id":"l1"}'), dlq('malformed_json', null, '{bad'))
    consumer.deliver(rated('r1'), dlq('late', 'r1', '{"id":"r1"}'))

    expect(collector.dlq).toHaveLength(5)
    expect(collector.timeline.outputs.dlq.total).toBe(5)
    expect(collector.timeline.accounted.total).toBe(3)
    expect(collector.accounted).toBe(3)
    // The replayed batch accounted for nothing new.
    expect(collector.outputArrivalsS).toHaveLength(2)
  })

  it('measures every stream from the emitNs its record carries to the arrival, warm-up starts apart', async () => {
    const { collector, consumer } = await started({ warmupNs: 5_000n * BigInt(MS) })
    const afterWarmup = emittedAgo(250)
    const duringWarmup = emittedAgo(900)
    consumer.deliver(
      rated('a', { emitNs: afterWarmup }),
      rated('b', { emitNs: duringWarmup }),
      rated('c'),
      { topic: topics.bills, value: { subscriber: 's1', records: 1, chargeSubunits: 1, maxEmitNs: afterWarmup } },
      { topic: topics.alerts, value: { alertId: 'x', kind: 'SIMBOX', entityType: 'subscriber', entity: 's1', windowStart: 0, windowEnd: 0, score: 1, evidenceIds: ['a'], maxEmitNs: afterWarmup } },
      dlq('bad_imsi', 'd', '{}', afterWarmup),
    )
    const arrival = collector.lastOutputNs

    expect(recorded('rated')).toEqual([{ valueNs: Number(arrival) - afterWarmup, atNs: arrival }, { valueNs: Number(arrival) - duringWarmup, atNs: arrival }])
    for (const stream of ['bills', 'alerts', 'dlq'] as const) expect(recorded(stream)).toEqual([{ valueNs: Number(arrival) - afterWarmup, atNs: arrival }])
    expect(collector.latency.rated.whole.totalCount).toBe(1)
    expect(collector.latency.rated.warmup.totalCount).toBe(1)
    expect(collector.alerts).toEqual([expect.objectContaining({ alertId: 'x', seenNs: Number(arrival) })])
  })

  it('counts output that is not a JSON object per topic and keeps progress events in order', async () => {
    const { collector, consumer } = await started()
    consumer.deliver({ topic: topics.rated, value: '{truncated' }, { topic: topics.rated, value: '42' }, { topic: topics.bills, value: 'null' }, { topic: topics.progress, value: { batchId: 1 } }, { topic: topics.progress, value: { batchId: 2 } })

    expect(collector.unparsable).toEqual(new Map([[topics.rated, 2], [topics.bills, 1]]))
    expect(collector.ratedRecords).toBe(0)
    expect(collector.progress).toEqual([{ batchId: 1 }, { batchId: 2 }])
    expect(collector.cost).toMatchObject({ batches: 1, records: 5 })
  })

  it('records why the output consumer stopped instead of rejecting, and still stops cleanly', async () => {
    const { collector, consumer } = await started()
    consumer.deliver(rated('a'))
    consumer.fail(new Error('fetch failed: broker gone'))
    await collector.stop()

    expect(collector.readFailure).toBe('at 6 s: fetch failed: broker gone')
    expect(collector.distinctRated).toBe(1)
  })

  it('stop() closes the consumer and waits for it to finish', async () => {
    const { collector, consumer } = await started()
    const close = vi.spyOn(consumer, 'close')
    await collector.stop()

    expect(close).toHaveBeenCalledTimes(1)
    expect(collector.readFailure).toBeNull()
  })
})
