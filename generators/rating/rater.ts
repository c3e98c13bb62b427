import { roundProduct, roundQuotient, roundRemainder } from './rounding.ts'
import type { RatingSpec, Tariff } from './spec-schema.ts'

/** The result of rating one usage record (docs/contracts.md). */
export interface RatedCharge {
  chargeSubunits: number
  billedUnits: number
  band: string
  destinationClass: string
}

/** The fields of a usage record that rating reads; other fields are ignored. */
export type RatableRecord =
  | { type: 'voice'; calledNumber: string; answerTime: number; callDuration: number; recordSequenceNumber: number }
  | { type: 'sms'; destinationNumber: string; originationTime: number }
  | { type: 'data'; dataVolumeUplink: number; dataVolumeDownlink: number; recordOpeningTime: number }

const HOUR_MS = 3_600_000
const DAY_MS = 86_400_000

/** A rating spec with its lookups precomputed; build once with {@link compileRater} and reuse. */
export class CompiledRater {
  readonly spec: RatingSpec
  private readonly bandByHour: string[]
  /** Per local hour: whole hours from its start to the next band change (Infinity when every hour has one band). */
  private readonly hoursToChange: number[]
  private readonly offsetMs: number
  private readonly prefixes: { prefix: string; cls: string }[]

  constructor(spec: RatingSpec) {
    this.spec = spec
    this.offsetMs = spec.utcOffsetMinutes * 60_000
    this.bandByHour = Array.from({ length: 24 }, (_, h) => spec.timeBands.find((b) => h >= b.fromHour && h < b.toHour)?.name ?? '')
    this.hoursToChange = this.bandByHour.map((name, h) => {
      for (let k = 1; k <= 24; k++) if (this.bandByHour[(h + k) % 24] !== name) return k
      return Infinity
    })
    this.prefixes = spec.destinations
      .map((d) => ({ prefix: d.prefix, cls: d.class }))
      .sort((x, y) => y.prefix.length - x.prefix.length)
  }

  /** Time band of an epoch-ms instant. */
  band(t: number): string {
    return this.bandByHour[this.hourOf(t)] ?? ''
  }

  /** The first instant after t at which the time band changes (a tariff switch), or Infinity when there is one band. */
  nextBandChange(t: number): number {
    const hours = this.hoursToChange[this.hourOf(t)] ?? Infinity
    return hours === Infinity ? Infinity : this.nextHourBoundary(t) + (hours - 1) * HOUR_MS
  }

  /** Destination class of a dialled number: longest matching prefix, else the default. */
  destinationClass(number: string): string {
    for (const p of this.prefixes) if (number.startsWith(p.prefix)) return p.cls
    return this.spec.defaultDestinationClass
  }

  /** Rates a voice record: increments laid from answerTime, each charged at the band where it starts. */
  rateVoice(calledNumber: string, answerTime: number, callDuration: number, sequence: number): RatedCharge {
    return this.rateVoiceAs(this.destinationClass(calledNumber), answerTime, callDuration, sequence)
  }

  /** {@link rateVoice} with the destination class given instead of looked up from the called number. */
  rateVoiceAs(destinationClass: string, answerTime: number, callDuration: number, sequence: number): RatedCharge {
    const band = this.band(answerTime)
    if (callDuration <= 0) return { chargeSubunits: 0, billedUnits: 0, band, destinationClass }
    const voice = this.tariff(destinationClass).voice
    const perIncrement = this.spec.rounding.per === 'increment'
    const mode = this.spec.rounding.mode
    let offsetSec = 0
    let charge = 0
    // per: call keeps Σ rate·seconds as exactMinutes·60 + exactRest, since rate·seconds itself can pass 2^53.
    let exactMinutes = 0
    let exactRest = 0
    if (sequence === 1) {
      const rate = this.rateAt(voice.ratePerMinuteSubunits, answerTime)
      const len = voice.firstIncrementSec
      if (perIncrement) charge += roundQuotient(rate * len, 60, mode)
      else {
        exactMinutes += rate * Math.floor(len / 60)
        exactRest += rate * (len % 60)
      }
      offsetSec = len
    }
    const step = voice.nextIncrementSec
    // Walk the remaining increments one band segment at a time: within a segment every increment costs the same.
    while (offsetSec < callDuration) {
      const startMs = answerTime + offsetSec * 1000
      const rate = this.rateAt(voice.ratePerMinuteSubunits, startMs)
      const remaining = Math.ceil((callDuration - offsetSec) / step)
      const toBoundary = Math.ceil((this.nextHourBoundary(startMs) - startMs) / (step * 1000))
      const count = Math.max(1, Math.min(remaining, toBoundary))
      if (perIncrement) charge += count * roundQuotient(rate * step, 60, mode)
      else {
        const seconds = count * step
        exactMinutes += rate * Math.floor(seconds / 60)
        exactRest += rate * (seconds % 60)
      }
      offsetSec += count * step
    }
    if (!perIncrement) {
      const carry = Math.floor(exactRest / 60)
      charge = roundRemainder(exactMinutes + carry, exactRest - carry * 60, 60, mode)
    }
    if (sequence === 1) charge += voice.connectFeeSubunits
    return { chargeSubunits: charge, billedUnits: offsetSec, band, destinationClass }
  }

  /** Rates an SMS record. */
  rateSms(destinationNumber: string, originationTime: number): RatedCharge {
    const destinationClass = this.destinationClass(destinationNumber)
    return {
      chargeSubunits: this.tariff(destinationClass).sms.perMessageSubunits,
      billedUnits: 1,
      band: this.band(originationTime),
      destinationClass,
    }
  }

  /** Rates a data record on its own volume (partials do not repeat earlier volumes). */
  rateData(volumeBytes: number, recordOpeningTime: number): RatedCharge {
    const destinationClass = this.spec.dataClass
    const data = this.tariff(destinationClass).data
    const band = this.band(recordOpeningTime)
    const billed = volumeBytes <= 0 ? 0 : Math.ceil(volumeBytes / data.incrementBytes) * data.incrementBytes
    const rate = data.ratePerMegabyteSubunits[band] ?? 0
    return { chargeSubunits: roundProduct(rate, billed, 1_000_000, this.spec.rounding.mode), billedUnits: billed, band, destinationClass }
  }

  /** Rates any usage record. */
  rate(record: RatableRecord): RatedCharge {
    switch (record.type) {
      case 'voice':
        return this.rateVoice(record.calledNumber, record.answerTime, record.callDuration, record.recordSequenceNumber)
      case 'sms':
        return this.rateSms(record.destinationNumber, record.originationTime)
      case 'data':
        return this.rateData(record.dataVolumeUplink + record.dataVolumeDownlink, record.recordOpeningTime)
    }
  }

  private hourOf(t: number): number {
    const local = (((t + this.offsetMs) % DAY_MS) + DAY_MS) % DAY_MS
    return Math.floor(local / HOUR_MS)
  }

  private nextHourBoundary(t: number): number {
    const local = t + this.offsetMs
    return (Math.floor(local / HOUR_MS) + 1) * HOUR_MS - this.offsetMs
  }

  private rateAt(rates: Record<string, number>, t: number): number {
    return rates[this.band(t)] ?? 0
  }

  private tariff(cls: string): Tariff {
    const tariff = this.spec.tariffs[cls]
    // Validation guarantees every named class has a tariff; a hand-built spec may not.
    if (tariff === undefined) throw new Error(`rating spec has no tariff for destination class "${cls}"`)
    return tariff
  }
}

const compiled = new WeakMap<RatingSpec, CompiledRater>()

/** Returns the compiled rater for a spec, building it on first use. */
export function compileRater(spec: RatingSpec): CompiledRater {
  let rater = compiled.get(spec)
  if (rater === undefined) {
    rater = new CompiledRater(spec)
    compiled.set(spec, rater)
  }
  return rater
}

/** Rates one usage record with docs/contracts.md's algorithm, in integer sub-units. */
export function rateRecord(spec: RatingSpec, record: RatableRecord): RatedCharge {
  return compileRater(spec).rate(record)
}
