import { describe, expect, it } from 'vitest'
import { canIdentifyProcesses, pidExists, processCommandLine, processStartTime, startTimeFromStat } from './process-identity.ts'

describe('startTimeFromStat', () => {
  const fields = (state: string): string => `${state} 1 3456 3456 0 -1 4194560 2386 0 0 0 13 4 0 0 20 0 11 0 987654 1262505984 12000`

  it('reads field 22 even when the command name holds spaces and parentheses', () => {
    expect(startTimeFromStat(`4242 (java) ${fields('S')}`)).toBe('987654')
    expect(startTimeFromStat(`4242 (a) b (c) ${fields('R')}`)).toBe('987654')
  })

  it('gives no start time for a zombie: it no longer runs', () => {
    expect(startTimeFromStat(`4242 (java) ${fields('Z')}`)).toBeNull()
  })
})

describe('this process as /proc shows it', () => {
  it('has a start time and a command line, both stable', () => {
    expect(canIdentifyProcesses()).toBe(true)
    expect(processStartTime(process.pid)).toMatch(/^\d+$/)
    expect(processStartTime(process.pid)).toBe(processStartTime(process.pid))
    expect(processCommandLine(process.pid)).toContain('node')
    expect(pidExists(process.pid)).toBe(true)
  })

  it('a pid beyond the kernel limit exists nowhere', () => {
    expect(processStartTime(2 ** 30)).toBeNull()
    expect(processCommandLine(2 ** 30)).toBeNull()
    expect(pidExists(2 ** 30)).toBe(false)
  })
})
