import { describe, expect, it } from 'vitest'
import { duration, eta, loadDoneLine, progressMs } from './progress.ts'

describe('progress lines', () => {
  it('round every latency to three significant digits and durations to whole seconds', () => {
    expect([progressMs(3.14159), progressMs(31.4159), progressMs(314.159), progressMs(31415.9)]).toEqual(['3.14', '31.4', '314', '31,416'])
    expect([duration(4.6), duration(65), duration(600)]).toEqual(['5 s', '1 min 05 s', '10 min 00 s'])
  })

  it('give an ETA through the load, the drain and the batch, a lower bound while the drain or the batch is unknown', () => {
    expect(eta({ loadLeftS: 20, backlog: 1000, offeredEps: 250, accountedEps: 250, batchAtLeastS: null })).toBe('ETA ≈ 24 s (load 20 s + drain ≈ 4 s)')
    expect(eta({ loadLeftS: 20, backlog: 1000, offeredEps: 250, accountedEps: 200, batchAtLeastS: 40 })).toBe('ETA ≥ 1 min 10 s (load 20 s + drain ≈ 10 s + batch ≥ 40 s)')
    expect(eta({ loadLeftS: 10, backlog: 2000, offeredEps: 250, accountedEps: 0, batchAtLeastS: 40 })).toBe('ETA ≥ 50 s (load 10 s + drain unknown until output arrives + batch ≥ 40 s)')
  })

  it('reconcile the records sent with the usage records the accounting counts', () => {
    const sent = new Map([['cdr', 7470], ['pm', 120], ['alarms', 21]])
    expect(loadDoneLine(sent, 7461)).toBe('Load done: 7,611 records sent = 7,461 usage records to cdr (+ 9 injected duplicate copies), the ones the accounting counts + 120 PM counters to pm + 21 alarms to alarms (not usage: not accounted)')
    expect(loadDoneLine(new Map([['cdr', 10]]), 10)).toBe('Load done: 10 records sent = 10 usage records to cdr, the ones the accounting counts')
  })
})
