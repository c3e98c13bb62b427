import { describe, expect, it } from 'vitest'
import { sampleProcess } from './proc.ts'

describe('process sampling', () => {
  it('reads CPU and RSS of this process from /proc', () => {
    const s = sampleProcess(process.pid)
    expect(s).not.toBeNull()
    expect(s?.rssBytes).toBeGreaterThan(10 * 1024 * 1024)
    expect(s?.cpuSeconds).toBeGreaterThan(0)
  })

  it('returns null for a process that does not exist', () => {
    expect(sampleProcess(2 ** 22 + 12345)).toBeNull()
  })
})
