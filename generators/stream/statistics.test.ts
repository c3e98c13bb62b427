import { mean, standardDeviation } from 'simple-statistics'
import { describe, expect, it } from 'vitest'
import { defaultVoiceProfile } from '../scenario/defaults.ts'
import { collect, records, scenarioFrom } from './test-helpers.ts'

/** |observed − expected| within k Poisson standard deviations plus a relative slack for model approximations. */
function expectNear(observed: number, expected: number, k = 4, slack = 0.02): void {
  expect(Math.abs(observed - expected)).toBeLessThanOrEqual(k * Math.sqrt(expected) + slack * expected)
}

const N = 10_000
const day = scenarioFrom(`version: 1
name: default-day
seed: 2024
startTime: "2026-01-06T00:00:00Z"
duration: 24h
timeCompression: 1000
population: { subscribers: ${N} }
topology: { sites: 5 }
`)
const dayRecords = records(collect(day).events)
const voice = dayRecords.filter((r) => r.type === 'voice')
const p = day.population
// Consumers make the base rate, business PBX lines twice it, M2M SIMs no calls (see docs/generators.md).
const voiceWeight = N * (1 - p.businessPbxShare - p.m2mShare) + 2 * N * p.businessPbxShare
const smsWeight = N * (1 - p.m2mShare)
const hourOf = (t: unknown): number => new Date(Number(t)).getUTCHours()

describe('the default traffic model against its own spec (docs/telecom-model.md §5)', () => {
  const attempts = voice.filter((r) => r.recordSequenceNumber === 1)

  it('makes 8.3 call attempts per subscriber per day', () => {
    expectNear(attempts.length, voiceWeight * 8.3)
  })

  it('follows the hourly voice profile', () => {
    const perHour = new Array<number>(24).fill(0)
    // Attempts start a few seconds before answerTime; hour boundaries shift a handful of calls at most.
    for (const r of attempts) perHour[hourOf(r.answerTime)] = (perHour[hourOf(r.answerTime)] ?? 0) + 1
    defaultVoiceProfile.forEach((share, h) => {
      expectNear(perHour[h] ?? 0, voiceWeight * 8.3 * share, 4, 0.03)
    })
  })

  it('answers 60% of attempts', () => {
    const answered = attempts.filter((r) => Number(r.callDuration) > 0).length
    expectNear(answered, attempts.length * 0.6)
  })

  it('draws holding times from a lognormal with median 60 s and σ 1.1', () => {
    const logs = voice
      .filter((r) => r.recordSequenceNumber === 1 && Number(r.callDuration) > 0 && r.causeForTerm !== 1)
      .map((r) => Math.log(Number(r.callDuration)))
    expect(logs.length).toBeGreaterThan(40_000)
    // Whole-second rounding biases the fit by well under 0.02.
    expect(mean(logs)).toBeCloseTo(Math.log(60), 1)
    expect(Math.abs(mean(logs) - Math.log(60))).toBeLessThan(0.03)
    expect(Math.abs(standardDeviation(logs) - 1.1)).toBeLessThan(0.03)
  })

  it('offers about 26 mErl of voice per subscriber in the busy hour (MO + the same again MT)', () => {
    const busyHour = defaultVoiceProfile.indexOf(Math.max(...defaultVoiceProfile))
    const seconds = voice.filter((r) => hourOf(r.answerTime) === busyHour).reduce((s, r) => s + Math.max(0, Number(r.callDuration)), 0)
    const milliErlangPerSubscriber = ((2 * seconds) / 3600 / N) * 1000
    expect(milliErlangPerSubscriber).toBeGreaterThan(26 * 0.88)
    expect(milliErlangPerSubscriber).toBeLessThan(26 * 1.12)
  })

  it('sends 3 SMS per subscriber per day', () => {
    expectNear(dayRecords.filter((r) => r.type === 'sms').length, smsWeight * 3)
  })

  it('closes a data partial record on the time or volume limit, each with its own volume', () => {
    const data = dayRecords.filter((r) => r.type === 'data')
    const partials = data.filter((r) => r.causeForRecClosing === 16 || r.causeForRecClosing === 17)
    expect(partials.length).toBeGreaterThan(0)
    for (const r of partials) expect(Number(r.dataVolumeUplink) + Number(r.dataVolumeDownlink)).toBeLessThanOrEqual(50_000_000)
  })

  it('sends one PM record per cell per 15-minute period', () => {
    expect(dayRecords.filter((r) => r.type === 'pm').length).toBe(day.cells * 96)
  })
})

describe('fraud and bad-input base rates', () => {
  const s = scenarioFrom(`version: 1
name: base-rates
seed: 99
startTime: "2026-01-06T12:00:00Z"
duration: 4h
timeCompression: 100
population: { subscribers: ${N} }
topology: { sites: 5 }
fraud:
  box: { kind: SIMBOX, share: 0.002, simsPerBox: 10, callsPerSim: "144/day" }
  sub: { kind: SUBSCRIPTION, share: 0.001 }
badInput:
  exactDuplicates: 0.01
  resends: 0.005
  late: { share: 0.02 }
  outOfOrder: { share: 0.01 }
  malformedJson: 0.004
  negativeDuration: 0.003
  unknownSubscriber: 0.003
  badImsi: 0.003
  oversized: 0.001
`)
  const run = collect(s)
  const labels = (run.truth.get('label') ?? []).map((l) => JSON.parse(l) as { kind: string; entity: string })
  const injections = (run.truth.get('injection') ?? []).map((l) => JSON.parse(l) as { kind: string; id: string; latenessMs?: number })
  const count = (kind: string): number => injections.filter((i) => i.kind === kind).length
  const originals = run.events.filter((e) => e.topic === 'cdr').length - count('duplicate') - count('resend')
  const smsIds = new Set(run.events.filter((e) => e.value.includes('"type":"sms"')).map((e) => e.id))
  const smsCopies = injections.filter((i) => (i.kind === 'duplicate' || i.kind === 'resend') && smsIds.has(i.id)).length
  const smsOriginals = run.events.filter((e) => e.value.includes('"type":"sms"')).length - smsCopies

  it('puts share × subscribers SIMs in boxes and accounts in bust-out fraud', () => {
    expect(labels.filter((l) => l.kind === 'SIMBOX').length).toBe(20)
    expect(labels.filter((l) => l.kind === 'SUBSCRIPTION').length).toBe(10)
  })

  it('makes each SIM-box SIM call at its configured rate', () => {
    const sims = new Set(labels.filter((l) => l.kind === 'SIMBOX').map((l) => l.entity))
    const calls = records(run.events).filter((r) => r.type === 'voice' && r.recordSequenceNumber === 1 && sims.has(String(r.subscriber)))
    expectNear(calls.length, 20 * 144 * (4 / 24), 4, 0.05)
  })

  it.each([
    ['late', 0.02],
    ['out_of_order', 0.01],
    ['malformed', 0.004],
    ['negative_value', 0.003],
    ['unknown_subscriber', 0.003],
    ['bad_imsi', 0.003],
    ['oversized', 0.001],
  ] as const)('injects %s at its share of usage records', (kind, share) => {
    // SMS records have no duration or volume, so negative values are drawn on voice and data records only.
    const eligible = kind === 'negative_value' ? originals - smsOriginals : originals
    expectNear(count(kind), eligible * share)
  })

  it('duplicates and re-sends records at their shares', () => {
    const clean = originals * (1 - 0.004 - 0.003 - 0.003 - 0.001)
    expectNear(count('duplicate'), clean * 0.01)
    expectNear(count('resend'), clean * 0.005)
  })

  it('draws lateness from the configured buckets (95% within 15 minutes by default)', () => {
    const late = injections.filter((i) => i.kind === 'late').map((i) => i.latenessMs ?? 0)
    const within15m = late.filter((ms) => ms <= 900_000).length
    expectNear(within15m, late.length * 0.95, 4, 0.01)
    expect(Math.max(...late)).toBeLessThanOrEqual(48 * 3_600_000)
  })
})
