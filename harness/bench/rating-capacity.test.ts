import { describe, expect, it } from 'vitest'
import { bisect, classifyStep, phaseMedians } from './rating-capacity.ts'

describe('rating capacity bench logic', () => {
  it('blames the generator before the pipeline', () => {
    expect(classifyStep({ state: 'invalid', lagState: 'never-settled', verdict: [{ code: 'generator_behind_schedule', message: 'the generator fell behind its schedule: schedule delay p99 1500 ms > 1000 ms' }] })).toBe('generator-limit')
    expect(classifyStep({ state: 'failed', lagState: 'never-settled', verdict: [{ code: 'not_sustained', message: 'no steady state: …' }] })).toBe('lag-grows')
    expect(classifyStep({ state: 'invalid', lagState: 'settled-late', verdict: [{ code: 'not_settled', message: 'no steady state after the warm-up: …' }] })).toBe('lag-grows')
    expect(classifyStep({ state: 'passed', lagState: 'steady', verdict: [] })).toBe('steady')
  })

  it('takes per-phase medians over the batches with input only', () => {
    const medians = phaseMedians([
      { name: 'rating', numInputRows: 0, durationMs: { addBatch: 9000 } },
      { name: 'rating', numInputRows: 10, durationMs: { addBatch: 100, walCommit: 5 } },
      { name: 'rating', numInputRows: 10, durationMs: { addBatch: 300, walCommit: 7 } },
      { name: 'rating', numInputRows: 10, durationMs: { addBatch: 200, walCommit: 6 } },
      { name: 'billing', numInputRows: 3, durationMs: { addBatch: 50 } },
    ])
    expect(medians).toEqual({ rating: { addBatch: 200, walCommit: 6 }, billing: { addBatch: 50 } })
  })

  it('bisects geometrically and stops when the steps are adjacent', () => {
    expect(bisect(48, 96)).toBe(68)
    expect(bisect(2, 3)).toBeNull()
  })
})
