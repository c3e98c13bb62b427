import { describe, expect, it } from 'vitest'
import { decodeControl, encodeControl, monotonicAt, type AgentMessage } from './remote-protocol.ts'

describe('generator agent control records', () => {
  it('carry a worker part through JSON with its bigint clock readings intact', () => {
    const part: AgentMessage = {
      runId: 'r1',
      agent: 2,
      host: 'gen-2',
      type: 'part',
      book: { handed: [['cdr', 3]], usageIds: ['u1'], usageOffsetsNs: [1.5e9], usageKeys: ['208011'], usageEventTimesMs: [1000], unparsable: [], acked: [['tb.r1.cdr', 3, 123_456_789_012_345_678n]], unsent: [], attemptsFailed: [['tb.r1.cdr', 1, -5n]] },
      truth: [['label', { id: 'x' }]],
      histograms: { scheduleDelay: { whole: 'HISTFAAA', warmup: null, intervals: [[3, 'HISTFAAB']] }, produceService: { whole: null, warmup: null, intervals: [] }, produceResponse: { whole: null, warmup: null, intervals: [] } },
      sent: 3,
      sendRetries: 0,
    }
    expect(decodeControl(encodeControl(part))).toEqual(part)
  })
  it('reads anything that is not a control record as null', () => {
    expect(decodeControl('not json')).toBeNull()
    expect(decodeControl('{"type":"announce"}')).toBeNull()
    expect(decodeControl('42')).toBeNull()
  })
  it('maps a wall-clock instant onto this host\'s monotonic clock', () => {
    const before = process.hrtime.bigint()
    const at = monotonicAt(Date.now() + 2000)
    const ahead = Number(at - before) / 1e6
    expect(ahead).toBeGreaterThan(1990)
    expect(ahead).toBeLessThan(2050)
  })
})
