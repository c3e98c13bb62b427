import { z } from 'zod'

const subunits = z.int().min(0)
const bandRates = z.record(z.string().min(1), subunits)

const voiceTariffSchema = z.strictObject({
  connectFeeSubunits: subunits.meta({ description: 'Charged once on a complete call or a first partial.' }),
  firstIncrementSec: z.int().min(1),
  nextIncrementSec: z.int().min(1),
  ratePerMinuteSubunits: bandRates.meta({ description: 'Sub-units per 60 s, per time band name.' }),
})

const tariffSchema = z.strictObject({
  voice: voiceTariffSchema,
  sms: z.strictObject({ perMessageSubunits: subunits }),
  data: z.strictObject({
    incrementBytes: z.int().min(1),
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
