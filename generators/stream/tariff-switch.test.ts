import { describe, expect, it } from 'vitest'
import { rateRecord } from '../rating/rater.ts'
import { defaultRatingSpec } from '../scenario/defaults.ts'
import { collect, records, scenarioFrom } from './test-helpers.ts'

/** A stadium crowd in the half hour either side of 20:00, where the default tariff switches from peak to off-peak. */
function crowdYaml(ratingSpec: object): string {
  return `version: 1
name: tariff-switch
seed: 31
startTime: "2026-01-10T19:30:00Z"
duration: 1h
population: { subscribers: 600 }
topology: { sites: 2 }
traffic:
  flashCrowds:
    stadium: { startTime: 0s, duration: 1h, firstCell: 0, cells: 4, multiplier: 20 }
ratingSpec: ${JSON.stringify(ratingSpec)}
`
}

const SWITCH = Date.parse('2026-01-10T20:00:00Z')

interface DataRecord {
  id: string
  chargingID: string
  recordSequenceNumber: number
  recordOpeningTime: number
  duration: number
  dataVolumeUplink: number
  dataVolumeDownlink: number
  causeForRecClosing: number
}

function dataRecords(yaml: string): { data: DataRecord[]; charges: Map<string, { chargeSubunits: number; band: string }> } {
  const { events, truth } = collect(scenarioFrom(yaml))
  const data = records(events).filter((r) => r['type'] === 'data') as unknown as DataRecord[]
  const charges = new Map((truth.get('charge') ?? []).map((l) => JSON.parse(l) as { id: string; chargeSubunits: number; band: string }).map((c) => [c.id, c]))
  return { data, charges }
}

const end = (r: DataRecord): number => r.recordOpeningTime + r.duration * 1000
const volume = (r: DataRecord): number => r.dataVolumeUplink + r.dataVolumeDownlink
const key = (chargingID: string, opening: number): string => `${chargingID}@${opening}`

describe('a data record that spans a tariff switch is closed there (docs/generators.md "Data")', () => {
  // The same scenario twice: with the default bands, and with one band all day (no switch). Without bad input the
  // generator draws nothing per record, so both runs hold the same bearers and differ only where 20:00 splits one.
  const banded = dataRecords(crowdYaml(defaultRatingSpec))
  const oneBand = dataRecords(crowdYaml({ ...defaultRatingSpec, timeBands: [{ name: 'peak', fromHour: 0, toHour: 24 }] }))
  const bandedByOpening = new Map(banded.data.map((r) => [key(r.chargingID, r.recordOpeningTime), r]))
  const crossing = oneBand.data.filter((r) => r.recordOpeningTime < SWITCH && end(r) >= SWITCH + 1000)

  it('splits each record that crosses 20:00 into two, whose durations and volumes sum to the original', () => {
    expect(crossing.length).toBeGreaterThan(20)
    for (const whole of crossing) {
      const first = bandedByOpening.get(key(whole.chargingID, whole.recordOpeningTime))
      expect(first, whole.id).toBeDefined()
      if (first === undefined) continue
      // Closed at the first whole second of the record at or after the switch, cause 19 (maxChangeCond).
      expect(end(first)).toBeGreaterThanOrEqual(SWITCH)
      expect(end(first)).toBeLessThan(SWITCH + 1000)
      expect(first.causeForRecClosing).toBe(19)
      const second = bandedByOpening.get(key(whole.chargingID, end(first)))
      expect(second, whole.id).toBeDefined()
      if (second === undefined) continue
      expect(second.recordSequenceNumber).toBe(first.recordSequenceNumber + 1)
      expect(first.duration + second.duration).toBe(whole.duration)
      expect(volume(first) + volume(second)).toBe(volume(whole))
      expect(Math.abs(first.dataVolumeUplink + second.dataVolumeUplink - whole.dataVolumeUplink)).toBeLessThanOrEqual(1)
      expect(second.causeForRecClosing).toBe(whole.causeForRecClosing)
      // Volume follows time: the first part's share of the volume is its share of the duration.
      expect(Math.abs(volume(first) - (volume(whole) * first.duration) / whole.duration)).toBeLessThanOrEqual(1)
    }
  })

  it('rates each part at its own band in the truth', () => {
    for (const whole of crossing) {
      const first = bandedByOpening.get(key(whole.chargingID, whole.recordOpeningTime))
      const second = first === undefined ? undefined : bandedByOpening.get(key(whole.chargingID, end(first)))
      if (first === undefined || second === undefined) throw new Error(`${whole.id} was not split`)
      const firstCharge = banded.charges.get(first.id)
      const secondCharge = banded.charges.get(second.id)
      expect(firstCharge?.band).toBe('peak')
      expect(secondCharge?.band).toBe('offpeak')
      expect(firstCharge?.chargeSubunits).toBe(rateRecord(defaultRatingSpec, { type: 'data', ...first }).chargeSubunits)
      expect(secondCharge?.chargeSubunits).toBe(rateRecord(defaultRatingSpec, { type: 'data', ...second }).chargeSubunits)
    }
  })

  it('leaves every other record as it was, later partials of a split bearer numbered one up', () => {
    const split = new Set(crossing.map((r) => key(r.chargingID, r.recordOpeningTime)))
    const splitsBefore = (r: DataRecord): number => crossing.filter((c) => c.chargingID === r.chargingID && c.recordOpeningTime < r.recordOpeningTime).length
    let unchanged = 0
    for (const r of oneBand.data) {
      if (split.has(key(r.chargingID, r.recordOpeningTime))) continue
      const same = bandedByOpening.get(key(r.chargingID, r.recordOpeningTime))
      expect({ ...same, id: '' }, r.id).toEqual({ ...r, id: '', recordSequenceNumber: r.recordSequenceNumber + splitsBefore(r) })
      unchanged++
    }
    // The banded run also holds first parts of records that end after the run (their second part is never sent).
    const extra = banded.data.length - unchanged - 2 * crossing.length
    expect(extra).toBeGreaterThanOrEqual(0)
    const unmatched = banded.data.filter((r) => r.causeForRecClosing === 19 && !split.has(key(r.chargingID, r.recordOpeningTime)))
    expect(unmatched.length).toBe(extra)
  })
})
