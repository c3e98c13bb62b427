import { usageArrivalsPerSimSecond } from '../scenario/load.ts'
import type { Task } from './entry.ts'
import { drawHolding, holdingOf, m2mSession, maxSessionVolumeBytes, precursorEffect, stormClearMs, type Holding } from './behaviour.ts'
import type { Lane } from './lane.ts'
import { Role, type Model } from './model.ts'
import { destinationNumber, internationalNumber } from './numbers.ts'
import type { Sfc32 } from '../random/prng.ts'
import { alarmCatalogue, alarmHead, pmHead, precursorAlarmCatalogue, type AlarmFields, type PmCounters } from './records.ts'

/** Which normal service an arrival process generates. */
export type Service = 'voice' | 'sms' | 'data' | 'm2m'

/**
 * The merged arrivals of one service for one group of a lane's subscribers: a non-homogeneous Poisson process
 * at (group size × per-subscriber rate × hourly profile × flash-crowd factor), each arrival on a uniformly drawn
 * member. Superposing per-subscriber Poisson processes this way gives the same per-subscriber rates.
 */
export class ArrivalTask implements Task {
  private readonly ratePerMs: number
  private readonly mult: Float64Array
  private readonly voiceHolding: Holding
  private readonly dataDuration: Holding

  private readonly service: Service
  private readonly subs: Int32Array

  constructor(service: Service, subs: Int32Array, perSubscriberPerSecond: number, m: Model) {
    this.service = service
    this.subs = subs
    this.ratePerMs = (subs.length * perSubscriberPerSecond) / 1000
    this.mult = service === 'data' ? m.dataMult : service === 'm2m' ? m.flatMult : m.voiceMult
    this.voiceHolding = holdingOf(m.s.traffic.voice.holdingTime)
    this.dataDuration = holdingOf(m.s.traffic.data.sessionDuration)
  }

  /** First arrival after offset 0. */
  first(m: Model, lane: Lane): number {
    return m.nextArrival(0, this.ratePerMs, this.mult, this.service !== 'm2m', lane.rng)
  }

  run(now: number, lane: Lane): number {
    const m = lane.m
    const rng = lane.rng
    const sub = this.subs[rng.int(this.subs.length)] ?? 0
    const cell = m.cellFor(sub, now, rng)
    switch (this.service) {
      case 'voice': {
        const v = m.s.traffic.voice
        const heavy = m.role[sub] === Role.heavyInternational
        const intl = heavy && rng.next() < m.s.hardNegatives.heavyInternationalCallers.internationalShare
        const called = intl ? internationalNumber(rng) : destinationNumber(m, rng)
        const answered = rng.next() < v.answerRatio
        const hold = answered ? drawHolding(rng, this.voiceHolding) * (intl ? 2 : 1) : 0
        lane.call(sub, now, called, hold, answered, cell, answered && rng.next() < v.dropRatio)
        break
      }
      case 'sms':
        lane.sms(sub, now, destinationNumber(m, rng), cell)
        break
      case 'data': {
        const d = m.s.traffic.data
        const duration = drawHolding(rng, this.dataDuration)
        const volume = Math.min(maxSessionVolumeBytes, Math.round(10 ** (d.volumeLog10Mu + d.volumeLog10Sigma * rng.normal())))
        lane.dataSession(sub, now, duration, volume, d.uplinkShare, cell)
        break
      }
      case 'm2m': {
        const d = m.s.traffic.data
        const durationS = m2mSession.durationS.min + rng.int(m2mSession.durationS.spread)
        lane.dataSession(sub, now, durationS, Math.round(d.m2mVolumeBytes * rng.lognormal(0, m2mSession.volumeSigma)), 0.5, cell)
        break
      }
    }
    return m.nextArrival(now, this.ratePerMs, this.mult, this.service !== 'm2m', rng)
  }
}

/**
 * PM counters for a lane's cells, one record per cell per granularity period, sent at the period end.
 * Counters follow the expected traffic of the cell (profile × flash crowd) and the anomalies on it.
 */
export class PmTask implements Task {
  private readonly eventsPerMsPerCell: number
  private readonly maxMult: number

  private readonly cells: number[]

  constructor(cells: number[], m: Model) {
    this.cells = cells
    this.eventsPerMsPerCell = usageArrivalsPerSimSecond(m.s) / 1000 / Math.max(1, m.cells.length)
    this.maxMult = Math.max(...m.voiceMult)
  }

  run(now: number, lane: Lane): number {
    const m = lane.m
    const g = m.s.traffic.pm.granularity
    const periodStart = now - g
    const mid = periodStart + g / 2
    const mult = m.voiceMult[m.hourAt(periodStart)] ?? 1
    for (const c of this.cells) {
      const info = m.cells[c]
      if (info === undefined) continue
      let crowd = 1
      for (const w of m.flash) if (mid >= w.start && mid < w.end && c >= w.firstCell && c < w.firstCell + w.cells) crowd += (w.extra * m.cells.length) / w.cells
      const load = this.eventsPerMsPerCell * g * mult * crowd
      const counters = this.counters(m, c, mid, load, (mult / this.maxMult) * crowd, lane)
      const id = lane.newId()
      lane.push(now, 'pm', info.ecgi, id, { kind: 'text', text: pmHead(id, info.ecgi, info.siteId, m.startMs + periodStart, Math.round(g / 1000), counters) }, m.startMs + periodStart, false, null)
    }
    const next = now + g
    return next <= m.endT ? next : Infinity
  }

  private counters(m: Model, cell: number, t: number, load: number, relLoad: number, lane: Lane): PmCounters {
    const rng = lane.rng
    const g = m.s.traffic.pm.granularity / 1000
    if (m.anomalyAt(cell, t, 'SLEEPING_CELL') !== undefined) {
      // A sleeping cell looks up (full availability, no alarm) but serves nobody.
      return { rrcAtt: 0, rrcSucc: 0, erabAtt: 0, erabSucc: 0, erabRelAbnormal: 0, prbUsedDl: 0, prbAvailDl: 100, volDl: 0, volUl: 0, cellAvailSec: Math.round(g) }
    }
    let att = Math.max(0, Math.round(load * (1 + 0.05 * rng.normal())))
    let util = Math.min(0.99, Math.max(0.01, 0.08 + 0.55 * relLoad + 0.03 * rng.normal()))
    let rrcRatio = 0.996 - (util > 0.9 ? (util - 0.9) * 2 : 0)
    let erabRatio = 0.992
    let abnormal = 0.004
    const congestion = m.anomalyAt(cell, t, 'CONGESTION')
    if (congestion !== undefined) {
      util = Math.min(0.995, 0.9 + 0.09 * congestion.severity + 0.005 * rng.next())
      rrcRatio = 0.97 - 0.25 * congestion.severity
      att = Math.round(att * 1.3)
      abnormal *= 1 + 3 * congestion.severity
    }
    const degradation = m.anomalyAt(cell, t, 'KPI_DEGRADATION')
    if (degradation !== undefined) {
      const progress = (t - degradation.start) / Math.max(1, degradation.end - degradation.start)
      erabRatio -= 0.15 * degradation.severity * progress
      abnormal *= 1 + 8 * degradation.severity * progress
    }
    const warning = m.precursorAt(cell, t)
    if (warning !== undefined) abnormal *= 1 + precursorEffect.dropGrowth * warning
    const rrcSucc = Math.round(att * Math.min(1, rrcRatio + 0.002 * rng.normal()))
    const erabAtt = Math.round(rrcSucc * 0.9)
    const erabSucc = Math.round(erabAtt * Math.min(1, erabRatio))
    const volDl = Math.round(load * 1.5e6 * (1 + 0.1 * rng.normal()))
    return {
      rrcAtt: att,
      rrcSucc: Math.min(att, Math.max(0, rrcSucc)),
      erabAtt,
      erabSucc: Math.min(erabAtt, Math.max(0, erabSucc)),
      erabRelAbnormal: Math.max(0, Math.round(erabSucc * abnormal * (1 + 0.2 * rng.normal()))),
      prbUsedDl: Math.round(util * 100),
      prbAvailDl: 100,
      volDl: Math.max(0, volDl),
      volUl: Math.max(0, Math.round(volDl * 0.1)),
      cellAvailSec: Math.round(g),
    }
  }
}

/** Raises an alarm from the background catalogue on a cell and queues its clear. */
function raiseAndClear(lane: Lane, cell: number, now: number, clearAfterMs: number, severe: boolean): void {
  if (lane.m.cells[cell] === undefined) return
  const entry = alarmCatalogue[severe ? 5 : lane.rng.int(alarmCatalogue.length)] ?? alarmCatalogue[0]
  if (entry === undefined) return
  pushAlarm(lane, cell, now, clearAfterMs, entry)
}

type CatalogueEntry = Pick<AlarmFields, 'eventType' | 'probableCause' | 'perceivedSeverity' | 'specificProblem'>

/** Queues an alarm's raise at `now` and its clear `clearAfterMs` later. */
function pushAlarm(lane: Lane, cell: number, now: number, clearAfterMs: number, entry: CatalogueEntry): void {
  const m = lane.m
  const info = m.cells[cell]
  if (info === undefined) return
  const alarmId = `${info.ecgi}-${lane.newCallReference()}`
  // ceil: a record may not be due before the task time that created it, or the schedule would step back.
  const raiseAt = m.startMs + Math.ceil(now)
  const raiseId = lane.newId()
  lane.push(Math.ceil(now), 'alarms', info.ecgi, raiseId, { kind: 'text', text: alarmHead({ id: raiseId, eventTime: raiseAt, cell: info.ecgi, alarmId, ...entry }) }, raiseAt, false, null)
  const clearT = Math.ceil(now + clearAfterMs)
  const clearId = lane.newId()
  lane.push(clearT, 'alarms', info.ecgi, clearId, { kind: 'text', text: alarmHead({ id: clearId, eventTime: m.startMs + clearT, cell: info.ecgi, alarmId, ...entry, perceivedSeverity: 'cleared' }) }, m.startMs + clearT, false, null)
}

/** Background alarms on a lane's cells: Poisson raises, each cleared after a lognormal delay. */
export class AlarmTask implements Task {
  private readonly ratePerMs: number
  private readonly clear: Holding

  private readonly cells: number[]

  constructor(cells: number[], m: Model) {
    this.cells = cells
    this.ratePerMs = (cells.length * m.s.traffic.alarms.perCell) / 1000
    this.clear = holdingOf(m.s.traffic.alarms.clearAfter)
  }

  first(m: Model, lane: Lane): number {
    return m.nextArrival(0, this.ratePerMs, m.flatMult, false, lane.rng)
  }

  run(now: number, lane: Lane): number {
    const rng = lane.rng
    raiseAndClear(lane, this.cells[rng.int(this.cells.length)] ?? 0, now, drawHolding(rng, this.clear) * 1000, false)
    return lane.m.nextArrival(now, this.ratePerMs, lane.m.flatMult, false, rng)
  }
}

/** An alarm storm on a lane's share of the affected cells: many flapping raise/clear pairs in the window. */
export class AlarmStormTask implements Task {
  private readonly ratePerMs: number

  private readonly cells: number[]
  private readonly end: number

  constructor(cells: number[], end: number, alarmsPerCell: number, windowMs: number) {
    this.cells = cells
    this.end = end
    this.ratePerMs = (cells.length * alarmsPerCell) / Math.max(1, windowMs)
  }

  run(now: number, lane: Lane): number {
    const rng = lane.rng
    raiseAndClear(lane, this.cells[rng.int(this.cells.length)] ?? 0, now, stormClearMs.min + rng.next() * stormClearMs.spread, rng.next() < 0.3)
    const next = now + rng.exp1() / this.ratePerMs
    return next < this.end ? next : Infinity
  }
}

/**
 * The warning alarms before an outage (docs/telecom-model.md "Precursors") on a lane's share of the anomaly's cells:
 * minor alarms at a rate growing linearly from 0 at the precursor's start to `alarmsPerHourAtOnset` per cell at the
 * anomaly's start. It draws from its own PRNG stream, so the lane's other records are drawn as without precursors.
 */
export class PrecursorAlarmTask implements Task {
  private readonly cells: number[]
  private readonly from: number
  private readonly until: number
  private readonly peakPerMs: number
  private readonly rng: Sfc32

  constructor(cells: number[], from: number, until: number, rng: Sfc32) {
    this.cells = cells
    this.from = from
    this.until = until
    this.peakPerMs = (cells.length * precursorEffect.alarmsPerHourAtOnset) / 3_600_000
    this.rng = rng
  }

  /**
   * Next raise after `now` of the Poisson process with rate peak × (t − from) / (until − from): its cumulative
   * rate is peak·u²/(2·window) at u = t − from, inverted for one exponential step.
   */
  next(now: number): number {
    const window = Math.max(1, this.until - this.from)
    const u = Math.max(0, now - this.from)
    const at = this.from + Math.sqrt(u * u + (2 * window * this.rng.exp1()) / this.peakPerMs)
    return at < this.until ? at : Infinity
  }

  run(now: number, lane: Lane): number {
    const rng = this.rng
    const cell = this.cells[rng.int(this.cells.length)] ?? 0
    const entry = precursorAlarmCatalogue[rng.int(precursorAlarmCatalogue.length)] ?? precursorAlarmCatalogue[0]
    if (entry !== undefined) pushAlarm(lane, cell, now, precursorEffect.clearMs.min + rng.next() * precursorEffect.clearMs.spread, entry)
    return this.next(now)
  }
}
