/** Project defaults from docs/telecom-model.md; tags say where each number comes from. */

/** Weekday voice profile, hours 00..23, sums to 1 (docs/telecom-model.md §5, assumption). */
export const defaultVoiceProfile = [
  0.008, 0.005, 0.003, 0.002, 0.002, 0.005, 0.013, 0.032, 0.052, 0.066, 0.072, 0.068, 0.061, 0.057, 0.059, 0.064,
  0.067, 0.075, 0.085, 0.074, 0.056, 0.038, 0.024, 0.012,
]

/** Data profile: flatter, evening peak 20–23 h (docs/telecom-model.md §5, assumption); sums to 1. */
export const defaultDataProfile = [
  0.0237, 0.0161, 0.0108, 0.0086, 0.0086, 0.0118, 0.0215, 0.0344, 0.043, 0.0462, 0.0484, 0.0495, 0.0516, 0.0505, 0.0495,
  0.0495, 0.0505, 0.0538, 0.0581, 0.0624, 0.0667, 0.0688, 0.0645, 0.0515,
]

/** The default rating spec: the shared vectors' "default" spec (pipelines/contracts/rating-vectors.json). */
export const defaultRatingSpec = {
  currency: 'EUR',
  rounding: { mode: 'up' as const, per: 'increment' as const },
  taxBasisPoints: 2000,
  utcOffsetMinutes: 0,
  timeBands: [
    { name: 'offpeak', fromHour: 0, toHour: 8 },
    { name: 'peak', fromHour: 8, toHour: 20 },
    { name: 'offpeak', fromHour: 20, toHour: 24 },
  ],
  destinations: [
    { prefix: '35387', class: 'onnet' },
    { prefix: '353', class: 'national' },
    { prefix: '88213', class: 'premium' },
    { prefix: '44', class: 'international' },
  ],
  defaultDestinationClass: 'international',
  dataClass: 'national',
  tariffs: {
    onnet: tariff(0, 60, 1, 1000, 500, 500),
    national: tariff(0, 60, 60, 1500, 750, 500),
    international: tariff(0, 30, 6, 3000, 3000, 500),
    premium: tariff(2000, 60, 1, 15000, 15000, 2500),
  },
}

function tariff(connect: number, first: number, next: number, peak: number, offpeak: number, sms: number) {
  return {
    voice: { connectFeeSubunits: connect, firstIncrementSec: first, nextIncrementSec: next, ratePerMinuteSubunits: { peak, offpeak } },
    sms: { perMessageSubunits: sms },
    data: { incrementBytes: 1000, ratePerMegabyteSubunits: { peak: 100, offpeak: 50 } },
  }
}
