import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { invoice } from './invoice.ts'
import { compileRater, rateRecord, type RatableRecord } from './rater.ts'
import { checkRatingSpec } from './spec-rules.ts'
import { ratingSpecSchema, type RatingSpec } from './spec-schema.ts'

interface VectorsFile {
  specs: Record<string, unknown>
  vectors: { name: string; spec: string; record: RatableRecord; expected: unknown }[]
  invoices: { name: string; spec: string; chargesSubunits: number[]; expected: unknown }[]
}

const file = JSON.parse(
  readFileSync(new URL('../../pipelines/contracts/rating-vectors.json', import.meta.url), 'utf8'),
) as VectorsFile
const specs = new Map<string, RatingSpec>(Object.entries(file.specs).map(([name, raw]) => [name, ratingSpecSchema.parse(raw)]))

function spec(name: string): RatingSpec {
  const s = specs.get(name)
  if (s === undefined) throw new Error(`vector names unknown spec ${name}`)
  return s
}

describe('shared rating vectors (pipelines/contracts/rating-vectors.json)', () => {
  it('every shipped spec passes the contract rules', () => {
    for (const [name, s] of specs) expect(checkRatingSpec(s), name).toEqual([])
  })
  it.each(file.vectors.map((v) => [v.name, v] as const))('%s', (_name, v) => {
    expect(rateRecord(spec(v.spec), v.record)).toEqual(v.expected)
  })
  it.each(file.invoices.map((v) => [v.name, v] as const))('invoice: %s', (_name, v) => {
    expect(invoice(spec(v.spec), v.chargesSubunits)).toEqual(v.expected)
  })
})

describe('rater details beyond the vectors', () => {
  const s = spec('default')
  it('a 3-hour per-second call equals the sum of its one-second increments', () => {
    const r = rateRecord(s, { type: 'voice', calledNumber: '353871234567', answerTime: 1767599000000, callDuration: 10_800, recordSequenceNumber: 1 })
    // 07:43:20 start: offpeak until 08:00 then peak; 60 s first increment at offpeak 500, then 1 s steps.
    const offpeakSteps = (1767600000000 - 1767599000000) / 1000 - 60
    const peakSteps = 10_800 - 60 - offpeakSteps
    expect(r.chargeSubunits).toBe(500 + offpeakSteps * Math.ceil(500 / 60) + peakSteps * Math.ceil(1000 / 60))
    expect(r.billedUnits).toBe(10_800)
  })
  it('finds the next tariff switch, skipping hour boundaries where the band stays the same', () => {
    const at = (iso: string): number => Date.parse(iso)
    const rater = compileRater(s)
    expect(rater.nextBandChange(at('2026-01-05T07:43:20Z'))).toBe(at('2026-01-05T08:00:00Z'))
    expect(rater.nextBandChange(at('2026-01-05T08:00:00Z'))).toBe(at('2026-01-05T20:00:00Z'))
    expect(rater.nextBandChange(at('2026-01-05T21:30:00Z'))).toBe(at('2026-01-06T08:00:00Z'))
    expect(compileRater(spec('utc-plus-2')).nextBandChange(at('2026-01-05T07:00:00Z'))).toBe(at('2026-01-05T18:00:00Z'))
    expect(compileRater({ ...s, timeBands: [{ name: 'peak', fromHour: 0, toHour: 24 }] }).nextBandChange(at('2026-01-05T07:00:00Z'))).toBe(Infinity)
  })
  it('rejects specs whose bands leave a gap', () => {
    const broken = { ...s, timeBands: [{ name: 'peak', fromHour: 8, toHour: 20 }] }
    expect(checkRatingSpec(broken).map((p) => p.message).join()).toMatch(/in no time band/)
  })
})
