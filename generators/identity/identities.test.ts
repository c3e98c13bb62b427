import { describe, expect, it } from 'vitest'
import { ecgiFor, imeiFor, imsiFor, luhnDigit, msisdnFor, tacPool, unprovisionedImsi } from './identities.ts'

const luhnValid = (digits: string): boolean => luhnDigit(digits.slice(0, -1)) === Number(digits.slice(-1))

describe('identities (docs/telecom-model.md §1)', () => {
  it('computes the IMEI Luhn digit', () => {
    expect(luhnDigit('49015420323751')).toBe(8)
    expect(imeiFor('49015420', 323751)).toBe('490154203237518')
  })
  it('builds 15-digit IMSIs on test PLMN 001/01', () => {
    expect(imsiFor(0)).toBe('001010000000001')
    expect(imsiFor(41)).toMatch(/^00101\d{10}$/)
    expect(unprovisionedImsi(7)).toMatch(/^001019\d{9}$/)
  })
  it('numbers MSISDNs from the mobile prefix', () => {
    expect(msisdnFor(0)).toBe('3538710000000')
  })
  it('builds ECGI = PLMN + ECI (eNB_ID × 256 + cellId) in hex', () => {
    expect(ecgiFor(1000, 0)).toBe('00101003E800')
    expect(Number.parseInt(ecgiFor(1000, 33).slice(5), 16)).toBe(1000 * 256 + 33)
  })
  it('draws a small, seeded TAC pool from faker, giving valid IMEIs', () => {
    const pool = tacPool(5, 24)
    expect(pool).toEqual(tacPool(5, 24))
    expect(new Set(pool).size).toBe(24)
    for (const tac of pool) {
      expect(tac).toMatch(/^\d{8}$/)
      expect(luhnValid(imeiFor(tac, 123456))).toBe(true)
    }
  })
})
