import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { invoiceFromSum, validateScenarioText } from '../../generators/index.ts'
import { collect } from '../../generators/stream/test-helpers.ts'
import { scoreDetection } from './detection.ts'
import { parseLabel, type TruthCharge } from './truth.ts'

const path = new URL('../../scenarios/quickstart.yaml', import.meta.url)

describe('the quickstart SIM box (docs/telecom-model.md §6)', () => {
  const validated = validateScenarioText(readFileSync(path, 'utf8'), 'quickstart.yaml')
  if (!validated.ok) throw new Error(validated.errors.map((e) => e.message).join('\n'))
  const s = validated.scenario
  const { truth } = collect(s)
  const labels = (truth.get('label') ?? []).flatMap((line) => parseLabel(JSON.parse(line) as Record<string, unknown>) ?? [])
  const charges = (truth.get('charge') ?? []).map((line) => JSON.parse(line) as TruthCharge)
  const sims = new Set(labels.filter((l) => l.kind === 'SIMBOX').map((l) => l.entity))
  const simCharges = charges.filter((c) => sims.has(c.subscriber))

  it('rates every SIM-box call twice: as the local call it became and as the international call it bypassed', () => {
    expect(sims.size).toBe(6)
    expect(simCharges.length).toBeGreaterThan(0)
    for (const c of simCharges) expect(c.bypassedSubunits, `${c.subscriber} at ${c.eventTime}`).toBeGreaterThanOrEqual(c.chargeSubunits)
    expect(charges.filter((c) => !sims.has(c.subscriber)).every((c) => c.bypassedSubunits === undefined)).toBe(true)
  })

  it('costs the operator money: the SIMBOX exposure is positive', () => {
    const undetected = scoreDetection({ labels, anomalies: [], alerts: [], charges, toMinor: (x) => invoiceFromSum(s.ratingSpec, x).netMinor })
    expect(undetected.byKind['SIMBOX']?.exposure_total_minor).toBeGreaterThan(0)
    // docs/telecom-model.md §6 quotes these figures: 13.44 EUR paid, 26.25 EUR bypassed.
    expect(simCharges.reduce((sum, c) => sum + c.chargeSubunits, 0)).toBe(134_355)
    expect(simCharges.reduce((sum, c) => sum + (c.bypassedSubunits ?? 0), 0)).toBe(262_500)
    expect(undetected.byKind['SIMBOX']?.exposure_total_minor).toBe(1281)
  })
})
