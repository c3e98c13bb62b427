import { describe, expect, it } from 'vitest'
import { drain } from './drain.ts'

const never = new AbortController().signal

describe('drain', () => {
  it('returns once every expected output is accounted for', async () => {
    const result = await drain({ accounted: () => 10, lastOutputNs: () => process.hrtime.bigint(), dead: () => false, billsCaughtUp: () => true }, 10, 5, never, 0)
    expect(result).toBe('complete')
  })

  it('counts the quiet time from the start of the drain when the last output is older', async () => {
    const longAgo = process.hrtime.bigint() - 60_000_000_000n
    const began = Date.now()
    const result = await drain({ accounted: () => 3, lastOutputNs: () => longAgo, dead: () => false, billsCaughtUp: () => true }, 10, 0.6, never, 0)
    expect(result).toBe('quiet')
    expect(Date.now() - began).toBeGreaterThanOrEqual(500)
  })

  it('keeps waiting while outputs still arrive', async () => {
    let accounted = 0
    const timer = setInterval(() => { accounted += 1 }, 100)
    try {
      const result = await drain({ accounted: () => accounted, lastOutputNs: () => process.hrtime.bigint(), dead: () => false, billsCaughtUp: () => true }, 8, 0.3, never, 0)
      expect(result).toBe('complete')
    } finally {
      clearInterval(timer)
    }
  })

  it('stops at once when the pipeline is dead, without waiting for the quiet time', async () => {
    const began = Date.now()
    expect(await drain({ accounted: () => 3, lastOutputNs: () => process.hrtime.bigint(), dead: () => true, billsCaughtUp: () => true }, 10, 60, never, 0)).toBe('dead')
    expect(Date.now() - began).toBeLessThan(100)
  })

  it('notices a death during the drain within a poll', async () => {
    let dead = false
    const timer = setTimeout(() => { dead = true }, 300)
    const began = Date.now()
    try {
      expect(await drain({ accounted: () => 3, lastOutputNs: () => process.hrtime.bigint(), dead: () => dead, billsCaughtUp: () => true }, 10, 60, never, 0)).toBe('dead')
      expect(Date.now() - began).toBeLessThan(1000)
    } finally {
      clearTimeout(timer)
    }
  })

  it('after a death, still reads the output the pipeline wrote before it died', async () => {
    let last = process.hrtime.bigint()
    const timer = setInterval(() => { last = process.hrtime.bigint() }, 50)
    setTimeout(() => { clearInterval(timer) }, 600)
    const began = Date.now()
    try {
      expect(await drain({ accounted: () => 3, lastOutputNs: () => last, dead: () => true, billsCaughtUp: () => true }, 10, 60, never, 300)).toBe('dead')
      expect(Date.now() - began).toBeGreaterThanOrEqual(850)
      expect(Date.now() - began).toBeLessThan(2000)
    } finally {
      clearInterval(timer)
    }
  })

  it('once every record is accounted for, waits for the billing to read the input to its end', async () => {
    let caughtUp = false
    const timer = setTimeout(() => { caughtUp = true }, 400)
    const began = Date.now()
    try {
      expect(await drain({ accounted: () => 10, lastOutputNs: () => process.hrtime.bigint(), dead: () => false, billsCaughtUp: () => caughtUp }, 10, 5, never, 0)).toBe('complete')
      expect(Date.now() - began).toBeGreaterThanOrEqual(400)
      expect(Date.now() - began).toBeLessThan(1000)
    } finally {
      clearTimeout(timer)
    }
  })

  it('waits for a billing that never catches up no longer than the quiet time', async () => {
    const began = Date.now()
    expect(await drain({ accounted: () => 10, lastOutputNs: () => process.hrtime.bigint(), dead: () => false, billsCaughtUp: () => false }, 10, 0.5, never, 0)).toBe('complete')
    expect(Date.now() - began).toBeGreaterThanOrEqual(500)
    expect(Date.now() - began).toBeLessThan(1500)
  })

  it('stops when aborted', async () => {
    const abort = new AbortController()
    abort.abort()
    expect(await drain({ accounted: () => 0, lastOutputNs: () => 0n, dead: () => false, billsCaughtUp: () => true }, 1, 30, abort.signal, 0)).toBe('aborted')
  })
})
