import { describe, expect, it } from 'vitest'
import { cpuSpeedMBps } from './cpu-speed.ts'

describe('cpuSpeedMBps', () => {
  it('reports a positive, finite rate', () => {
    const speed = cpuSpeedMBps(50)
    expect(Number.isFinite(speed)).toBe(true)
    expect(speed).toBeGreaterThan(0)
  })
})
