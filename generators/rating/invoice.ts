import { roundQuotient } from './rounding.ts'
import type { RatingSpec } from './spec-schema.ts'

/** One subscriber's invoice in minor units (cents). */
export interface Invoice {
  netMinor: number
  taxMinor: number
  totalMinor: number
}

/** Invoices a subscriber from its record charges: round the sum once to minor units, then tax once. */
export function invoice(spec: Pick<RatingSpec, 'taxBasisPoints'>, chargesSubunits: readonly number[]): Invoice {
  let sum = 0
  for (const c of chargesSubunits) sum += c
  return invoiceFromSum(spec, sum)
}

/** {@link invoice} from an already-summed charge total in sub-units. */
export function invoiceFromSum(spec: Pick<RatingSpec, 'taxBasisPoints'>, sumSubunits: number): Invoice {
  const netMinor = roundQuotient(sumSubunits, 100, 'half-up')
  const taxMinor = roundQuotient(netMinor * spec.taxBasisPoints, 10_000, 'half-up')
  return { netMinor, taxMinor, totalMinor: netMinor + taxMinor }
}
