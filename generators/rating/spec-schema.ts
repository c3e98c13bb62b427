import { z } from 'zod'

/**
 * Money bounds (docs/contracts.md "Money bounds"). A rate, fee or message price of at most 10^9 sub-units
 * (100 000 currency units), voice increments of at most a day and data increments of at most 10^9 bytes keep
 * every product the raters form below 2^53, where doubles (the TS rater, JSON readers) stop being exact.
 */
export const MAX_RATE_SUBUNITS = 1_000_000_000
export const MAX_INCREMENT_SEC = 86_400
export const MAX_INCREMENT_BYTES = 1_000_000_000

const subunits = z
  .int()
  .min(0)
  .max(MAX_RATE_SUBUNITS, {
    error: `above ${MAX_RATE_SUBUNITS} sub-units (100 000 currency units), the largest price the raters keep exact; prices are sub-units of 10^-4 currency (1.00 EUR = 10000): check the price's scale`,
  })
const bandRates = z.record(z.string().min(1), subunits)
const incrementSec = z
  .int()
  .min(1)
  .max(MAX_INCREMENT_SEC, { error: `above ${MAX_INCREMENT_SEC} s (one day), the longest increment the raters keep exact: bill long calls in shorter increments` })

const voiceTariffSchema = z.strictObject({
  connectFeeSubunits: subunits.meta({ description: 'Charged once on a complete call or a first partial.' }),
  firstIncrementSec: incrementSec,
  nextIncrementSec: incrementSec,
  ratePerMinuteSubunits: bandRates.meta({ description: 'Sub-units per 60 s, per time band name.' }),
})

const tariffSchema = z.strictObject({
  voice: voiceTariffSchema,
  sms: z.strictObject({ perMessageSubunits: subunits }),
  data: z.strictObject({
    incrementBytes: z
      .int()
      .min(1)
      .max(MAX_INCREMENT_BYTES, { error: `above ${MAX_INCREMENT_BYTES} bytes (1 GB), the largest data increment the raters keep exact: use a smaller increment` }),
    ratePerMegabyteSubunits: bandRates.meta({ description: 'Sub-units per 10^6 bytes, per time band name.' }),
  }),
})

/** The rating spec exactly as docs/contracts.md defines it; the Spark job receives it as JSON. */
export const ratingSpecSchema = z
  .strictObject({
    currency: z.string().regex(/^[A-Z]{3}$/, 'expected an ISO 4217 code such as "EUR"'),
    rounding: z.strictObject({
      mode: z.enum(['up', 'down', 'half-up', 'half-even']),
      per: z.enum(['increment', 'call']),
    }),
    taxBasisPoints: z.int().min(0).max(100_000),
    utcOffsetMinutes: z.int().min(-840).max(840),
    timeBands: z
      .array(z.strictObject({ name: z.string().min(1), fromHour: z.int().min(0).max(23), toHour: z.int().min(1).max(24) }))
      .min(1),
    destinations: z.array(z.strictObject({ prefix: z.string().regex(/^\d+$/, 'expected digits'), class: z.string().min(1) })),
    defaultDestinationClass: z.string().min(1),
    dataClass: z.string().min(1).default('national'),
    tariffs: z.record(z.string().min(1), tariffSchema),
  })
  .meta({ description: 'Tariffs, increments, time bands, destination classes, rounding and tax (docs/contracts.md).' })

/** A validated rating spec (sub-units of 10^-4 currency). */
export type RatingSpec = z.infer<typeof ratingSpecSchema>
/** One destination class's tariff. */
export type Tariff = z.infer<typeof tariffSchema>
