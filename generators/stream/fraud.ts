import { imeiFor } from '../identity/identities.ts'
import { Sfc32, hash3 } from '../random/prng.ts'
import {
  actorAnswerRatio,
  burstMinHoldS,
  burstSpacingFactor,
  callCentreHolding,
  channelGapMs,
  drawHolding,
  holdingOf,
  irsfTiming,
  pbxChannelStaggerMs,
  simSwapTiming,
  subscriptionHolding,
  wangiriCallbackS,
  type Holding,
} from './behaviour.ts'
import type { Task } from './entry.ts'
import type { Lane } from './lane.ts'
import { LANES, Role, Segment, pickSubscribers, type Model } from './model.ts'
import { internationalNumber, localNumber, offnetNumber, premiumNumber, randomDigits } from './numbers.ts'

/** A ground-truth label: a fraudulent (or hard-negative) entity over a time window. */
export interface Label {
  entityType: 'subscriber' | 'number' | 'tac'
  entity: string
  kind: string
  fraud: boolean
  campaignId: string
  /** Epoch ms. */
  start: number
  end: number
  details?: Record<string, unknown>
}

/** A behaviour that runs in one lane; data only, turned into a task per stream. */
export type ActorSpec =
  | { type: 'calls'; sub: number; start: number; end: number; ratePerMs: number; dest: 'local' | 'international' | 'mixedIntl'; holding: Holding; cell?: number; imei?: string; hours?: [number, number] }
  | { type: 'channel'; sub: number; start: number; end: number; dest: 'premium' | 'international'; prefix: string; holding: Holding }
  | { type: 'burst'; sub: number; start: number; count: number; spacingMs: number; dest: 'premium' | 'bank'; prefix: string; maxS: number }
  | { type: 'callbacks'; calls: { t: number; sub: number; number: string; holdS: number }[] }

/** Fraud and hard-negative plan: who does what, and the labels; computed once per scenario. */
export interface Plan {
  actors: { lane: number; start: number; spec: ActorSpec }[]
  labels: { lane: number; label: Label }[]
}

const laneOf = (j: number): number => j % LANES

/** Selects fraudsters, victims and hard negatives deterministically and records their labels. */
export function planFraud(m: Model): Plan {
  const plan: Plan = { actors: [], labels: [] }
  const s = m.s
  const taken = new Set<number>()
  const abs = (t: number): number => m.startMs + t
  const isConsumer = (j: number): boolean => (m.segment[j] === Segment.prepaid || m.segment[j] === Segment.postpaid) && m.inboundRoamer[j] === 0 && m.outboundRoamer[j] === 0
  const isPostpaid = (j: number): boolean => m.segment[j] === Segment.postpaid && isConsumer(j)
  const isBusiness = (j: number): boolean => m.segment[j] === Segment.business
  let stream = 1000
  const label = (lane: number, l: Label): void => { plan.labels.push({ lane, label: l }) }
  const sub = (j: number, kind: string, fraud: boolean, campaignId: string, start: number, end: number, details?: Record<string, unknown>): void => {
    label(laneOf(j), { entityType: 'subscriber', entity: m.imsi(j), kind, fraud, campaignId, start: abs(start), end: abs(end), ...(details === undefined ? {} : { details }) })
  }

  for (const [name, f] of Object.entries(s.fraud)) {
    const start = f.startTime
    const end = Math.min(m.endT, f.duration === undefined ? m.endT : start + f.duration)
    const rng = new Sfc32(m.seed, stream++)
    switch (f.kind) {
      case 'SIMBOX': {
        const sims = pickSubscribers(m, stream++, Math.round(f.share * m.n), (j) => m.segment[j] === Segment.prepaid && isConsumer(j), taken)
        const holding = holdingOf(f.holdingTime)
        sims.forEach((j, i) => {
          const box = Math.floor(i / f.simsPerBox)
          const boxImei = imeiFor(m.tacs[hash3(m.seed, box, 71) % m.tacs.length] ?? '35000000', hash3(m.seed, box, 72))
          const cell = hash3(m.seed, box, 73) % m.cells.length
          m.role[j] = Role.silent
          m.boxOf.set(j, { imei: boxImei, cell })
          plan.actors.push({ lane: laneOf(j), start, spec: { type: 'calls', sub: j, start, end, ratePerMs: f.callsPerSim / 1000, dest: 'local', holding, cell, imei: boxImei } })
          sub(j, 'SIMBOX', true, `${name}-box${box}`, start, end, { imei: boxImei })
        })
        break
      }
      case 'WANGIRI': {
        const numbers = Array.from({ length: f.aNumbers }, () => f.numberPrefix + randomDigits(rng, 6))
        const victims = Math.round(f.victimShare * m.n)
        const callers = pickSubscribers(m, stream++, Math.round(victims * f.callbackShare), isConsumer, taken)
        const delay = holdingOf(f.callbackDelay)
        const byLane = new Map<number, { t: number; sub: number; number: string; holdS: number }[]>()
        let lastCall = start
        for (const j of callers) {
          const t = start + rng.next() * f.ringWindow + drawHolding(rng, delay) * 1000
          if (t >= end) continue
          const number = numbers[rng.int(numbers.length)] ?? ''
          const call = { t, sub: j, number, holdS: wangiriCallbackS.min + rng.int(wangiriCallbackS.spread) }
          lastCall = Math.max(lastCall, t + call.holdS * 1000)
          const list = byLane.get(laneOf(j)) ?? []
          list.push(call)
          byLane.set(laneOf(j), list)
        }
        for (const [lane, calls] of byLane) {
          calls.sort((a, b) => a.t - b.t)
          plan.actors.push({ lane, start: calls[0]?.t ?? start, spec: { type: 'callbacks', calls } })
        }
        const campaignLane = hash3(m.seed, stream, 77) % LANES
        for (const number of numbers) {
          label(campaignLane, { entityType: 'number', entity: number, kind: 'WANGIRI', fraud: true, campaignId: name, start: abs(start), end: abs(Math.min(m.endT, lastCall)), details: { rung: victims, callers: callers.map((j) => m.imsi(j)) } })
        }
        break
      }
      case 'IRSF': {
        const victims = pickSubscribers(m, stream++, f.attacks, isPostpaid, taken)
        const holding = holdingOf(f.callLength)
        for (const j of victims) {
          plan.actors.push({ lane: laneOf(j), start, spec: { type: 'burst', sub: j, start, count: f.testCalls, spacingMs: irsfTiming.testSpacingMs, dest: 'premium', prefix: f.numberPrefix, maxS: irsfTiming.testMaxS } })
          const pumpStart = start + f.testCalls * irsfTiming.testSpacingMs + irsfTiming.pumpDelayMs
          for (let c = 0; c < f.concurrentCalls; c++) {
            plan.actors.push({ lane: laneOf(j), start: pumpStart + c * irsfTiming.channelStaggerMs, spec: { type: 'channel', sub: j, start: pumpStart, end, dest: 'premium', prefix: f.numberPrefix, holding } })
          }
          sub(j, 'IRSF', true, name, start, end)
        }
        break
      }
      case 'PBX': {
        const pbxs = pickSubscribers(m, stream++, f.attacks, isBusiness, taken)
        const holding = holdingOf(f.callLength)
        for (const j of pbxs) {
          for (let c = 0; c < f.channels; c++) {
            plan.actors.push({ lane: laneOf(j), start: start + c * pbxChannelStaggerMs, spec: { type: 'channel', sub: j, start, end, dest: 'international', prefix: '', holding } })
          }
          sub(j, 'PBX', true, name, start, end)
        }
        break
      }
      case 'SUBSCRIPTION': {
        const accounts = pickSubscribers(m, stream++, Math.round(f.share * m.n), isConsumer, taken)
        const ratePerMs = (f.usageMultiplier * s.traffic.voice.attemptsPerSubscriber) / 1000
        const holding = holdingOf(subscriptionHolding)
        for (const j of accounts) {
          plan.actors.push({ lane: laneOf(j), start, spec: { type: 'calls', sub: j, start, end, ratePerMs, dest: 'mixedIntl', holding } })
          sub(j, 'SUBSCRIPTION', true, name, start, end)
        }
        break
      }
      case 'SIMSWAP': {
        const victims = pickSubscribers(m, stream++, f.swaps, isPostpaid, taken)
        for (const j of victims) {
          const at = start + rng.next() * Math.min(simSwapTiming.swapWithinMs, Math.max(1, end - start) / 2)
          const to = m.newIdentity()
          m.swaps.set(j, { at, to })
          plan.actors.push({ lane: laneOf(j), start: at, spec: { type: 'burst', sub: j, start: at, count: f.followUpCalls, spacingMs: simSwapTiming.followUpSpacingMs, dest: 'bank', prefix: '3531800', maxS: simSwapTiming.followUpMaxS } })
          label(laneOf(j), { entityType: 'subscriber', entity: m.imsi(to), kind: 'SIMSWAP', fraud: true, campaignId: name, start: abs(at), end: abs(Math.min(m.endT, at + 1_800_000)), details: { msisdn: m.msisdn(j), oldImsi: m.imsi(j), newImei: m.imei(to) } })
        }
        break
      }
    }
  }

  const hn = s.hardNegatives
  const cc = hn.callCentres
  for (let c = 0; c < cc.count; c++) {
    const agents = pickSubscribers(m, stream++, cc.agentsPerCentre, isBusiness, taken)
    const holding = holdingOf(callCentreHolding)
    for (const j of agents) {
      plan.actors.push({ lane: laneOf(j), start: 0, spec: { type: 'calls', sub: j, start: 0, end: m.endT, ratePerMs: cc.callsPerAgent / 1000, dest: 'local', holding, hours: [cc.openHour, cc.closeHour] } })
      sub(j, 'CALL_CENTRE', false, `call-centre-${c}`, 0, m.endT)
    }
  }
  const heavy = pickSubscribers(m, stream++, Math.round(hn.heavyInternationalCallers.share * m.n), isConsumer, taken)
  for (const j of heavy) {
    m.role[j] = Role.heavyInternational
    sub(j, 'HEAVY_INTERNATIONAL', false, 'heavy-international', 0, m.endT)
  }
  m.fleetTacs.forEach((tac, i) => {
    label(i % LANES, { entityType: 'tac', entity: tac, kind: 'M2M_FLEET', fraud: false, campaignId: `m2m-fleet-${i}`, start: abs(0), end: abs(m.endT) })
  })
  return plan
}

/** Turns an actor spec into a task for its lane. */
export function actorTask(spec: ActorSpec): Task {
  switch (spec.type) {
    case 'calls':
      return new PoissonCallsTask(spec)
    case 'channel':
      return new ChannelTask(spec)
    case 'burst':
      return new BurstTask(spec)
    case 'callbacks':
      return new CallbacksTask(spec.calls)
  }
}

/** Calls at a constant rate (optionally only within local opening hours). */
class PoissonCallsTask implements Task {
  private readonly a: Extract<ActorSpec, { type: 'calls' }>
  constructor(a: Extract<ActorSpec, { type: 'calls' }>) {
    this.a = a
  }
  run(now: number, lane: Lane): number {
    const a = this.a
    const m = lane.m
    const rng = lane.rng
    const hour = m.hourAt(now)
    const open = a.hours === undefined || (hour >= a.hours[0] && hour < a.hours[1])
    if (open) {
      const called = a.dest === 'local' ? localNumber(m, rng) : a.dest === 'international' || rng.next() < 0.7 ? internationalNumber(rng) : offnetNumber(rng)
      const answered = rng.next() < actorAnswerRatio
      lane.call(a.sub, now, called, answered ? drawHolding(rng, a.holding) : 0, answered, a.cell ?? m.cellFor(a.sub, now, rng), false, a.imei)
    }
    const next = now + rng.exp1() / a.ratePerMs
    return next < a.end ? next : Infinity
  }
}

/** One channel of a pumping attack: back-to-back calls with short gaps until the attack ends. */
class ChannelTask implements Task {
  private readonly a: Extract<ActorSpec, { type: 'channel' }>
  constructor(a: Extract<ActorSpec, { type: 'channel' }>) {
    this.a = a
  }
  run(now: number, lane: Lane): number {
    const a = this.a
    const rng = lane.rng
    const hold = drawHolding(rng, a.holding)
    const called = a.dest === 'premium' ? premiumNumber(rng, a.prefix) : internationalNumber(rng)
    lane.call(a.sub, now, called, hold, true, lane.m.cellFor(a.sub, now, rng))
    const next = now + hold * 1000 + channelGapMs.min + rng.next() * channelGapMs.spread
    return next < a.end ? next : Infinity
  }
}

/** A fixed number of calls at a spacing (IRSF test calls, post-swap calls to the bank). */
class BurstTask implements Task {
  private done = 0
  private readonly a: Extract<ActorSpec, { type: 'burst' }>
  constructor(a: Extract<ActorSpec, { type: 'burst' }>) {
    this.a = a
  }
  run(now: number, lane: Lane): number {
    const a = this.a
    const rng = lane.rng
    if (this.done >= a.count) return Infinity
    this.done++
    const called = a.dest === 'premium' ? premiumNumber(rng, a.prefix) : a.prefix + randomDigits(rng, 5)
    lane.call(a.sub, now, called, burstMinHoldS + rng.int(Math.max(1, a.maxS - burstMinHoldS)), true, lane.m.cellFor(a.sub, now, rng))
    return this.done < a.count ? now + a.spacingMs * (burstSpacingFactor.min + rng.next() * burstSpacingFactor.spread) : Infinity
  }
}

/** Wangiri victims calling the campaign's numbers back, in time order. */
class CallbacksTask implements Task {
  private i = 0
  private readonly calls: { t: number; sub: number; number: string; holdS: number }[]
  constructor(calls: { t: number; sub: number; number: string; holdS: number }[]) {
    this.calls = calls
  }
  run(now: number, lane: Lane): number {
    const c = this.calls[this.i++]
    if (c !== undefined) lane.call(c.sub, now, c.number, c.holdS, true, lane.m.cellFor(c.sub, now, lane.rng))
    return this.calls[this.i]?.t ?? Infinity
  }
}
