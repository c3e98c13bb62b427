import { TelcobenchError } from '../errors.ts'

// Error names and codes that mean "no broker answered", across Node, @platformatic/kafka and kafkajs.
const unreachableCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'PLT_KFK_NETWORK'])
const unreachableNames = new Set(['KafkaJSConnectionError', 'KafkaJSBrokerNotFound', 'KafkaJSConnectionClosedError', 'KafkaJSRequestTimeoutError'])

/**
 * True when `error`, or any error it wraps (`cause`, `errors[]` of an AggregateError, kafkajs's
 * `originalError`), says that no broker could be reached.
 */
export function isBrokerUnreachable(error: unknown): boolean {
  const seen = new Set<unknown>()
  const stack: unknown[] = [error]
  while (stack.length > 0) {
    const current = stack.pop()
    if (typeof current !== 'object' || current === null || seen.has(current)) continue
    seen.add(current)
    const record = current as Record<string, unknown>
    if (typeof record.code === 'string' && unreachableCodes.has(record.code)) return true
    if (typeof record.name === 'string' && unreachableNames.has(record.name)) return true
    stack.push(record.cause, record.originalError)
    if (Array.isArray(record.errors)) stack.push(...(record.errors as unknown[]))
  }
  return false
}

/**
 * Turns a client error that means the broker is unreachable into a `TB_INFRA_UNAVAILABLE`
 * TelcobenchError naming the bootstrap address; returns any other error unchanged (non-Errors wrapped in one).
 */
export function wrapKafkaError(error: unknown, bootstrap: readonly string[], operation: string): Error {
  if (error instanceof TelcobenchError) return error
  if (!isBrokerUnreachable(error)) return error instanceof Error ? error : new Error(`${operation} failed: ${String(error)}`, { cause: error })
  const address = bootstrap.join(',')
  const detail = error instanceof Error ? `: ${error.message}` : ''
  return new TelcobenchError('TB_INFRA_UNAVAILABLE', `Kafka broker at ${address} is unreachable (${operation})${detail}`, {
    fix: `check that Kafka is running and listening on ${address} (for the local runtime: telcobench up), or pass the right --bootstrap`,
    cause: error,
    bootstrap: address,
  })
}

/** Runs `fn`, rethrowing its error through {@link wrapKafkaError}. */
export async function withKafkaErrors<T>(bootstrap: readonly string[], operation: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn()
  } catch (error) {
    throw wrapKafkaError(error, bootstrap, operation)
  }
}
