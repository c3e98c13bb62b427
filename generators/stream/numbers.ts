import { VOICEMAIL_NUMBER } from '../identity/identities.ts'
import type { Sfc32 } from '../random/prng.ts'
import type { Model } from './model.ts'

/** Country codes dialled for international calls ("44" has its own class in the default spec). */
const COUNTRY_CODES = ['44', '49', '33', '1', '91', '234', '880', '63', '48', '40']

/** `digits` random decimal digits. */
export function randomDigits(rng: Sfc32, digits: number): string {
  const scale = 10 ** digits
  return String(scale + Math.floor(rng.next() * scale)).slice(1)
}

/** A national off-net mobile number (prefix 35386, national class). */
export function offnetNumber(rng: Sfc32): string {
  return `35386${randomDigits(rng, 7)}`
}

/** An international number: country code + 9 digits. */
export function internationalNumber(rng: Sfc32): string {
  return (COUNTRY_CODES[rng.int(COUNTRY_CODES.length)] ?? '44') + randomDigits(rng, 9)
}

/** A premium-rate number in a range. */
export function premiumNumber(rng: Sfc32, prefix = '88213'): string {
  return prefix + randomDigits(rng, 6)
}

/** A called number drawn from the scenario's destination mix (on-net numbers are real subscribers' MSISDNs). */
export function destinationNumber(m: Model, rng: Sfc32): string {
  const d = m.s.traffic.voice.destinations
  let u = rng.next()
  if ((u -= d.onnet) < 0) return m.msisdn(rng.int(m.n))
  if ((u -= d.offnet) < 0) return offnetNumber(rng)
  if ((u -= d.international) < 0) return internationalNumber(rng)
  if ((u -= d.premium) < 0) return premiumNumber(rng)
  return VOICEMAIL_NUMBER
}

/** A national number for local traffic: on-net or off-net, half each. */
export function localNumber(m: Model, rng: Sfc32): string {
  return rng.next() < 0.5 ? m.msisdn(rng.int(m.n)) : offnetNumber(rng)
}
