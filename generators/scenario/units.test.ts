import { describe, expect, it } from 'vitest'
import { formatDurationMs, parseDurationMs, parsePercent, parseRatePerSecond, parseSizeBytes } from './units.ts'

describe('human scalars', () => {
  it('parses durations', () => {
    expect(parseDurationMs('500ms')).toBe(500)
    expect(parseDurationMs('90s')).toBe(90_000)
    expect(parseDurationMs('1h30m')).toBe(5_400_000)
    expect(parseDurationMs('2d')).toBe(172_800_000)
    expect(parseDurationMs('10 minutes')).toBeNull()
  })
  it('parses rates into events per second', () => {
    expect(parseRatePerSecond('5000/s')).toBe(5000)
    expect(parseRatePerSecond('3/h')).toBeCloseTo(3 / 3600)
    expect(parseRatePerSecond('8.3/day')).toBeCloseTo(8.3 / 86_400)
    expect(parseRatePerSecond('5000 per second')).toBeNull()
  })
  it('parses sizes and percents', () => {
    expect(parseSizeBytes('64KiB')).toBe(65_536)
    expect(parseSizeBytes('50MB')).toBe(50_000_000)
    expect(parsePercent('0.1%')).toBeCloseTo(0.001)
  })
  it('formats durations back', () => {
    expect(formatDurationMs(5_400_000)).toBe('1h30m')
    expect(formatDurationMs(1500)).toBe('1s500ms')
  })
})
