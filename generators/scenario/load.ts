import type { Topic } from '../stream/entry.ts'
import {
  LANES,
  actorAnswerRatio,
  burstMinHoldS,
  callCentreHolding,
  channelGapMs,
  irsfTiming,
  pbxChannelStaggerMs,
  simSwapTiming,
  stormClearMs,
  subscriptionHolding,
  wangiriCallbackS,
} from '../stream/behaviour.ts'
import {
  alarmEmissions,
  callEmissions,
  dataSessionDurationsS,
  dataSessionEmissions,
  holdingQuantilesS,
  m2mSessionDurationsS,
  m2mSessionEmissions,
  mixture,
  uniformIntegerPoints,
  withCopies,
  type Emission,
} from './emissions.ts'
import type { ScenarioConfig } from './schema.ts'
import { openAt, peakRecordsPerMs, recordsSent, windowPieces, type Arrivals, type Process } from './timeline.ts'

/**
 * The load a scenario offers, computed from its rates over the run's own window (startTime .. startTime +
 * duration) with the generators' model: hourly profiles, flash crowds, fraud and hard-negative actors, partial
 * records, bad-input copies, PM periods and alarms, and the records still in progress when the run ends (never
 * sent). Every topic counts, because `throughput.offered_eps` is every record sent / wall seconds of load.
 */
export interface LoadEstimate {
  /** Records the run is expected to send, per input topic. */
  expectedRecords: Record<Topic, number>
  /** Records the run is expected to send, all topics. */
  expectedEvents: number
  /** Mean records per simulated second over the run. */
  meanEventsPerSimSecond: number
  /** Records per simulated second in the busiest stretch of the run (hour, flash crowd, fraud wave). */
  peakEventsPerSimSecond: number
  /** Mean records per wall second over the run (× timeCompression): what the run offers. */
  meanEventsPerWallSecond: number
  /** Busiest-stretch records per wall second (× timeCompression). */
  peakEventsPerWallSecond: number
  /** The rate `load.rate` asks for, per wall second; null when the scenario sets timeCompression instead. */
  targetEventsPerWallSecond: number | null
}

/** Cells in the topology. */
export function cellCount(s: Pick<ScenarioConfig, 'topology'>): number {
  return s.topology.sites * s.topology.sectorsPerSite * s.topology.carriersPerSector
}

/**
 * Daily-mean normal usage arrivals (calls, SMS, data and M2M sessions) per simulated second: the traffic
 * level PM counters follow (PmTask), independent of the run's window.
 */
export function usageArrivalsPerSimSecond(s: Pick<ScenarioConfig, 'population' | 'traffic'>): number {
  const g = groups(s)
  const t = s.traffic
  return (g.consumers + 2 * g.business) * t.voice.attemptsPerSubscriber + (g.consumers + g.business) * (t.sms.perSubscriber + t.data.sessionsPerSubscriber) + g.m2m * t.data.m2mSessionsPerSubscriber
}

const estimates = new WeakMap<ScenarioConfig, LoadEstimate>()

/** Estimates the records a scenario sends and its offered rate; analytic (nothing is generated): about a millisecond per scenario once warm. */
export function estimateLoad(s: ScenarioConfig): LoadEstimate {
  const cached = estimates.get(s)
  if (cached !== undefined) return cached
  const endMs = s.duration
  const usage = usageProcesses(s)
  const alarms = alarmProcesses(s)
  // PmTask: one record per cell at every period end up to the end of the run.
  const granularity = s.traffic.pm.granularity
  const pmRecords = granularity > 0 ? cellCount(s) * Math.floor(endMs / granularity) : 0
  const expectedRecords: Record<Topic, number> = {
    cdr: sum(usage.map((p) => recordsSent(p, endMs))),
    pm: pmRecords,
    alarms: sum(alarms.map((p) => recordsSent(p, endMs))),
  }
  const expectedEvents = expectedRecords.cdr + expectedRecords.pm + expectedRecords.alarms
  const simSeconds = endMs / 1000
  const peakPerMs = peakRecordsPerMs([...usage, ...alarms], endMs) + (pmRecords > 0 ? cellCount(s) / granularity : 0)
  const mean = simSeconds > 0 ? expectedEvents / simSeconds : 0
  const peak = Math.max(mean, peakPerMs * 1000)
  const estimate: LoadEstimate = {
    expectedRecords,
    expectedEvents,
    meanEventsPerSimSecond: mean,
    peakEventsPerSimSecond: peak,
    meanEventsPerWallSecond: mean * s.timeCompression,
    peakEventsPerWallSecond: peak * s.timeCompression,
    targetEventsPerWallSecond: s.load.rate ?? null,
  }
  estimates.set(s, estimate)
  return estimate
}

/** An offered rate as the plan line and `telcobench validate` print it. */
export function formatEventsPerSecond(eventsPerSecond: number): string {
  // Thousands by hand: toLocaleString's first call loads ICU data (~20 ms, 5 % of `telcobench validate`).
  return eventsPerSecond >= 10 ? String(Math.round(eventsPerSecond)).replace(/\B(?=(\d{3})+$)/g, ',') : eventsPerSecond.toFixed(1)
}

/** A timeCompression as the plan line and `telcobench validate` print it (a derived one has many digits). */
export function formatTimeCompression(timeCompression: number): string {
  return String(Number(timeCompression.toPrecision(4)))
}

interface Groups {
  consumers: number
  business: number
  m2m: number
  /** Consumers who roam neither way: the pool fraud and hard negatives are drawn from (planFraud `isConsumer`). */
  homeConsumers: number
  prepaidHome: number
  postpaidHome: number
}

/** Expected segment sizes (Model draws them per subscriber from hashes of these shares). */
function groups(s: Pick<ScenarioConfig, 'population'>): Groups {
  const p = s.population
  const n = p.subscribers
  const business = n * p.businessPbxShare
  const m2m = n * p.m2mShare
  const consumers = Math.max(0, n - business - m2m)
  const homeConsumers = consumers * Math.max(0, 1 - p.inboundRoamerShare - p.outboundRoamerShare)
  return { consumers, business, m2m, homeConsumers, prepaidHome: homeConsumers * p.prepaidShare, postpaidHome: homeConsumers * p.postpaidShare }
}

/** Usage records: normal traffic (engine startLane), fraud and hard-negative actors (planFraud), copies included. */
function usageProcesses(s: ScenarioConfig): Process[] {
  const endMs = s.duration
  const t = s.traffic
  const g = groups(s)
  const n = s.population.subscribers
  const bad = s.badInput
  const copies = bad.exactDuplicates + bad.resends
  // Lane.emitUsage copies clean, late and out-of-order records, and unknown-subscriber ones; an SMS's negative draw leaves it clean.
  const usageCopyShare = copies * Math.max(0, 1 - bad.malformedJson - bad.negativeDuration - bad.badImsi - bad.oversized)
  const smsCopyShare = copies * Math.max(0, 1 - bad.malformedJson - bad.badImsi - bad.oversized)
  const usage = (e: Emission[]): Emission[] => withCopies(e, usageCopyShare, bad.duplicateDelay)
  const partialS = t.voice.partialInterval / 1000

  const flashes = Object.values(t.flashCrowds).map((f) => ({ fromMs: f.startTime, toMs: Math.min(endMs, f.startTime + f.duration), extra: ((f.multiplier - 1) * f.cells) / Math.max(1, cellCount(s)) }))
  const pieces = windowPieces(Date.parse(s.startTime), s.ratingSpec.utcOffsetMinutes * 60_000, endMs, flashes.flatMap((f) => [f.fromMs, f.toMs]))
  const flashFactor = (atMs: number): number => 1 + sum(flashes.filter((f) => atMs >= f.fromMs && atMs < f.toMs).map((f) => f.extra))
  /** Arrivals of `members` subscribers at a daily rate shaped by a 24-hour profile (ArrivalTask). */
  const profiled = (members: number, perSecond: number, profile: readonly number[] | null, withFlash: boolean): Arrivals[] =>
    pieces.map((p) => ({ fromMs: p.fromMs, toMs: p.toMs, perMs: (members * perSecond * (profile === null ? 1 : (profile[p.hour] ?? 0) * 24) * (withFlash ? flashFactor(p.fromMs) : 1)) / 1000 }))

  const voiceHolds = holdingQuantilesS(t.voice.holdingTime)
  const plainCall = callEmissions({ answerRatio: t.voice.answerRatio, holdsS: voiceHolds, partialS })
  const fraud = fraudActors(s, g)
  const activeConsumers = Math.max(0, g.consumers - fraud.silentSims)
  const heavy = Math.min(Math.round(s.hardNegatives.heavyInternationalCallers.share * n), g.homeConsumers)
  // Heavy international callers' international calls last twice as long (ArrivalTask 'voice').
  const longCallShare = activeConsumers > 0 ? (heavy / activeConsumers) * s.hardNegatives.heavyInternationalCallers.internationalShare : 0
  const consumerCall = mixture([
    [1 - longCallShare, plainCall],
    [longCallShare, callEmissions({ answerRatio: t.voice.answerRatio, holdsS: voiceHolds.map((h) => h * 2), partialS })],
  ])
  const voiceProfile = t.voiceProfile
  const phones = activeConsumers + g.business
  const dataSessions = profiled(phones, t.data.sessionsPerSubscriber, t.dataProfile, true)
  const m2mSessions = profiled(g.m2m, t.data.m2mSessionsPerSubscriber, null, false)
  // Lane.dataSession closes a record at every tariff switch inside it: one more record, sent at the switch.
  const toMs = (seconds: number[]): number[] => seconds.map((d) => d * 1000)
  const switchRecords: Arrivals[] = tariffSwitches(s).map((atMs) => ({
    atMs,
    count: openAt(dataSessions, toMs(dataSessionDurationsS(t.data)), atMs) + openAt(m2mSessions, toMs(m2mSessionDurationsS()), atMs),
  }))
  return [
    { arrivals: profiled(activeConsumers, t.voice.attemptsPerSubscriber, voiceProfile, true), emits: usage(consumerCall) },
    { arrivals: profiled(g.business, 2 * t.voice.attemptsPerSubscriber, voiceProfile, true), emits: usage(plainCall) },
    { arrivals: profiled(phones, t.sms.perSubscriber, voiceProfile, true), emits: withCopies([{ delayMs: 0, records: 1 }], smsCopyShare, bad.duplicateDelay) },
    { arrivals: dataSessions, emits: usage(dataSessionEmissions(t.data)) },
    { arrivals: m2mSessions, emits: usage(m2mSessionEmissions(t.data)) },
    { arrivals: switchRecords, emits: usage([{ delayMs: 0, records: 1 }]) },
    ...fraud.processes.map((p) => ({ arrivals: p.arrivals, emits: usage(p.emits) })),
  ]
}

/**
 * The instants in (0, end] where the rating spec's time band changes: local hour boundaries where the band name
 * does. A record closed by a switch at the very end is still sent: it is due at the end, not after it.
 */
function tariffSwitches(s: ScenarioConfig): number[] {
  const hourMs = 3_600_000
  const bandAt = (hour: number): string => s.ratingSpec.timeBands.find((b) => hour >= b.fromHour && hour < b.toHour)?.name ?? ''
  const startLocal = Date.parse(s.startTime) + s.ratingSpec.utcOffsetMinutes * 60_000
  const switches: number[] = []
  for (let atMs = (Math.floor(startLocal / hourMs) + 1) * hourMs - startLocal; atMs <= s.duration; atMs += hourMs) {
    const hourAfter = Math.floor((((startLocal + atMs) % 86_400_000) + 86_400_000) % 86_400_000 / hourMs)
    if (bandAt((hourAfter + 23) % 24) !== bandAt(hourAfter)) switches.push(atMs)
  }
  return switches
}

/**
 * The actors of planFraud (generators/stream/fraud.ts) as arrival processes, and the SIM-box SIMs that make
 * no normal traffic. Entity counts are the expected ones, capped by the pool each is drawn from.
 */
function fraudActors(s: ScenarioConfig, g: Groups): { processes: Process[]; silentSims: number } {
  const endMs = s.duration
  const n = s.population.subscribers
  const partialS = s.traffic.voice.partialInterval / 1000
  const processes: Process[] = []
  let silentSims = 0
  const answeredCalls = (holdsS: readonly number[]): Emission[] => callEmissions({ answerRatio: 1, holdsS, partialS })
  const actorCalls = (holding: { median: number; sigma: number; max: number }): Emission[] => callEmissions({ answerRatio: actorAnswerRatio, holdsS: holdingQuantilesS(holding), partialS })
  /** PoissonCallsTask: one call at the start, then Poisson calls until the end. */
  const poissonCalls = (actors: number, fromMs: number, toMs: number, perSecond: number, emits: Emission[]): Process => ({
    arrivals: [{ atMs: fromMs, count: actors }, { fromMs, toMs, perMs: (actors * perSecond) / 1000 }],
    emits,
  })
  /** ChannelTask: back-to-back calls from `atMs` (a renewal process: on average W/μ + (1 + cv²)/2 calls in W). */
  const channels = (firstAtMs: number, staggerMs: number, count: number, toMs: number, actors: number, holdsS: readonly number[]): Process => {
    const holdMs = holdsS.map((h) => h * 1000)
    const cycleMs = mean(holdMs) + channelGapMs.min + channelGapMs.spread / 2
    const cycleVariance = variance(holdMs) + channelGapMs.spread ** 2 / 12
    const lead = (cycleMs * (1 - cycleVariance / cycleMs ** 2)) / 2
    const arrivals = Array.from({ length: count }, (_, c): Arrivals[] => {
      const atMs = firstAtMs + c * staggerMs
      return [{ atMs, count: actors }, { fromMs: atMs + lead, toMs, perMs: actors / cycleMs }]
    }).flat()
    return { arrivals, emits: answeredCalls(holdsS) }
  }
  /** BurstTask: `count` calls spacingMs apart on average, from each of `atMs`. */
  const bursts = (atMs: readonly number[], actors: number, count: number, spacingMs: number, maxS: number): Process => ({
    arrivals: atMs.flatMap((first) => Array.from({ length: count }, (_, k) => ({ atMs: first + k * spacingMs, count: actors }))),
    emits: answeredCalls(uniformIntegerPoints({ min: burstMinHoldS, spread: Math.max(1, maxS - burstMinHoldS) })),
  })

  for (const f of Object.values(s.fraud)) {
    const start = f.startTime
    const end = Math.min(endMs, f.duration === undefined ? endMs : start + f.duration)
    switch (f.kind) {
      case 'SIMBOX': {
        const sims = Math.min(Math.round(f.share * n), g.prepaidHome)
        silentSims += sims
        processes.push(poissonCalls(sims, start, end, f.callsPerSim, actorCalls(f.holdingTime)))
        break
      }
      case 'SUBSCRIPTION': {
        const accounts = Math.min(Math.round(f.share * n), g.homeConsumers)
        processes.push(poissonCalls(accounts, start, end, f.usageMultiplier * s.traffic.voice.attemptsPerSubscriber, actorCalls(subscriptionHolding)))
        break
      }
      case 'IRSF': {
        const victims = Math.min(f.attacks, g.postpaidHome)
        processes.push(bursts([start], victims, f.testCalls, irsfTiming.testSpacingMs, irsfTiming.testMaxS))
        const pumpStart = start + f.testCalls * irsfTiming.testSpacingMs + irsfTiming.pumpDelayMs
        processes.push(channels(pumpStart, irsfTiming.channelStaggerMs, f.concurrentCalls, end, victims, holdingQuantilesS(f.callLength)))
        break
      }
      case 'PBX': {
        const lines = Math.min(f.attacks, g.business)
        processes.push(channels(start, pbxChannelStaggerMs, f.channels, end, lines, holdingQuantilesS(f.callLength)))
        break
      }
      case 'WANGIRI': {
        // A victim calls back at start + U·ringWindow + a lognormal delay; calls due at or after the end are dropped.
        const callers = Math.min(Math.round(Math.round(f.victimShare * n) * f.callbackShare), g.homeConsumers)
        const delays = holdingQuantilesS(f.callbackDelay).map((d) => d * 1000)
        const arrivals: Arrivals[] = delays.map((d) =>
          f.ringWindow > 0
            ? { fromMs: start + d, toMs: Math.min(end, start + d + f.ringWindow), perMs: callers / delays.length / f.ringWindow }
            : { atMs: start + d, count: start + d < end ? callers / delays.length : 0 },
        )
        processes.push({ arrivals, emits: answeredCalls(uniformIntegerPoints(wangiriCallbackS)) })
        break
      }
      case 'SIMSWAP': {
        // The swap falls uniformly in the first hour (at most half the window); its follow-up calls come after it.
        const victims = Math.min(f.swaps, g.postpaidHome)
        const within = Math.min(simSwapTiming.swapWithinMs, Math.max(1, end - start) / 2)
        const swapPoints = 8
        const swaps = Array.from({ length: swapPoints }, (_, i) => start + (within * (i + 0.5)) / swapPoints)
        processes.push(bursts(swaps, victims / swapPoints, f.followUpCalls, simSwapTiming.followUpSpacingMs, simSwapTiming.followUpMaxS))
        break
      }
    }
  }

  const cc = s.hardNegatives.callCentres
  const agents = Math.min(cc.count * cc.agentsPerCentre, g.business)
  if (agents > 0) {
    // Agents call only in opening hours: the task wakes all day, a call is made when the local hour is open.
    const pieces = windowPieces(Date.parse(s.startTime), s.ratingSpec.utcOffsetMinutes * 60_000, endMs, [])
    const open = (hour: number): boolean => hour >= cc.openHour && hour < cc.closeHour
    const arrivals: Arrivals[] = pieces.filter((p) => open(p.hour)).map((p) => ({ fromMs: p.fromMs, toMs: p.toMs, perMs: (agents * cc.callsPerAgent) / 1000 }))
    if (pieces[0] !== undefined && open(pieces[0].hour)) arrivals.push({ atMs: 0, count: agents })
    processes.push({ arrivals, emits: actorCalls(callCentreHolding) })
  }
  return { processes, silentSims }
}

/** Background alarms (AlarmTask) and alarm storms (AlarmStormTask), each raise with its clear. */
function alarmProcesses(s: ScenarioConfig): Process[] {
  const endMs = s.duration
  const processes: Process[] = []
  const a = s.traffic.alarms
  if (a.perCell > 0) {
    const clears = holdingQuantilesS(a.clearAfter).map((d) => d * 1000)
    processes.push({ arrivals: [{ fromMs: 0, toMs: endMs, perMs: (cellCount(s) * a.perCell) / 1000 }], emits: alarmEmissions(clears) })
  }
  const stormClears = Array.from({ length: 8 }, (_, j) => stormClearMs.min + (stormClearMs.spread * (j + 0.5)) / 8)
  for (const storm of Object.values(s.anomalies)) {
    if (storm.kind !== 'ALARM_STORM') continue
    // One task per lane holding storm cells raises at the start, then Poisson raises until the window ends.
    const end = Math.min(endMs, storm.startTime + storm.duration)
    const lanes = new Set(storm.cells.map((c) => c % LANES)).size
    const raises = storm.cells.length * storm.alarmsPerCell
    processes.push({
      arrivals: [{ atMs: storm.startTime, count: lanes }, { fromMs: storm.startTime, toMs: end, perMs: raises / Math.max(1, end - storm.startTime) }],
      emits: alarmEmissions(stormClears),
    })
  }
  return processes
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0)
}

function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : sum(values) / values.length
}

function variance(values: readonly number[]): number {
  const m = mean(values)
  return mean(values.map((v) => (v - m) ** 2))
}
