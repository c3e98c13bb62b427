import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest'
import type { Producer } from '../kafka/index.ts'
import { LatencyRecorder } from '../measure/histograms.ts'
import { OpenLoopPacer, type PacedEvent, type PacerOptions } from './pacer.ts'

const MS = 1_000_000
/**
 * How far a send may lag its intended time on an idle producer. The test machine has 2 cores shared with
 * other work (load averages above 10 were seen): one event-loop stall can hold a send up by tens of ms.
 */
const ON_TIME_MS = 100
/** The median lag over a schedule: timer granularity, not stalls. */
const TYPICAL_LAG_MS = 10

/** One send call as the fake producer saw it. */
interface SendCall {
  session: number
  topic: string
  ids: string[]
  keys: (string | null)[]
  calledNs: bigint
  /** When the fake resolved or rejected it (null while pending). */
  settledNs: bigint | null
}

const delay = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

/** Producer sessions whose sends settle as `answer` decides; every call, open and close is recorded. */
class FakeProducers {
  readonly calls: SendCall[] = []
  /** 'open N' / 'close N' in the order they happened. */
  readonly log: string[] = []
  private sessions = 0
  private readonly answer: (call: SendCall) => Promise<void>

  constructor(answer: (call: SendCall) => Promise<void>) {
    this.answer = answer
  }

  readonly newProducer = (): Promise<Producer> => {
    const session = ++this.sessions
    this.log.push(`open ${session}`)
    const pending = new Set<Promise<void>>()
    let closed = false
    const producer: Producer = {
      send: (topic, records) => {
        const call: SendCall = { session, topic, ids: records.map((r) => (typeof r.value === 'string' ? r.value : r.value.toString('utf8'))), keys: records.map((r) => r.key), calledNs: process.hrtime.bigint(), settledNs: null }
        this.calls.push(call)
        if (closed) return Promise.reject(new Error(`send on closed session ${session}`))
        const settled = this.answer(call).finally(() => {
          call.settledNs = process.hrtime.bigint()
        })
        const tracked = settled.then(() => undefined, () => undefined).finally(() => pending.delete(tracked))
        pending.add(tracked)
        return settled
      },
      // Like the real clients: close waits for the sends in flight.
      close: async () => {
        closed = true
        await Promise.allSettled([...pending])
        this.log.push(`close ${session}`)
      },
    }
    return Promise.resolve(producer)
  }

  idsOf(session: number): string[] {
    return this.calls.filter((c) => c.session === session).flatMap((c) => c.ids)
  }

  callOf(id: string): SendCall {
    const call = this.calls.find((c) => c.ids.includes(id))
    if (call === undefined) throw new Error(`${id} was never sent`)
    return call
  }
}

const event = (id: string, offsetMs: number, topic = 'cdr'): PacedEvent => ({ topic, key: id, id, sendOffsetNs: offsetMs * MS })

/** Events e0…e(n-1), one every `stepMs`. */
const everyMs = (n: number, stepMs: number): PacedEvent[] => Array.from({ length: n }, (_, i) => event(`e${i}`, i * stepMs))

interface Setup {
  pacer: OpenLoopPacer<PacedEvent>
  /** Monotonic ns at which the event was meant to be sent. */
  intended: (id: string) => bigint
}

function pacerFor(events: PacedEvent[], producers: FakeProducers, options: Partial<PacerOptions<PacedEvent>> = {}): Setup {
  const runStartNs = process.hrtime.bigint() + 20n * BigInt(MS)
  const offsets = new Map(events.map((e) => [e.id ?? '', e.sendOffsetNs]))
  const pacer = new OpenLoopPacer<PacedEvent>({ events, encode: (e) => e.id ?? '', topicName: (suffix) => `run-${suffix}`, newProducer: producers.newProducer, runStartNs, ...options })
  const intended = (id: string): bigint => {
    const offsetNs = offsets.get(id)
    if (offsetNs === undefined) throw new Error(`no event ${id} in this schedule`)
    return runStartNs + BigInt(offsetNs)
  }
  return { pacer, intended }
}

/** One value a LatencyRecorder was given, with the start it implies (observed time − latency). */
interface Recorded {
  valueNs: number
  atNs: bigint
  startedNs: bigint
}

let recordSpy: MockInstance<LatencyRecorder['record']>

beforeEach(() => {
  recordSpy = vi.spyOn(LatencyRecorder.prototype, 'record')
})

afterEach(() => {
  vi.restoreAllMocks()
})

/** Every value recorded into the pacer's `name` recorder, in recording order. */
function recorded(name: 'schedule_delay' | 'produce_service' | 'produce_response'): Recorded[] {
  const out: Recorded[] = []
  recordSpy.mock.calls.forEach(([valueNs, atNs], i) => {
    const recorder = recordSpy.mock.contexts[i]
    if (recorder instanceof LatencyRecorder && recorder.name === name) out.push({ valueNs, atNs, startedNs: atNs - BigInt(Math.round(valueNs)) })
  })
  return out
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN

const sortedNs = (values: bigint[]): bigint[] => [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))

describe('OpenLoopPacer', () => {
  it('holds the schedule: every event goes out at its intended time, never before it', async () => {
    const producers = new FakeProducers(() => delay(1))
    const events = everyMs(20, 10)
    const { pacer, intended } = pacerFor(events, producers)
    const report = await pacer.run()

    expect(producers.calls.flatMap((c) => c.ids)).toEqual(events.map((e) => e.id))
    for (const e of events) {
      const lagNs = producers.callOf(e.id ?? '').calledNs - intended(e.id ?? '')
      expect(lagNs).toBeGreaterThanOrEqual(0n)
      expect(Number(lagNs) / MS).toBeLessThan(ON_TIME_MS)
    }
    // A noisy neighbour may hold up one or two sends; the schedule itself must not drift.
    expect(median(events.map((e) => Number(producers.callOf(e.id ?? '').calledNs - intended(e.id ?? '')) / MS))).toBeLessThan(TYPICAL_LAG_MS)
    const delays = recorded('schedule_delay')
    expect(sortedNs(delays.map((d) => d.startedNs))).toEqual(events.map((e) => intended(e.id ?? '')))
    for (const d of delays) expect(d.valueNs / MS).toBeLessThan(ON_TIME_MS)
    expect(report).toMatchObject({ sent: 20, sendErrors: 0, sendRetries: 0, producerSessions: 1 })
    expect(report.scheduleDelay.whole.totalCount).toBe(20)
    expect(report.produceService.whole.totalCount).toBe(20)
    expect(report.produceResponse.whole.totalCount).toBe(20)
    expect(producers.calls.every((c) => c.settledNs !== null)).toBe(true)
    expect(producers.log).toEqual(['open 1', 'close 1'])
  })

  it('never waits for an ack before the next send: a stalled producer does not delay the schedule', async () => {
    let openedNs = 0n
    const gate = delay(700).then(() => {
      openedNs = process.hrtime.bigint()
    })
    const producers = new FakeProducers(() => gate)
    const events = everyMs(15, 40)
    const { pacer, intended } = pacerFor(events, producers, { maxInflight: 64 })
    const report = await pacer.run()

    expect(producers.calls.flatMap((c) => c.ids)).toEqual(events.map((e) => e.id))
    for (const e of events) {
      const call = producers.callOf(e.id ?? '')
      expect(call.calledNs).toBeLessThan(openedNs)
      expect(Number(call.calledNs - intended(e.id ?? '')) / MS).toBeLessThan(ON_TIME_MS)
    }
    expect(recorded('schedule_delay').every((d) => d.valueNs / MS < ON_TIME_MS)).toBe(true)
    // Response time runs from the intended time to the ack: the event scheduled at 0 waited the whole stall.
    const responses = recorded('produce_response')
    expect(sortedNs(responses.map((r) => r.startedNs))).toEqual(events.map((e) => intended(e.id ?? '')))
    for (const r of responses) expect(r.atNs).toBeGreaterThanOrEqual(openedNs)
    const first = responses.find((r) => r.startedNs === intended('e0'))
    expect(first?.valueNs).toBeGreaterThanOrEqual(Number(openedNs - intended('e0')))
    expect(report).toMatchObject({ sent: 15, sendErrors: 0, sendRetries: 0 })
  })

  it('counts late sends from their intended time when a stall fills every in-flight slot (no coordinated omission)', async () => {
    const producers = new FakeProducers((call) => delay(call.ids.includes('e0') ? 400 : 1))
    // e1, e2 and e3 fall due while e0's send is stalled and the only in-flight slot is taken.
    const events = [event('e0', 0), event('e1', 100), event('e2', 200), event('e3', 280), event('e4', 500), event('e5', 600)]
    const { pacer, intended } = pacerFor(events, producers, { maxInflight: 1 })
    const report = await pacer.run()

    const stallEndNs = producers.callOf('e0').settledNs ?? 0n
    const delays = recorded('schedule_delay')
    expect(delays).toHaveLength(6)
    const delayOf = (id: string): Recorded => {
      const found = delays.find((d) => d.startedNs === intended(id))
      if (found === undefined) throw new Error(`no schedule delay measured from ${id}'s intended time`)
      return found
    }
    for (const id of ['e1', 'e2', 'e3']) {
      expect(producers.callOf(id).calledNs).toBeGreaterThanOrEqual(stallEndNs)
      expect(delayOf(id).valueNs).toBeGreaterThanOrEqual(Number(stallEndNs - intended(id)))
    }
    expect(delayOf('e1').valueNs / MS).toBeGreaterThanOrEqual(300)
    for (const id of ['e0', 'e4', 'e5']) expect(delayOf(id).valueNs / MS).toBeLessThan(ON_TIME_MS)
    expect(delays.filter((d) => d.valueNs / MS >= ON_TIME_MS)).toHaveLength(3)
    expect(report.scheduleDelay.whole.totalCount).toBe(6)
    expect(report.scheduleDelay.whole.maxValue).toBeGreaterThanOrEqual(300_000)

    const responses = recorded('produce_response')
    expect(sortedNs(responses.map((r) => r.startedNs))).toEqual(events.map((e) => intended(e.id ?? '')))
    const responseOf = (id: string): number => responses.find((r) => r.startedNs === intended(id))?.valueNs ?? 0
    expect(responseOf('e1')).toBeGreaterThanOrEqual(delayOf('e1').valueNs)
    expect(report).toMatchObject({ sent: 6, sendErrors: 0, sendRetries: 0 })
  })

  it('sends the batch after a restart request through a new session, after the old one closed with its sends acked', async () => {
    const producers = new FakeProducers(() => delay(30))
    const events = everyMs(10, 10)
    const setup: { pacer: OpenLoopPacer<PacedEvent> | null } = { pacer: null }
    const { pacer } = pacerFor(events, producers, {
      onSent: (e) => {
        if (e.id === 'e4') setup.pacer?.requestProducerRestart()
      },
    })
    setup.pacer = pacer
    const report = await pacer.run()

    expect(producers.idsOf(1)).toEqual(['e0', 'e1', 'e2', 'e3'])
    expect(producers.idsOf(2)).toEqual(['e4', 'e5', 'e6', 'e7', 'e8', 'e9'])
    expect(producers.log).toEqual(['open 1', 'close 1', 'open 2', 'close 2'])
    expect(producers.calls.every((c) => c.settledNs !== null)).toBe(true)
    expect(report).toMatchObject({ sent: 10, sendErrors: 0, sendRetries: 0, producerSessions: 2 })
    expect(report.produceResponse.whole.totalCount).toBe(10)
  })

  it('re-sends a failed batch until the broker takes it; response time still runs from the intended time', async () => {
    let attempts = 0
    const producers = new FakeProducers(() => (++attempts <= 2 ? Promise.reject(new Error('broker down')) : Promise.resolve()))
    const acks: { topic: string; count: number }[] = []
    const { pacer, intended } = pacerFor([event('e0', 0), event('e1', 0)], producers, { onAcked: (topic, count) => acks.push({ topic, count }) })
    const report = await pacer.run()

    expect(producers.calls.map((c) => c.ids)).toEqual([['e0', 'e1'], ['e0', 'e1'], ['e0', 'e1']])
    expect(report).toMatchObject({ sent: 2, sendErrors: 0, sendRetries: 4, producerSessions: 1 })
    expect(acks).toEqual([{ topic: 'run-cdr', count: 2 }])
    const responses = recorded('produce_response')
    expect(responses.map((r) => r.startedNs)).toEqual([intended('e0'), intended('e1')])
    // Two 500 ms back-offs lie between the intended time and the ack.
    for (const r of responses) expect(r.valueNs / MS).toBeGreaterThanOrEqual(1000)
  })

  it('opens another session when opening one failed (broker down at a generator restart), and sends through it', async () => {
    const producers = new FakeProducers(() => Promise.resolve())
    let opens = 0
    const newProducer = (): Promise<Producer> => (++opens === 2 ? Promise.reject(new Error('broker down')) : producers.newProducer())
    const events = everyMs(6, 10)
    const setup: { pacer: OpenLoopPacer<PacedEvent> | null } = { pacer: null }
    const { pacer } = pacerFor(events, producers, {
      newProducer,
      onSent: (e) => {
        if (e.id === 'e2') setup.pacer?.requestProducerRestart()
      },
    })
    setup.pacer = pacer
    const report = await pacer.run()

    expect(report.sendErrors).toBe(0)
    expect(report.sent).toBe(6)
    expect(producers.calls.flatMap((c) => c.ids).filter((id, i, all) => all.indexOf(id) === i).sort()).toEqual(['e0', 'e1', 'e2', 'e3', 'e4', 'e5'])
    expect(opens).toBe(3)
  })

  it('counts the records of a send that still fails at the retry deadline as send errors, without an ack', async () => {
    const producers = new FakeProducers(() => Promise.reject(new Error('broker down')))
    const acks: number[] = []
    const failed: (string | null)[] = []
    const { pacer } = pacerFor([event('e0', 0)], producers, { retryForMs: 600, onAcked: (_topic, count) => acks.push(count), onSendFailed: (events) => failed.push(...events.map((e) => e.id)) })
    const report = await pacer.run()

    // Attempts at ~0 and ~500 ms are inside the 600 ms deadline and retried; the one at ~1000 ms is not.
    expect(producers.calls).toHaveLength(3)
    expect(report).toMatchObject({ sent: 1, sendErrors: 1, sendRetries: 2 })
    expect(acks).toEqual([])
    expect(failed).toEqual(['e0'])
    expect(report.produceResponse.whole.totalCount).toBe(0)
    expect(report.produceService.whole.totalCount).toBe(0)
    expect(report.scheduleDelay.whole.totalCount).toBe(1)
  })

  it('sends each record with the key recordKey gives it, the event\'s own without one', async () => {
    const producers = new FakeProducers(() => Promise.resolve())
    await pacerFor([event('a', 0), event('b', 0)], producers, { recordKey: (e) => (e.id === 'a' ? 'hot' : e.key) }).pacer.run()
    expect(producers.calls.flatMap((c) => c.keys)).toEqual(['hot', 'b'])
    const plain = new FakeProducers(() => Promise.resolve())
    await pacerFor([event('a', 0)], plain).pacer.run()
    expect(plain.calls.flatMap((c) => c.keys)).toEqual(['a'])
  })

  it('splits what is due per topic and into sends of at most maxBatch records', async () => {
    const producers = new FakeProducers(() => Promise.resolve())
    const events = [...Array.from({ length: 25 }, (_, i) => event(`c${i}`, 0)), ...Array.from({ length: 5 }, (_, i) => event(`p${i}`, 0, 'pm'))]
    const { pacer } = pacerFor(events, producers, { maxBatch: 10 })
    const report = await pacer.run()

    expect(producers.calls.map((c) => [c.topic, c.ids.length])).toEqual([['run-cdr', 10], ['run-cdr', 10], ['run-cdr', 5], ['run-pm', 5]])
    expect(producers.calls.filter((c) => c.topic === 'run-cdr').flatMap((c) => c.ids)).toEqual(events.slice(0, 25).map((e) => e.id))
    expect(report.sent).toBe(30)
    expect(report.scheduleDelay.whole.totalCount).toBe(30)
  })

  it('gives up a failing send at once when the load is stopped (broker dead), without waiting for the deadline', async () => {
    const producers = new FakeProducers(() => Promise.reject(new Error('broker down')))
    const stop = new AbortController()
    const failed: (string | null)[] = []
    setTimeout(() => { stop.abort() }, 700)
    const began = Date.now()
    const { pacer } = pacerFor([event('e0', 0), event('e1', 0)], producers, { signal: stop.signal, onSendFailed: (events) => failed.push(...events.map((e) => e.id)) })
    const report = await pacer.run()

    expect(Date.now() - began).toBeLessThan(2000)
    expect(report).toMatchObject({ sent: 2, sendErrors: 2 })
    expect(failed).toEqual(['e0', 'e1'])
  })

  it('stops sending when the run is aborted and still closes its producer', async () => {
    const producers = new FakeProducers(() => delay(1))
    const abort = new AbortController()
    const { pacer } = pacerFor(everyMs(10, 20), producers, {
      signal: abort.signal,
      onSent: (e) => {
        if (e.id === 'e2') abort.abort()
      },
    })
    const report = await pacer.run()

    expect(producers.calls.flatMap((c) => c.ids)).toEqual(['e0', 'e1', 'e2'])
    expect(report.sent).toBe(3)
    expect(producers.log).toEqual(['open 1', 'close 1'])
  })
})
