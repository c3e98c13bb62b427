import { describe, expect, it } from 'vitest'
import { encodeValue } from './encode.ts'
import type { ScheduledEvent } from './entry.ts'

const event = (sendOffsetNs: number, raw = false): ScheduledEvent => ({
  topic: 'cdr',
  key: 'k',
  id: 'x',
  sendOffsetNs,
  eventTimeMs: 0,
  head: raw ? '{"id":"x","ty' : '{"id":"x","emitNs":',
  raw,
})

describe('encodeValue', () => {
  it('appends emitNs = runStartNs + sendOffsetNs exactly, beyond 2^53', () => {
    for (const start of [0n, 999_999_999n, 123_456_789_012_345_678n, 2n ** 62n + 7n]) {
      for (const offset of [0, 1, 999_999_999, 1_000_000_000, 86_400_000_000_123]) {
        const text = encodeValue(event(offset), start)
        expect(text).toBe(`{"id":"x","emitNs":${(start + BigInt(offset)).toString()}}`)
      }
    }
  })
  it('sends malformed values verbatim', () => {
    expect(encodeValue(event(5, true), 10n)).toBe('{"id":"x","ty')
  })
})
