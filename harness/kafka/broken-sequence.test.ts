import { MultipleErrors, ProtocolError, ResponseError } from '@platformatic/kafka'
import { describe, expect, it } from 'vitest'
import { isBrokenSequence } from './platformatic.ts'

describe('isBrokenSequence', () => {
  it('flags the Produce answers after which an idempotent session cannot go on, also inside retries', () => {
    const outOfOrder = new ResponseError(0, 11, { '/topics/0/partitions/3': [45, null] }, {})
    expect(isBrokenSequence(outOfOrder)).toBe(true)
    expect(isBrokenSequence(new MultipleErrors('produce failed 2 times.', [new Error('timeout'), outOfOrder]))).toBe(true)
    expect(isBrokenSequence(new ProtocolError('UNKNOWN_PRODUCER_ID'))).toBe(true)
    expect(isBrokenSequence(new Error('send failed', { cause: new ProtocolError('INVALID_PRODUCER_EPOCH') }))).toBe(true)
  })

  it('leaves errors a retry through the same session can get past', () => {
    expect(isBrokenSequence(new ResponseError(0, 11, { '/topics/0/partitions/3': [6, null] }, {}))).toBe(false)
    expect(isBrokenSequence(new ProtocolError('DUPLICATE_SEQUENCE_NUMBER'))).toBe(false)
    expect(isBrokenSequence(new Error('connect ECONNREFUSED'))).toBe(false)
    expect(isBrokenSequence(null)).toBe(false)
  })
})
