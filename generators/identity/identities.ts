import { Faker, en } from '@faker-js/faker'
import { hash3 } from '../random/prng.ts'

/** Test PLMN 001/01 (docs/telecom-model.md §1): every IMSI and ECGI of the simulated operator carries it. */
export const HOME_PLMN = '00101'
/** A second test PLMN used for inbound roamers' IMSIs and visited-network cells. */
export const FOREIGN_PLMN = '00102'
/** Mobile prefix of the operator's MSISDNs; the default rating spec classes it as on-net. */
export const MSISDN_PREFIX = '35387'
/** Voicemail access number (on-net class, outside the subscriber range). */
export const VOICEMAIL_NUMBER = '3538700000000'

/** IMSI of subscriber index j: PLMN + 10-digit MSIN (j + 1), so MSINs never start at zero. */
export function imsiFor(j: number, plmn = HOME_PLMN): string {
  return plmn + String(1e10 + j + 1).slice(1)
}

/** A valid-looking IMSI the operator never provisioned: MSIN in the 9xxxxxxxxx range no subscriber reaches. */
export function unprovisionedImsi(r: number): string {
  return `${HOME_PLMN}9${String(1e9 + (r % 1e9)).slice(1)}`
}

/** MSISDN of subscriber index j: the mobile prefix + 8 digits starting at 10,000,000. */
export function msisdnFor(j: number): string {
  return MSISDN_PREFIX + String(10_000_000 + j)
}

/** Luhn check digit of a digit string (ISO/IEC 7812), as IMEIs carry it. */
export function luhnDigit(digits: string): number {
  let sum = 0
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48
    if (i % 2 === 0) {
      d *= 2
      if (d > 9) d -= 9
    }
    sum += d
  }
  return (10 - (sum % 10)) % 10
}

/** IMEI = TAC(8) + serial(6) + Luhn digit. */
export function imeiFor(tac: string, serial: number): string {
  const body = tac + String(1e6 + (serial % 1e6)).slice(1)
  return body + String(luhnDigit(body))
}

/**
 * A small pool of TACs so that device models repeat (docs/telecom-model.md §1). Faker, seeded, supplies realistic
 * IMEIs once at start-up; only their first 8 digits are kept. Not on the hot path.
 */
export function tacPool(seed: number, size: number): string[] {
  const faker = new Faker({ locale: [en] })
  faker.seed(seed)
  const pool = new Set<string>()
  while (pool.size < size) pool.add(faker.phone.imei().replace(/-/g, '').slice(0, 8))
  return [...pool]
}

/** ECGI text: PLMN + the 28-bit ECI (eNB_ID × 256 + cellId) as 7 upper-case hex digits. */
export function ecgiFor(enbId: number, cellId: number, plmn = HOME_PLMN): string {
  const eci = enbId * 256 + cellId
  return plmn + eci.toString(16).toUpperCase().padStart(7, '0')
}

/** A per-entity deterministic uint32 (independent of draw order, so sharding cannot change it). */
export function entityHash(seed: number, entity: number, salt: number): number {
  return hash3(seed, entity, salt)
}
