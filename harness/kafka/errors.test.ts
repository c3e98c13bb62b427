import { describe, expect, it } from 'vitest'
import { TelcobenchError } from '../errors.ts'
import { isBrokerUnreachable, withKafkaErrors, wrapKafkaError } from './errors.ts'

const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9092'), { code: 'ECONNREFUSED' })

describe('isBrokerUnreachable', () => {
  it('recognises Node socket errors, also deep inside causes and aggregates', () => {
    expect(isBrokerUnreachable(refused)).toBe(true)
    expect(isBrokerUnreachable(new Error('outer', { cause: refused }))).toBe(true)
    expect(isBrokerUnreachable(new AggregateError([new Error('x'), refused], 'many'))).toBe(true)
  })

  it('recognises @platformatic/kafka network errors and kafkajs connection errors', () => {
    expect(isBrokerUnreachable(Object.assign(new Error('Connection failed'), { code: 'PLT_KFK_NETWORK' }))).toBe(true)
    const kafkajs = Object.assign(new Error('Connection error'), { name: 'KafkaJSConnectionError' })
    expect(isBrokerUnreachable(Object.assign(new Error('retries exceeded'), { name: 'KafkaJSNumberOfRetriesExceeded', originalError: kafkajs }))).toBe(true)
  })

  it('does not flag protocol errors or non-errors, and survives cycles', () => {
    expect(isBrokerUnreachable(Object.assign(new Error('Topic already exists'), { code: 'PLT_KFK_PROTOCOL' }))).toBe(false)
    expect(isBrokerUnreachable('ECONNREFUSED')).toBe(false)
    const cyclic: { cause?: unknown } = {}
    cyclic.cause = cyclic
    expect(isBrokerUnreachable(cyclic)).toBe(false)
  })
})

describe('wrapKafkaError', () => {
  it('turns an unreachable broker into TB_INFRA_UNAVAILABLE naming the address and the fix', () => {
    const wrapped = wrapKafkaError(refused, ['127.0.0.1:9092', '127.0.0.1:9093'], 'producer connect')
    expect(wrapped).toBeInstanceOf(TelcobenchError)
    expect(wrapped).toMatchObject({ code: 'TB_INFRA_UNAVAILABLE', cause: refused })
    expect(wrapped.message).toContain('127.0.0.1:9092,127.0.0.1:9093')
    expect(wrapped.message).toContain('producer connect')
    expect(wrapped instanceof TelcobenchError ? wrapped.fix : undefined).toMatch(/running/)
  })

  it('passes other errors through and wraps non-errors', () => {
    const other = new Error('OUT_OF_ORDER_SEQUENCE_NUMBER')
    expect(wrapKafkaError(other, ['b:1'], 'send')).toBe(other)
    expect(wrapKafkaError('boom', ['b:1'], 'send').message).toContain('boom')
  })

  it('is applied by withKafkaErrors', async () => {
    await expect(withKafkaErrors(['b:1'], 'admin connect', () => Promise.reject(refused))).rejects.toMatchObject({ code: 'TB_INFRA_UNAVAILABLE' })
    await expect(withKafkaErrors(['b:1'], 'x', () => Promise.resolve(5))).resolves.toBe(5)
  })
})
