import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { Linger, type LingerOptions, type TopicBatch } from './linger.ts'

interface Request {
  batches: TopicBatch<number>[]
  settle: (error?: Error) => void
}

function harness(options: Partial<LingerOptions> = {}): { linger: Linger<number>; requests: Request[] } {
  const requests: Request[] = []
  const flush = (batches: TopicBatch<number>[]): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      requests.push({
        batches,
        settle: (error) => {
          if (error === undefined) resolve()
          else reject(error)
        },
      })
    })
  const linger = new Linger(flush, { lingerMs: 0, batchRecords: 500, maxRequestRecords: 5000, maxInFlight: 5, ...options })
  return { linger, requests }
}

const range = (n: number, from = 0): number[] => Array.from({ length: n }, (_, i) => from + i)

describe('Linger', () => {
  beforeEach(() => {
    vi.useFakeTimers()
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('sends each call at once when linger is 0 and requests are free', () => {
    const { linger, requests } = harness()
    void linger.send('a', [1])
    void linger.send('b', [2])
    expect(requests.map((r) => r.batches)).toEqual([[{ topic: 'a', records: [1] }], [{ topic: 'b', records: [2] }]])
  })

  it('holds a partial batch for lingerMs and merges the calls made meanwhile', () => {
    const { linger, requests } = harness({ lingerMs: 5 })
    void linger.send('a', [1])
    void linger.send('a', [2])
    expect(requests).toHaveLength(0)
    vi.advanceTimersByTime(5)
    expect(requests.map((r) => r.batches)).toEqual([[{ topic: 'a', records: [1] }, { topic: 'a', records: [2] }]])
  })

  it('does not wait when a full batch is ready', () => {
    const { linger, requests } = harness({ lingerMs: 1000, batchRecords: 3 })
    void linger.send('a', range(3))
    expect(requests).toHaveLength(1)
  })

  it('merges calls that queue behind the in-flight limit, in call order, up to maxRequestRecords', async () => {
    const { linger, requests } = harness({ maxInFlight: 1, maxRequestRecords: 4 })
    const sends = [linger.send('a', range(2)), linger.send('a', range(2, 2)), linger.send('b', range(2, 4)), linger.send('a', range(1, 6))]
    expect(requests).toHaveLength(1)
    requests[0]?.settle()
    await sends[0]
    expect(requests[1]?.batches).toEqual([
      { topic: 'a', records: [2, 3] },
      { topic: 'b', records: [4, 5] },
    ])
    requests[1]?.settle()
    await Promise.all([sends[1], sends[2]])
    expect(requests[2]?.batches).toEqual([{ topic: 'a', records: [6] }])
    requests[2]?.settle()
    await expect(sends[3]).resolves.toBeUndefined()
  })

  it('sends a single call larger than maxRequestRecords whole', () => {
    const { linger, requests } = harness({ maxRequestRecords: 4 })
    void linger.send('a', range(10))
    expect(requests[0]?.batches[0]?.records).toHaveLength(10)
  })

  it('rejects every call of a failed request and keeps serving later ones', async () => {
    const { linger, requests } = harness({ maxInFlight: 1 })
    const first = linger.send('a', [1])
    const second = linger.send('a', [2])
    const third = linger.send('a', [3])
    requests[0]?.settle(new Error('broker said no'))
    await expect(first).rejects.toThrow('broker said no')
    requests[1]?.settle(new Error('again'))
    await expect(second).rejects.toThrow('again')
    await expect(third).rejects.toThrow('again')
    const fourth = linger.send('a', [4])
    requests[2]?.settle()
    await expect(fourth).resolves.toBeUndefined()
  })

  it('drain sends lingering records at once and waits for every request', async () => {
    const { linger, requests } = harness({ lingerMs: 10_000, maxInFlight: 1 })
    const sent = linger.send('a', [1])
    const drained = linger.drain()
    expect(requests).toHaveLength(1)
    requests[0]?.settle()
    await drained
    await expect(sent).resolves.toBeUndefined()
  })
})
