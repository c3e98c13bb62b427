import { describe, expect, it } from 'vitest'
import { createEventStream, encodeValue, validateScenarioText, type ResolvedScenario, type Topic, type TruthKind, type TruthSink } from '../../generators/index.ts'
import type { OutRecord, Producer } from '../kafka/index.ts'
import { BookBuffer, InjectionTracker, InProcessLoad, replayBookPart, shardPacer, ShardTruthMerger, type LoadBook, type ShardPacerOptions } from './load-source.ts'

// Compressed so far that every event is due at once: the pacer runs flat out, as in the produce bench.
const yaml = `version: 1
name: load-source
seed: 5
startTime: "2026-01-09T17:00:00Z"
duration: 30m
timeCompression: 1000000
population: { subscribers: 2000 }
topology: { sites: 4 }
fraud:
  box: { kind: SIMBOX, share: 0.005, simsPerBox: 5 }
anomalies:
  storm: { kind: ALARM_STORM, startTime: 10m, duration: 5m, cells: [2, 3] }
badInput:
  exactDuplicates: 0.01
  resends: 0.01
  malformedJson: 0.01
  negativeDuration: 0.005
`

function scenario(): ResolvedScenario {
  const r = validateScenarioText(yaml, 'load-source.test.yaml')
  if (!r.ok) throw new Error(r.errors.map((e) => e.message).join('\n'))
  return r.scenario
}

/** A broker that acknowledges every send at once (unit test of the bookkeeping only; the real path is e2e-tested). */
function instantProducer(sent: OutRecord[]): () => Promise<Producer> {
  return () =>
    Promise.resolve({
      send: (_topic: string, records: OutRecord[]) => {
        sent.push(...records)
        return Promise.resolve()
      },
      close: () => Promise.resolve(),
    })
}

/** Every book call, as sortable lines (the order of two workers' calls is theirs, not the stream's). */
class RecordingBook implements LoadBook {
  readonly usage: string[] = []
  readonly handedByTopic = new Map<Topic, number>()
  readonly unparsable = new Map<string, string>()
  ackedRecords = 0
  unsent: string[] = []
  failedAttempts = 0
  handed(topic: Topic, count: number): void {
    this.handedByTopic.set(topic, (this.handedByTopic.get(topic) ?? 0) + count)
  }
  usageHanded(id: string, sendOffsetNs: number, unparsable: string | null): void {
    this.usage.push(`${id}|${sendOffsetNs}`)
    if (unparsable !== null) this.unparsable.set(unparsable, id)
  }
  acked(_topic: string, count: number): void {
    this.ackedRecords += count
  }
  usageUnsent(ids: string[]): void {
    this.unsent.push(...ids)
  }
  attemptFailed(): void {
    this.failedAttempts++
  }
}

class RecordingTruth implements TruthSink {
  readonly lines = new Map<TruthKind, string[]>()
  write(kind: TruthKind, record: object): void {
    const list = this.lines.get(kind) ?? []
    list.push(JSON.stringify(record))
    this.lines.set(kind, list)
  }
  sorted(): Record<string, string[]> {
    return Object.fromEntries([...this.lines].map(([kind, lines]) => [kind, [...lines].sort()]))
  }
}

// One clock origin for both ways (as every worker gets the run's runStartNs), so the encoded values match byte for byte.
const runStartNs = process.hrtime.bigint()
const options = (sent: OutRecord[]): ShardPacerOptions => ({ topicPrefix: 'tb.t.', runStartNs, warmupNs: 0n, newProducer: instantProducer(sent), signal: new AbortController().signal })

describe('load bookkeeping across generator workers', () => {
  it('keeps the same book and the same truth with two shards replayed from their parts as with one thread', async () => {
    const s = scenario()
    const oneBook = new RecordingBook()
    const oneTruth = new RecordingTruth()
    const oneSent: OutRecord[] = []
    const one = await new InProcessLoad((truth) => createEventStream(s, { truth }), encodeValue, oneTruth, options(oneSent), oneBook).run()

    // Two workers' code paths in one thread: each shard's pacer writes into a buffer; the parts, taken at
    // arbitrary moments, are replayed into one book, the truth goes through the shard merger.
    const twoBook = new RecordingBook()
    const twoTruth = new RecordingTruth()
    const merger = new ShardTruthMerger(twoTruth, 2)
    const twoSent: OutRecord[] = []
    let twoCount = 0
    for (const index of [0, 1]) {
      const buffer = new BookBuffer()
      const injections = new InjectionTracker(merger)
      const pacer = shardPacer(createEventStream(s, { shard: { index, count: 2 }, truth: injections }), encodeValue, injections, options(twoSent), buffer)
      const timer = setInterval(() => {
        const part = buffer.take()
        if (part !== null) replayBookPart(structuredClone(part), twoBook)
      }, 1)
      const r = await pacer.run()
      clearInterval(timer)
      const last = buffer.take()
      if (last !== null) replayBookPart(structuredClone(last), twoBook)
      twoCount += r.sent
    }
    merger.close()

    expect(one.sent).toBeGreaterThan(1000)
    expect(twoCount).toBe(one.sent)
    expect([...twoBook.usage].sort()).toEqual([...oneBook.usage].sort())
    expect(twoBook.handedByTopic).toEqual(oneBook.handedByTopic)
    expect(oneBook.unparsable.size).toBeGreaterThan(0)
    expect(twoBook.unparsable).toEqual(oneBook.unparsable)
    expect(twoBook.ackedRecords).toBe(oneBook.ackedRecords)
    expect(twoTruth.sorted()).toEqual(oneTruth.sorted())
    expect(twoTruth.lines.get('summary')).toEqual(oneTruth.lines.get('summary'))
    // The records on the wire are the same, emitNs included.
    const wire = (records: OutRecord[]): string[] => records.map((r) => `${r.key ?? ''}|${String(r.value)}`).sort()
    expect(wire(twoSent)).toEqual(wire(oneSent))
  })

  it('writes no whole-stream summary while a shard has not finished', () => {
    const truth = new RecordingTruth()
    const merger = new ShardTruthMerger(truth, 2)
    merger.write('summary', { scenario: 'x', seed: 1, shard: { index: 0, count: 2 }, events: 3, byTopic: { cdr: 3, pm: 0, alarms: 0 } })
    merger.close()
    expect(truth.lines.get('summary')).toBeUndefined()
  })

  it('hands over nothing when nothing happened since the last part', () => {
    const buffer = new BookBuffer()
    expect(buffer.take()).toBeNull()
    buffer.handed('pm', 2)
    expect(buffer.take()?.handed).toEqual([['pm', 2]])
    expect(buffer.take()).toBeNull()
  })
})
