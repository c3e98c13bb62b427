import { roundProduct, roundQuotient } from './rounding.ts'
import type { RatingSpec } from './spec-schema.ts'

/** One subscriber's invoice in minor units (cents). */
export interface Invoice {
  netMinor: number
  taxMinor: number
  totalMinor: number
}

/**
 * Invoices a subscriber from its record charges: round the sum once to minor units, then tax once.
 * @throws RangeError when the sum passes 2^53 − 1 sub-units, where a double no longer holds it exactly.
 */
export function invoice(spec: Pick<RatingSpec, 'taxBasisPoints'>, chargesSubunits: readonly number[]): Invoice {
  let sum = 0
  for (const c of chargesSubunits) sum += c
  if (!Number.isSafeInteger(sum)) throw new RangeError(`a bill of ${chargesSubunits.length} charges sums to ${sum} sub-units, past 2^53 − 1, where money is no longer exact`)
  return invoiceFromSum(spec, sum)
}

/** {@link invoice} from an already-summed charge total in sub-units (a safe integer). */
export function invoiceFromSum(spec: Pick<RatingSpec, 'taxBasisPoints'>, sumSubunits: number): Invoice {
  const netMinor = roundQuotient(sumSubunits, 100, 'half-up')
  // tax = round(net × basis points, 10 000) without forming the product, which can pass 2^53 for large bills.
  const taxMinor = roundProduct(spec.taxBasisPoints, netMinor, 10_000, 'half-up')
  return { netMinor, taxMinor, totalMinor: netMinor + taxMinor }
}
