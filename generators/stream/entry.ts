import type { Lane } from './lane.ts'
import { renderHead, type Body } from './records.ts'

/** Input topics the generators write (suffixes; the harness adds the run prefix). */
export type Topic = 'cdr' | 'pm' | 'alarms'

/** One event on the open-loop schedule, as the harness sends it. */
export interface ScheduledEvent {
  topic: Topic
  /** Kafka key: IMSI for usage records, ECGI for pm and alarms; null never occurs for generated records today. */
  key: string | null
  /** Intended send time: wall ns after run start (simulated offset / timeCompression); non-decreasing per stream. */
  sendOffsetNs: number
  /** The record's id (also for malformed records, whose bytes no longer carry it readably). */
  id: string | null
  /** Size of the encoded value in bytes, when known before encoding (not set by the generators). */
  bytes?: number
  /** Simulated event time carried in the record, epoch ms. */
  eventTimeMs: number
  /** The value up to the emitNs integer (e.g. `{"id":…,"emitNs":`), or the whole garbage when `raw`. */
  readonly head: string
  /** True for malformed values: sent as `head` verbatim, without emitNs. */
  readonly raw: boolean
}

/** Work a lane does at a scheduled time; returns when it next runs (simulated ms offset), or Infinity. */
export interface Task {
  run(now: number, lane: Lane): number
}

/** Ground-truth facts carried beside a record until it is emitted (never serialised into the value). */
export interface RecordTruth {
  /** Identity index whose bill this charge belongs to, or -1 for none. */
  billTo: number
  /**
   * The expected rating; SIM-box calls add `bypassedSubunits`: the same call rated at the spec's
   * `defaultDestinationClass` (a foreign number's class), i.e. what the international call the box turned
   * into this local one would have paid the operator.
   */
  charge: { chargeSubunits: number; billedUnits: number; band: string; destinationClass: string; bypassedSubunits?: number } | null
  injection: { kind: string; copies?: string; reason?: string; latenessMs?: number } | null
}

/** A schedule entry: either a task or a ready record. Ready records are handed out as the ScheduledEvent itself. */
export class Entry implements ScheduledEvent {
  t: number
  lane: number
  seq: number
  task: Task | null
  topic: Topic = 'cdr'
  key: string | null = null
  sendOffsetNs = 0
  id: string | null = null
  eventTimeMs = 0
  body: Body | null = null
  raw = false
  truth: RecordTruth | null = null

  constructor(t: number, lane: number, seq: number, task: Task | null) {
    this.t = t
    this.lane = lane
    this.seq = seq
    this.task = task
  }

  /** Rendered on demand (by encodeValue), not stored. */
  get head(): string {
    return this.body === null ? '' : renderHead(this.body)
  }
}
