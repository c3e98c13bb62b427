import { Sfc32 } from '../random/prng.ts'
import { invoiceFromSum } from '../rating/invoice.ts'
import type { ResolvedScenario } from '../scenario/resolved.ts'
import type { TruthSink } from '../truth.ts'
import { buildModel } from './build.ts'
import type { Entry, ScheduledEvent } from './entry.ts'
import { actorTask } from './fraud.ts'
import { ScheduleQueue } from './schedule-queue.ts'
import { Lane } from './lane.ts'
import { LANES, Role, Segment, type Model } from './model.ts'
import { AlarmStormTask, AlarmTask, ArrivalTask, PmTask, PrecursorAlarmTask } from './traffic.ts'

/** Which part of the stream to generate: lanes with lane mod count = index. */
export interface Shard {
  index: number
  count: number
}

/** Options of {@link createEventStream}. */
export interface StreamOptions {
  /** Generate only this shard. @default the whole stream */
  shard?: Shard
  /** Receives the ground truth of the generated part. @default none (no truth is computed) */
  truth?: TruthSink
}

/** Checks a shard spec; returns a message when it is unusable. */
export function shardProblem(shard: Shard): string | undefined {
  if (!Number.isInteger(shard.count) || shard.count < 1 || shard.count > LANES) return `shard count must be an integer in 1..${LANES}, got ${shard.count}`
  if (!Number.isInteger(shard.index) || shard.index < 0 || shard.index >= shard.count) return `shard index must be in 0..${shard.count - 1}, got ${shard.index}`
  return undefined
}

/**
 * Lazily generates the scenario's events in schedule order (sendOffsetNs non-decreasing). Same scenario and
 * seed → the same events; shards are disjoint and their union is the unsharded stream. Memory stays flat:
 * only in-progress calls, queued copies and one task per process are held.
 * The iterator reuses its result object: read `value` before calling `next()` again (for…of does).
 * @throws RangeError when the shard spec is unusable (a caller bug, not invalid input), or, while iterating with
 * a truth sink, when a subscriber's bill passes 2^53 − 1 sub-units (prices near the schema's bound over a very long run).
 */
export function createEventStream(s: ResolvedScenario, opts: StreamOptions = {}): IterableIterator<ScheduledEvent> {
  const shard = opts.shard ?? { index: 0, count: 1 }
  const problem = shardProblem(shard)
  if (problem !== undefined) throw new RangeError(problem)
  return new EventStream(s, shard, opts.truth)
}

/**
 * The stream as a hand-written iterator: one reused result object per stream instead of a generator's
 * allocation per event (this loop runs hundreds of thousands of times a second).
 */
class EventStream implements IterableIterator<ScheduledEvent> {
  private readonly s: ResolvedScenario
  private readonly shard: Shard
  private readonly sink: TruthSink | undefined
  private readonly m: Model
  private readonly queue = new ScheduleQueue()
  private readonly lanes: (Lane | undefined)[] = new Array<Lane | undefined>(LANES)
  private readonly nsPerSimMs: number
  private readonly billSum: Float64Array | null
  private readonly billCount: Uint32Array | null
  private readonly counts = { cdr: 0, pm: 0, alarms: 0 }
  private readonly result: { done: false; value: ScheduledEvent } = { done: false, value: undefined as unknown as ScheduledEvent }
  private finished = false

  constructor(s: ResolvedScenario, shard: Shard, sink: TruthSink | undefined) {
    this.s = s
    this.shard = shard
    this.sink = sink
    const { model: m, plan } = buildModel(s)
    this.m = m
    for (let l = 0; l < LANES; l++) {
      if (l % shard.count !== shard.index) continue
      const lane = new Lane(l, m, this.queue, sink !== undefined)
      this.lanes[l] = lane
      startLane(lane, m)
      if (sink !== undefined) writeLaneTruth(sink, m, l, plan.labels)
    }
    for (const a of plan.actors) {
      const lane = this.lanes[a.lane]
      if (lane !== undefined) lane.schedule(actorTask(a.spec), a.start)
    }
    this.nsPerSimMs = 1e6 / s.timeCompression
    this.billSum = sink === undefined ? null : new Float64Array(m.identityCount)
    this.billCount = sink === undefined ? null : new Uint32Array(m.identityCount)
  }

  [Symbol.iterator](): IterableIterator<ScheduledEvent> {
    return this
  }

  next(): IteratorResult<ScheduledEvent, undefined> {
    const queue = this.queue
    for (let e = queue.pop(); e !== undefined; e = queue.pop()) {
      if (e.task !== null) {
        const lane = this.lanes[e.lane]
        if (lane !== undefined) lane.requeue(e, e.task.run(e.t, lane))
        continue
      }
      e.sendOffsetNs = Math.round(e.t * this.nsPerSimMs)
      this.counts[e.topic]++
      if (e.truth !== null) this.recordTruth(e)
      this.result.value = e
      return this.result
    }
    if (!this.finished) {
      this.finished = true
      this.writeBills()
    }
    return { done: true, value: undefined }
  }

  private recordTruth(e: Entry): void {
    const truth = e.truth
    const sink = this.sink
    if (sink === undefined || truth === null) return
    if (truth.charge !== null && this.billSum !== null && this.billCount !== null) {
      sink.write('charge', { id: e.id, subscriber: e.key, eventTime: e.eventTimeMs, ...truth.charge })
      const sum = (this.billSum[truth.billTo] ?? 0) + truth.charge.chargeSubunits
      if (sum > Number.MAX_SAFE_INTEGER) throw new RangeError(`the bill of ${e.key ?? '?'} passed 2^53 − 1 sub-units at ${new Date(e.eventTimeMs).toISOString()}, where money is no longer exact: lower the rating spec's prices or shorten the run`)
      this.billSum[truth.billTo] = sum
      this.billCount[truth.billTo] = (this.billCount[truth.billTo] ?? 0) + 1
    }
    if (truth.injection !== null) sink.write('injection', { id: e.id, subscriber: e.key, sendOffsetNs: e.sendOffsetNs, eventTime: e.eventTimeMs, ...truth.injection })
  }

  private writeBills(): void {
    const { sink, billSum, billCount, m, s, counts } = this
    if (sink === undefined || billSum === null || billCount === null) return
    for (let idx = 0; idx < billCount.length; idx++) {
      const records = billCount[idx] ?? 0
      if (records === 0) continue
      const sum = billSum[idx] ?? 0
      sink.write('bill', { subscriber: m.imsi(idx), records, chargeSubunits: sum, ...invoiceFromSum(s.ratingSpec, sum) })
    }
    sink.write('summary', { scenario: s.name, seed: s.seed, shard: this.shard, events: counts.cdr + counts.pm + counts.alarms, byTopic: counts })
  }
}

/** Builds a lane's subscriber groups and cells and schedules its normal-traffic and network tasks. */
function startLane(lane: Lane, m: Model): void {
  const consumers: number[] = []
  const business: number[] = []
  const m2m: number[] = []
  for (let j = lane.index; j < m.n; j += LANES) {
    if (m.role[j] === Role.silent) continue
    const seg = m.segment[j]
    if (seg === Segment.business) business.push(j)
    else if (seg === Segment.m2m) m2m.push(j)
    else consumers.push(j)
  }
  const t = m.s.traffic
  const processes: ArrivalTask[] = []
  const add = (service: ConstructorParameters<typeof ArrivalTask>[0], subs: number[], rate: number): void => {
    if (subs.length > 0 && rate > 0) processes.push(new ArrivalTask(service, Int32Array.from(subs), rate, m))
  }
  add('voice', consumers, t.voice.attemptsPerSubscriber)
  add('voice', business, 2 * t.voice.attemptsPerSubscriber)
  add('sms', consumers, t.sms.perSubscriber)
  add('sms', business, t.sms.perSubscriber)
  add('data', consumers, t.data.sessionsPerSubscriber)
  add('data', business, t.data.sessionsPerSubscriber)
  add('m2m', m2m, t.data.m2mSessionsPerSubscriber)
  for (const p of processes) lane.schedule(p, p.first(m, lane))

  const cells: number[] = []
  for (let c = lane.index; c < m.cells.length; c += LANES) cells.push(c)
  if (cells.length === 0) return
  lane.schedule(new PmTask(cells, m), t.pm.granularity)
  if (t.alarms.perCell > 0) {
    const alarms = new AlarmTask(cells, m)
    lane.schedule(alarms, alarms.first(m, lane))
  }
  for (const a of Object.values(m.s.anomalies)) {
    if (a.kind !== 'ALARM_STORM') continue
    const mine = a.cells.filter((c) => c % LANES === lane.index)
    if (mine.length === 0) continue
    const end = Math.min(m.endT, a.startTime + a.duration)
    lane.schedule(new AlarmStormTask(mine, end, a.alarmsPerCell, end - a.startTime), a.startTime)
  }
  Object.values(m.s.anomalies).forEach((a, index) => {
    if (a.precursor === undefined || a.precursor <= 0) return
    const mine = a.cells.filter((c) => c % LANES === lane.index)
    if (mine.length === 0) return
    const from = a.startTime - a.precursor
    const warnings = new PrecursorAlarmTask(mine, from, a.startTime, new Sfc32(m.seed, precursorStreamBase + index * LANES + lane.index))
    const first = warnings.next(from)
    if (first !== Infinity) lane.schedule(warnings, first)
  })
}

/** PRNG streams of the precursor alarms: one per (anomaly, lane), clear of the lanes' and fraud's streams. */
const precursorStreamBase = 0x40000

/** Writes the labels and anomaly windows that belong to one lane. */
function writeLaneTruth(sink: TruthSink, m: Model, lane: number, labels: { lane: number; label: object }[]): void {
  for (const l of labels) if (l.lane === lane) sink.write('label', l.label)
  for (const [name, a] of Object.entries(m.s.anomalies)) {
    for (const c of a.cells) {
      if (c % LANES !== lane) continue
      sink.write('anomaly', {
        name,
        kind: a.kind,
        cell: m.cells[c]?.ecgi,
        cellIndex: c,
        siteId: m.cells[c]?.siteId,
        start: m.startMs + a.startTime,
        end: m.startMs + Math.min(m.endT, a.startTime + a.duration),
        severity: a.severity,
        ...(a.precursor === undefined ? {} : { precursorStart: m.startMs + a.startTime - a.precursor }),
      })
    }
  }
}
