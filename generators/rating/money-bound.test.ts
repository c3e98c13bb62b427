import { describe, expect, it } from 'vitest'
import { defaultRatingSpec } from '../scenario/defaults.ts'
import { validateScenarioText } from '../scenario/validate.ts'
import { collect, records, scenarioFrom } from '../stream/test-helpers.ts'
import { MAX_INCREMENT_BYTES, MAX_INCREMENT_SEC, MAX_RATE_SUBUNITS, type RatingSpec } from './spec-schema.ts'

/** The default spec with every price at the schema's bound (offpeak one below, so quotients do not come out even). */
function maxPriceSpec(rounding: RatingSpec['rounding']): RatingSpec {
  const max = MAX_RATE_SUBUNITS
  const tariff = (first: number, next: number): RatingSpec['tariffs'][string] => ({
    voice: { connectFeeSubunits: max, firstIncrementSec: first, nextIncrementSec: next, ratePerMinuteSubunits: { peak: max, offpeak: max - 1 } },
    sms: { perMessageSubunits: max },
    data: { incrementBytes: 1, ratePerMegabyteSubunits: { peak: max, offpeak: max - 1 } },
  })
  return { ...defaultRatingSpec, rounding, tariffs: { onnet: tariff(60, 1), national: tariff(60, 60), international: tariff(30, 6), premium: tariff(60, 1) } }
}

/** Three evening hours across the 20:00 band change, as JSON (which YAML reads as it is). */
function scenarioYaml(ratingSpec: RatingSpec): string {
  const scenario = { version: 1, name: 'money-bound', seed: 5, startTime: '2026-01-06T18:30:00Z', duration: '3h', population: { subscribers: 500 }, topology: { sites: 2 }, ratingSpec }
  return JSON.stringify(scenario)
}

// An exact (BigInt) reading of docs/contracts.md's algorithm, increment by increment: the oracle.
const HOUR = 3_600_000n
function round(n: bigint, d: bigint, mode: RatingSpec['rounding']['mode']): bigint {
  const q = n / d
  const r = n % d
  if (r === 0n || mode === 'down') return q
  if (mode === 'up') return q + 1n
  if (mode === 'half-up') return 2n * r >= d ? q + 1n : q
  return 2n * r > d || (2n * r === d && q % 2n !== 0n) ? q + 1n : q
}
function band(spec: RatingSpec, t: bigint): string {
  const hour = Number((((t + BigInt(spec.utcOffsetMinutes) * 60_000n) / HOUR) % 24n + 24n) % 24n)
  return spec.timeBands.find((b) => hour >= b.fromHour && hour < b.toHour)?.name ?? ''
}
function cls(spec: RatingSpec, number: string): string {
  const match = spec.destinations.filter((d) => number.startsWith(d.prefix)).sort((a, b) => b.prefix.length - a.prefix.length)[0]
  return match?.class ?? spec.defaultDestinationClass
}
function exactCharge(spec: RatingSpec, r: Record<string, unknown>): bigint {
  const mode = spec.rounding.mode
  const tariffOf = (c: string): RatingSpec['tariffs'][string] => spec.tariffs[c] ?? (() => { throw new Error(`no tariff ${c}`) })()
  if (r['type'] === 'sms') return BigInt(tariffOf(cls(spec, String(r['destinationNumber']))).sms.perMessageSubunits)
  if (r['type'] === 'data') {
    const data = tariffOf(spec.dataClass).data
    const volume = BigInt(Number(r['dataVolumeUplink']) + Number(r['dataVolumeDownlink']))
    const inc = BigInt(data.incrementBytes)
    const billed = volume <= 0n ? 0n : ((volume + inc - 1n) / inc) * inc
    return round(BigInt(data.ratePerMegabyteSubunits[band(spec, BigInt(Number(r['recordOpeningTime'])))] ?? 0) * billed, 1_000_000n, mode)
  }
  const voice = tariffOf(cls(spec, String(r['calledNumber']))).voice
  const duration = BigInt(Number(r['callDuration']))
  const answer = BigInt(Number(r['answerTime']))
  if (duration <= 0n) return 0n
  const first = Number(r['recordSequenceNumber']) <= 1
  let offset = 0n
  let perIncrement = 0n
  let exact = 0n
  for (let k = 0; offset < duration; k++) {
    const len = BigInt(k === 0 && first ? voice.firstIncrementSec : voice.nextIncrementSec)
    const rate = BigInt(voice.ratePerMinuteSubunits[band(spec, answer + offset * 1000n)] ?? 0)
    perIncrement += round(rate * len, 60n, mode)
    exact += rate * len
    offset += len
  }
  return (spec.rounding.per === 'call' ? round(exact, 60n, mode) : perIncrement) + (first ? BigInt(voice.connectFeeSubunits) : 0n)
}

describe('money at the schema bound (docs/contracts.md "Money bounds")', () => {
  it.each([
    { mode: 'up', per: 'increment' },
    { mode: 'half-even', per: 'call' },
  ] as const)('every charge is exact and every bill equals the sum of its charges: rounding $mode per $per', (rounding) => {
    const spec = maxPriceSpec(rounding)
    const s = scenarioFrom(scenarioYaml(spec))
    const { events, truth } = collect(s)
    const byId = new Map(records(events).map((r) => [String(r['id']), r]))
    const exactBySubscriber = new Map<string, bigint>()
    let pastDoubleRange = 0
    for (const line of truth.get('charge') ?? []) {
      const c = JSON.parse(line) as { id: string; subscriber: string; chargeSubunits: number; billedUnits: number }
      const record = byId.get(c.id)
      if (record === undefined) throw new Error(`charge ${c.id} has no record`)
      const exact = exactCharge(s.ratingSpec, record)
      expect(BigInt(c.chargeSubunits), c.id).toBe(exact)
      if (record['type'] === 'data' && BigInt(MAX_RATE_SUBUNITS) * BigInt(c.billedUnits) > BigInt(Number.MAX_SAFE_INTEGER)) pastDoubleRange++
      exactBySubscriber.set(c.subscriber, (exactBySubscriber.get(c.subscriber) ?? 0n) + exact)
    }
    // The data records whose rate × bytes passes 2^53 are where doubles used to lose a sub-unit.
    expect(pastDoubleRange).toBeGreaterThan(100)
    const bills = (truth.get('bill') ?? []).map((l) => JSON.parse(l) as { subscriber: string; chargeSubunits: number; netMinor: number; taxMinor: number; totalMinor: number })
    expect(bills.length).toBe(exactBySubscriber.size)
    for (const b of bills) {
      const sum = exactBySubscriber.get(b.subscriber) ?? -1n
      expect(BigInt(b.chargeSubunits), b.subscriber).toBe(sum)
      const net = round(sum, 100n, 'half-up')
      const tax = round(net * BigInt(spec.taxBasisPoints), 10_000n, 'half-up')
      expect([BigInt(b.netMinor), BigInt(b.taxMinor), BigInt(b.totalMinor)], b.subscriber).toEqual([net, tax, net + tax])
    }
  })

  it('refuses prices and increments past the bound, naming the limit and the fix', () => {
    const spec = maxPriceSpec({ mode: 'up', per: 'increment' })
    const national = spec.tariffs['national']
    if (national === undefined) throw new Error('no national tariff')
    const over = {
      ...spec,
      tariffs: {
        ...spec.tariffs,
        national: {
          voice: { ...national.voice, nextIncrementSec: MAX_INCREMENT_SEC + 1, ratePerMinuteSubunits: { peak: MAX_RATE_SUBUNITS + 1, offpeak: 1 } },
          sms: national.sms,
          data: { ...national.data, incrementBytes: MAX_INCREMENT_BYTES + 1 },
        },
      },
    }
    const r = validateScenarioText(scenarioYaml(over), 'over.yaml')
    expect(r.ok).toBe(false)
    const messages = r.ok ? [] : r.errors.map((e) => `${e.path}: ${e.message}`)
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^ratingSpec\.tariffs\.national\.voice\.ratePerMinuteSubunits\.peak: above 1000000000 sub-units .*check the price's scale/),
        expect.stringMatching(/^ratingSpec\.tariffs\.national\.voice\.nextIncrementSec: above 86400 s .*shorter increments/),
        expect.stringMatching(/^ratingSpec\.tariffs\.national\.data\.incrementBytes: above 1000000000 bytes .*smaller increment/),
      ]),
    )
  })
})
