import { unprovisionedImsi } from '../identity/identities.ts'
import { Sfc32 } from '../random/prng.ts'
import { ringMs } from './behaviour.ts'
import { Entry, type RecordTruth, type Task, type Topic } from './entry.ts'
import type { ScheduleQueue } from './schedule-queue.ts'
import type { Model } from './model.ts'
import { renderHead, withId, type Body } from './records.ts'

/** What happens to one usage record on its way in (docs/telecom-model.md §9, contracts "invalid input"). */
const Injection = { none: 0, late: 1, outOfOrder: 2, malformed: 3, negative: 4, unknownSubscriber: 5, badImsi: 6, oversized: 7 } as const
type InjectionCode = (typeof Injection)[keyof typeof Injection]

const injectionTruth: Record<InjectionCode, { kind: string; reason?: string } | null> = {
  0: null,
  1: { kind: 'late' },
  2: { kind: 'out_of_order' },
  3: { kind: 'malformed', reason: 'malformed_json' },
  4: { kind: 'negative_value', reason: 'negative_value' },
  5: { kind: 'unknown_subscriber' },
  6: { kind: 'bad_imsi', reason: 'bad_imsi' },
  7: { kind: 'oversized', reason: 'oversized' },
}

/** causeForRecClosing of a data record closed at a tariff switch: maxChangeCond (3GPP TS 32.298), one change condition per record. */
const TARIFF_TIME_CLOSING = 19

/** Padding that pushes a value past the 64 KiB limit. */
const OVERSIZE_PAD = `,"diagnostics":"${'x'.repeat(70_000)}"`

/**
 * One generation lane: its PRNG, counters and the record builders. Everything a lane draws comes from its own
 * PRNG in its own schedule order, so its output is the same whichever shard runs it.
 */
export class Lane {
  readonly index: number
  readonly rng: Sfc32
  readonly m: Model
  private readonly queue: ScheduleQueue
  private readonly withTruth: boolean
  private seq = 0
  private idSeq = 0
  private callSeq = 0
  private bearerSeq = 0
  /** Cumulative injection thresholds; all zero when the scenario injects nothing (then no draws are spent). */
  private readonly cuts: number[]
  private readonly injects: boolean
  private readonly dupCut: number
  private readonly resendCut: number
  private readonly idPrefix: string

  constructor(index: number, m: Model, queue: ScheduleQueue, withTruth: boolean) {
    this.index = index
    this.m = m
    this.queue = queue
    this.withTruth = withTruth
    this.rng = new Sfc32(m.seed, 0x10000 + index)
    this.idPrefix = `${m.runTag}-${index}-`
    const b = m.s.badInput
    const shares = [b.late.share, b.outOfOrder.share, b.malformedJson, b.negativeDuration, b.unknownSubscriber, b.badImsi, b.oversized]
    let acc = 0
    this.cuts = shares.map((x) => (acc += x))
    this.dupCut = b.exactDuplicates
    this.resendCut = b.exactDuplicates + b.resends
    this.injects = acc > 0 || this.resendCut > 0
  }

  /** A fresh record id: `<runTag>-<lane>-<12-digit sequence>`. */
  newId(): string {
    return this.idPrefix + String(1e12 + this.idSeq++).slice(1)
  }

  /** Schedules a task to run at offset t (ignored past the end of the run). */
  schedule(task: Task, t: number): void {
    if (t > this.m.endT) return
    this.queue.push(new Entry(t, this.index, this.seq++, task))
  }

  /** Re-queues a task entry that has just run. */
  requeue(e: Entry, t: number): boolean {
    if (t > this.m.endT) return false
    e.t = t
    e.seq = this.seq++
    this.queue.push(e)
    return true
  }

  /** Queues a ready record to be sent at offset t; records due after the run ends are never sent. */
  push(t: number, topic: Topic, key: string, id: string, body: Body, eventTimeMs: number, raw: boolean, truth: RecordTruth | null): void {
    if (t > this.m.endT) return
    const e = new Entry(t, this.index, this.seq++, null)
    e.topic = topic
    e.key = key
    e.id = id
    e.body = body
    e.raw = raw
    e.eventTimeMs = eventTimeMs
    e.truth = truth
    this.queue.push(e)
  }

  /** Identity index a subscriber uses at offset t (a swapped SIM takes over from its swap time). */
  identityAt(sub: number, t: number): number {
    if (this.m.swaps.size === 0) return sub
    const swap = this.m.swaps.get(sub)
    return swap !== undefined && t >= swap.at ? swap.to : sub
  }

  /** A new call reference, unique per run. */
  newCallReference(): string {
    return `${this.index.toString(36)}.${(this.callSeq++).toString(36)}`
  }

  /**
   * Emits the records of one MO call attempt starting at offset t: unanswered (duration 0, cause 3), or answered
   * and split into partial records every partialInterval.
   */
  call(sub: number, t: number, calledNumber: string, holdS: number, answered: boolean, cell: number, dropped = false, imeiOverride?: string): void {
    const m = this.m
    const identity = this.identityAt(sub, t)
    const ring = answered ? ringMs.answered : ringMs.unanswered
    const answerAbs = m.startMs + Math.floor(t + ring.min + this.rng.int(ring.spread))
    const ref = this.newCallReference()
    const cellText = m.cellText(sub, cell)
    if (!answered || holdS <= 0) {
      this.voiceRecord(sub, identity, calledNumber, answerAbs, 0, 3, ref, 1, cellText, imeiOverride)
      return
    }
    const partS = Math.max(1, Math.floor(m.s.traffic.voice.partialInterval / 1000))
    let remaining = holdS
    let segStart = answerAbs
    for (let k = 1; remaining > 0; k++) {
      const len = Math.min(remaining, partS)
      remaining -= len
      const cause = remaining > 0 ? 1 : dropped ? 4 : 0
      this.voiceRecord(sub, identity, calledNumber, segStart, len, cause, ref, k, cellText, imeiOverride)
      segStart += len * 1000
    }
  }

  /** Emits one SMS at offset t. */
  sms(sub: number, t: number, destinationNumber: string, cell: number): void {
    const m = this.m
    const identity = this.identityAt(sub, t)
    const drawn = this.drawInjection()
    // An SMS record has no duration or volume to make negative: that draw leaves it clean.
    const inj = drawn === Injection.negative ? Injection.none : drawn
    const shift = this.shiftFor(inj)
    // ceil: a record may not be due before the task time that created it, or the schedule would step back.
    const at = m.startMs + Math.ceil(t) - shift
    const id = this.newId()
    const imsi = this.subscriberText(identity, inj)
    const extra = inj === Injection.oversized ? OVERSIZE_PAD : ''
    const body: Body = { kind: 'sms', extra, id, identityJson: this.prebuilt(inj, identity, sub, undefined), subscriber: imsi, imsi, msisdn: m.msisdn(sub), imei: m.imei(identity), destinationNumber, originationTime: at, cell: m.cellText(sub, cell) }
    const charge = this.withTruth && billable(inj) ? m.rater.rateSms(destinationNumber, at) : null
    this.emitUsage(Math.ceil(t), imsi, id, body, at, inj, shift, identity, charge)
  }

  /**
   * Emits the records of one data bearer opened at offset t: partial records close on the time limit or the
   * volume limit, and at every tariff switch inside them, each carrying only its own volume.
   */
  dataSession(sub: number, t: number, durationS: number, volume: number, uplinkShare: number, cell: number): void {
    const m = this.m
    const d = m.s.traffic.data
    const identity = this.identityAt(sub, t)
    const byTime = Math.ceil(durationS / Math.max(1, d.partialInterval / 1000))
    const byVolume = Math.ceil(volume / Math.max(1, d.partialVolume))
    const parts = Math.max(1, byTime, byVolume)
    const closing = parts === 1 ? 0 : byVolume > byTime ? 16 : 17
    const chargingID = String((this.bearerSeq++ * 64 + this.index) % 4294967296)
    const cellText = m.cellText(sub, cell)
    const sliceS = Math.max(1, Math.floor(durationS / parts))
    const sliceVolume = Math.floor(volume / parts)
    let opening = m.startMs + Math.floor(t)
    let sequence = 1
    for (let k = 1; k <= parts; k++) {
      const last = k === parts
      const len = last ? Math.max(1, durationS - sliceS * (parts - 1)) : sliceS
      const v = last ? volume - sliceVolume * (parts - 1) : sliceVolume
      // A tariff switch closes the record (3GPP change condition tariffTime, one container per record) at the
      // first whole second at or after it, so the next partial opens in the new band; volume splits with time.
      let doneS = 0
      let doneV = 0
      while (doneS < len) {
        const pieceOpening = opening + doneS * 1000
        const switchS = Math.ceil((m.rater.nextBandChange(pieceOpening) - opening) / 1000)
        const endS = Math.min(len, switchS)
        const endV = endS === len ? v : Math.floor((v * endS) / len)
        const pieceV = endV - doneV
        const up = Math.round(pieceV * uplinkShare)
        const pieceClosing = endS < len ? TARIFF_TIME_CLOSING : last ? 0 : closing
        this.dataRecord(sub, identity, chargingID, sequence++, pieceOpening, endS - doneS, up, pieceV - up, pieceClosing, cellText)
        doneS = endS
        doneV = endV
      }
      opening += len * 1000
    }
  }

  private voiceRecord(sub: number, identity: number, called: string, answerAbs: number, durationS: number, cause: number, ref: string, sequence: number, cell: string, imeiOverride: string | undefined): void {
    const m = this.m
    const inj = this.drawInjection()
    const shift = this.shiftFor(inj)
    const answer = answerAbs - shift
    const id = this.newId()
    const imsi = this.subscriberText(identity, inj)
    const duration = inj === Injection.negative ? -Math.max(1, durationS) : durationS
    const extra = inj === Injection.oversized ? OVERSIZE_PAD : ''
    const body: Body = { kind: 'voice', extra, id, identityJson: this.prebuilt(inj, identity, sub, imeiOverride), subscriber: imsi, imsi, msisdn: m.msisdn(sub), imei: imeiOverride ?? m.imei(identity), calledNumber: called, answerTime: answer, callDuration: duration, causeForTerm: cause, callReference: ref, sequence, cell }
    let charge: RecordTruth['charge'] = this.withTruth && billable(inj) ? m.rater.rateVoice(called, answer, durationS, sequence) : null
    if (charge !== null && m.boxOf.has(sub)) {
      charge = { ...charge, bypassedSubunits: m.rater.rateVoiceAs(m.rater.spec.defaultDestinationClass, answer, durationS, sequence).chargeSubunits }
    }
    const sendT = answerAbs + durationS * 1000 - m.startMs
    this.emitUsage(sendT, imsi, id, body, answer + Math.max(0, duration) * 1000, inj, shift, identity, charge)
  }

  private dataRecord(sub: number, identity: number, chargingID: string, sequence: number, openingAbs: number, durationS: number, up: number, down: number, closing: number, cell: string): void {
    const m = this.m
    const inj = this.drawInjection()
    const shift = this.shiftFor(inj)
    const opening = openingAbs - shift
    const id = this.newId()
    const imsi = this.subscriberText(identity, inj)
    const uplink = inj === Injection.negative ? -Math.max(1, up) : up
    const extra = inj === Injection.oversized ? OVERSIZE_PAD : ''
    const body: Body = { kind: 'data', extra, id, identityJson: this.prebuilt(inj, identity, sub, undefined), subscriber: imsi, imsi, msisdn: m.msisdn(sub), imei: m.imei(identity), chargingID, sequence, openingTime: opening, durationS, uplink, downlink: down, causeForRecClosing: closing, cell }
    const charge = this.withTruth && billable(inj) ? m.rater.rateData(up + down, opening) : null
    const sendT = openingAbs + durationS * 1000 - m.startMs
    this.emitUsage(sendT, imsi, id, body, opening + durationS * 1000, inj, shift, identity, charge)
  }

  /** Queues a usage record (corrupted per its injection) and any duplicate or re-send of it. */
  private emitUsage(sendT: number, key: string, id: string, body: Body, eventTime: number, inj: InjectionCode, shift: number, identity: number, charge: RecordTruth['charge']): void {
    let value = body
    let raw = false
    if (inj === Injection.malformed) {
      const head = renderHead(body)
      value = { kind: 'text', text: head.slice(0, 12 + this.rng.int(Math.max(1, head.length - 24))) }
      raw = true
    }
    let truth: RecordTruth | null = null
    if (this.withTruth) {
      const info = injectionTruth[inj]
      truth = {
        billTo: billable(inj) ? identity : -1,
        charge,
        injection: info === null ? null : { ...info, ...(shift > 0 ? { latenessMs: shift } : {}) },
      }
    }
    this.push(sendT, 'cdr', key, id, value, eventTime, raw, truth)
    if (!this.injects || raw || inj === Injection.negative || inj === Injection.badImsi || inj === Injection.oversized) return
    const u = this.rng.next()
    if (u >= this.resendCut) return
    const delay = this.rng.next() * this.m.s.badInput.duplicateDelay
    if (u < this.dupCut) {
      this.push(sendT + delay, 'cdr', key, id, value, eventTime, false, this.withTruth ? { billTo: -1, charge: null, injection: { kind: 'duplicate', copies: id } } : null)
    } else {
      const copyId = this.newId()
      const copy = withId(value, copyId)
      this.push(sendT + delay, 'cdr', key, copyId, copy, eventTime, false, this.withTruth ? { billTo: -1, charge: null, injection: { kind: 'resend', copies: id } } : null)
    }
  }

  private drawInjection(): InjectionCode {
    if (!this.injects) return Injection.none
    const u = this.rng.next()
    const c = this.cuts
    for (let i = 0; i < c.length; i++) if (u < (c[i] ?? 0)) return (i + 1) as InjectionCode
    return Injection.none
  }

  /** How far behind its send time a record's event time is put, in ms. */
  private shiftFor(inj: InjectionCode): number {
    const b = this.m.s.badInput
    if (inj === Injection.outOfOrder) return 1000 + Math.floor(this.rng.next() * Math.max(0, b.outOfOrder.maxShift - 1000))
    if (inj !== Injection.late) return 0
    const u = this.rng.next()
    let acc = 0
    let lower = 0
    for (const bucket of b.late.lateness) {
      acc += bucket.share
      if (u < acc) return Math.floor(lower + this.rng.next() * (bucket.upTo - lower))
      lower = bucket.upTo
    }
    return lower
  }

  /** The cached identity JSON when the record carries the subscriber's own identity unchanged. */
  private prebuilt(inj: InjectionCode, identity: number, sub: number, imeiOverride: string | undefined): string | undefined {
    if (imeiOverride !== undefined || inj === Injection.unknownSubscriber || inj === Injection.badImsi) return undefined
    return this.m.identityJson(identity, sub)
  }

  private subscriberText(identity: number, inj: InjectionCode): string {
    if (inj === Injection.unknownSubscriber) return unprovisionedImsi(this.rng.nextUint32())
    const imsi = this.m.imsi(identity)
    return inj === Injection.badImsi ? imsi.slice(0, 14) : imsi
  }
}

function billable(inj: InjectionCode): boolean {
  return inj === Injection.none || inj === Injection.late || inj === Injection.outOfOrder
}
