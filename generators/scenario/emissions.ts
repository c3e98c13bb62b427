import { holdingOf, maxSessionVolumeBytes, m2mSession, ringMs, type UniformRange } from '../stream/behaviour.ts'
import { expectedPartsAtLeast, normalMidQuantiles, type Lognormal } from './distributions.ts'

/**
 * What one arrival (a call attempt, a data session, an SMS, an alarm) emits, as the generators build it
 * (generators/stream/lane.ts, traffic.ts): each entry is a record sent `delayMs` after the arrival, expected
 * `records` times (a weight, so fractions are fine). A record due after the run ends is never sent, so the
 * delays decide how much of the last minutes' traffic a run carries.
 */
export interface Emission {
  delayMs: number
  records: number
}

/** Equally likely points standing for a holding-time or duration distribution. */
const QUANTILE_POINTS = 24
/** Points that stand for records spread evenly over a long call or session. */
const SPREAD_POINTS = 4

/** Expected records of one arrival, whenever they are sent. */
export function recordsPerArrival(emissions: readonly Emission[]): number {
  return emissions.reduce((sum, e) => sum + e.records, 0)
}

/** Mixes alternatives by their probabilities. */
export function mixture(parts: readonly [probability: number, emissions: readonly Emission[]][]): Emission[] {
  return parts.flatMap(([p, emissions]) => (p > 0 ? emissions.map((e) => ({ delayMs: e.delayMs, records: e.records * p })) : []))
}

/** Adds the duplicates and re-sends of bad input: a `copyShare` of the records again, up to `copyDelayMs` later. */
export function withCopies(emissions: readonly Emission[], copyShare: number, copyDelayMs: number): Emission[] {
  if (copyShare <= 0) return [...emissions]
  return [...emissions, ...emissions.map((e) => ({ delayMs: e.delayMs + copyDelayMs / 2, records: e.records * copyShare }))]
}

/** Mean of `min + rng.int(spread)`. */
function meanOfInt(r: UniformRange): number {
  return r.min + (r.spread - 1) / 2
}

/** Equally likely holding times in whole seconds, drawn as drawHolding (generators/stream/behaviour.ts) draws them. */
export function holdingQuantilesS(h: { median: number; sigma: number; max: number }): number[] {
  const spec = holdingOf(h)
  return normalMidQuantiles(QUANTILE_POINTS).map((z) => Math.min(spec.maxS, Math.max(1, Math.round(Math.exp(spec.mu + spec.sigma * z)))))
}

/** Equally likely points standing for `min + rng.int(spread)`: every value when there are few, else mid-quantiles. */
export function uniformIntegerPoints(r: UniformRange): number[] {
  const count = Math.max(1, r.spread)
  if (count <= QUANTILE_POINTS) return Array.from({ length: count }, (_, i) => r.min + i)
  return Array.from({ length: QUANTILE_POINTS }, (_, i) => r.min + ((count - 1) * (i + 0.5)) / QUANTILE_POINTS)
}

/** Records one after another over `lengthMs` after `offsetMs`, `count` of them, spread evenly. */
function spread(offsetMs: number, lengthMs: number, count: number): Emission[] {
  if (count <= 0) return []
  return Array.from({ length: SPREAD_POINTS }, (_, j) => ({ delayMs: offsetMs + (lengthMs * (j + 0.5)) / SPREAD_POINTS, records: count / SPREAD_POINTS }))
}

/**
 * One call attempt (Lane.call): unanswered, one record after the ring; answered, one record per started
 * `partialS` of holding time, each sent when its part ends. `holdsS` are equally likely holding times.
 */
export function callEmissions(o: { answerRatio: number; holdsS: readonly number[]; partialS: number }): Emission[] {
  const partialS = Math.max(1, Math.floor(o.partialS))
  const ringAnswered = meanOfInt(ringMs.answered)
  const answered: Emission[] = []
  for (const hold of o.holdsS) {
    const weight = 1 / o.holdsS.length
    const parts = Math.max(1, Math.ceil(hold / partialS))
    answered.push({ delayMs: ringAnswered + hold * 1000, records: weight })
    if (parts - 1 <= SPREAD_POINTS) {
      for (let k = 1; k < parts; k++) answered.push({ delayMs: ringAnswered + k * partialS * 1000, records: weight })
    } else {
      for (const e of spread(ringAnswered, hold * 1000, parts - 1)) answered.push({ delayMs: e.delayMs, records: e.records * weight })
    }
  }
  return mixture([
    [1 - o.answerRatio, [{ delayMs: meanOfInt(ringMs.unanswered), records: 1 }]],
    [o.answerRatio, answered],
  ])
}

/**
 * One data bearer (Lane.dataSession): a record per started `partialIntervalS` or per `partialVolume` bytes,
 * whichever closes more, the last one sent when the bearer ends. `durationsS` are equally likely durations.
 */
export function sessionEmissions(o: { durationsS: readonly number[]; volume: Lognormal; partialVolume: number; partialIntervalS: number }): Emission[] {
  const partsByTimeLimit = new Map<number, number>()
  const out: Emission[] = []
  for (const durationS of o.durationsS) {
    const weight = 1 / o.durationsS.length
    const byTime = Math.max(1, Math.ceil(durationS / Math.max(1, o.partialIntervalS)))
    let parts = partsByTimeLimit.get(byTime)
    if (parts === undefined) {
      parts = expectedPartsAtLeast(byTime, o.volume, Math.max(1, o.partialVolume))
      partsByTimeLimit.set(byTime, parts)
    }
    out.push({ delayMs: durationS * 1000, records: weight })
    for (const e of spread(0, durationS * 1000, parts - 1)) out.push({ delayMs: e.delayMs, records: e.records * weight })
  }
  return out
}

/** Equally likely durations of a smartphone data session, seconds. */
export function dataSessionDurationsS(d: { sessionDuration: { median: number; sigma: number; max: number } }): number[] {
  return holdingQuantilesS(d.sessionDuration)
}

/** Equally likely durations of an M2M session, seconds. */
export function m2mSessionDurationsS(): number[] {
  return uniformIntegerPoints(m2mSession.durationS)
}

/** A smartphone data session: lognormal duration, volume 10^N(μ, σ) capped (ArrivalTask 'data'). */
export function dataSessionEmissions(d: { sessionDuration: { median: number; sigma: number; max: number }; volumeLog10Mu: number; volumeLog10Sigma: number; partialVolume: number; partialInterval: number }): Emission[] {
  return sessionEmissions({
    durationsS: dataSessionDurationsS(d),
    volume: { mu: d.volumeLog10Mu * Math.LN10, sigma: d.volumeLog10Sigma * Math.LN10, cap: maxSessionVolumeBytes },
    partialVolume: d.partialVolume,
    partialIntervalS: d.partialInterval / 1000,
  })
}

/** An M2M session (ArrivalTask 'm2m'): short, small, lognormal volume around m2mVolumeBytes. */
export function m2mSessionEmissions(d: { m2mVolumeBytes: number; partialVolume: number; partialInterval: number }): Emission[] {
  return sessionEmissions({
    durationsS: m2mSessionDurationsS(),
    volume: { mu: Math.log(d.m2mVolumeBytes), sigma: m2mSession.volumeSigma, cap: Infinity },
    partialVolume: d.partialVolume,
    partialIntervalS: d.partialInterval / 1000,
  })
}

/** An alarm raise and its clear (raiseAndClear in generators/stream/traffic.ts); clears due after the run are not sent. */
export function alarmEmissions(clearDelaysMs: readonly number[]): Emission[] {
  return [{ delayMs: 0, records: 1 }, ...clearDelaysMs.map((d) => ({ delayMs: d, records: 1 / clearDelaysMs.length }))]
}
