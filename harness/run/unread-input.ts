import type { KafkaClient } from '../kafka/index.ts'

/**
 * Whether a Spark query's output accounts for usage records (rated and DLQ records, and in real-time mode late
 * ones): the rating query, also when it shares a Spark query with others (`rating+fraud`, docs/spark-pipelines.md
 * "Query layout"), and real-time mode's `rating-rt` and `billing`.
 */
export function isAccountingQuery(name: string): boolean {
  return name === 'rating-rt' || name === 'billing' || name.split('+').includes('rating')
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

/** A Kafka source's offset as Spark reports it: `{ "<topic>": { "<partition>": <next offset> } }`, as JSON or as text. */
function topicOffsets(offset: unknown, topic: string): Map<number, bigint> {
  let parsed = offset
  if (typeof offset === 'string') {
    try {
      parsed = JSON.parse(offset)
    } catch {
      return new Map()
    }
  }
  const byPartition = isRecord(parsed) ? parsed[topic] : undefined
  const out = new Map<number, bigint>()
  if (!isRecord(byPartition)) return out
  for (const [partition, next] of Object.entries(byPartition)) {
    if (typeof next === 'number' && Number.isInteger(next) && next >= 0) out.set(Number(partition), BigInt(next))
  }
  return out
}

/**
 * Per partition of `topic`, the offset up to which (exclusive) the pipeline had processed it when it stopped: the
 * largest `endOffset` any StreamingQueryProgress of a query reported (a restarted query resumes from its
 * checkpoint, so offsets only grow), and with several accounting queries the smallest of theirs: a record is
 * consumed when every query that can account for it is past it. A batch whose progress never arrived (the driver
 * died during it) does not count as processed. A partition no accounting query reported is at 0.
 */
export function consumedInputOffsets(progress: readonly unknown[], topic: string, isAccounting: (name: string) => boolean = isAccountingQuery): Map<number, bigint> {
  const perQuery = new Map<string, Map<number, bigint>>()
  for (const p of progress) {
    if (!isRecord(p) || typeof p['name'] !== 'string' || !isAccounting(p['name']) || !Array.isArray(p['sources'])) continue
    const reached = perQuery.get(p['name']) ?? new Map<number, bigint>()
    perQuery.set(p['name'], reached)
    for (const source of p['sources'] as unknown[]) {
      if (!isRecord(source)) continue
      for (const [partition, next] of topicOffsets(source['endOffset'], topic)) {
        if (next > (reached.get(partition) ?? -1n)) reached.set(partition, next)
      }
    }
  }
  const consumed = new Map<number, bigint>()
  const reports = [...perQuery.values()]
  for (const partition of new Set(reports.flatMap((r) => [...r.keys()]))) {
    const positions = reports.map((r) => r.get(partition) ?? 0n)
    consumed.set(partition, positions.reduce((min, at) => (at < min ? at : min)))
  }
  return consumed
}

/**
 * Whether real-time mode's separate `billing` query has reported reading `topic` up to `ends` (per partition,
 * exclusive; null while they are not known, which is never caught up). True when no such query reports: in
 * micro-batch mode and on Flink the bills are written with the rated records, so there is nothing to wait for.
 */
export function billsCaughtUp(progress: readonly unknown[], topic: string, ends: ReadonlyMap<number, bigint> | null): boolean {
  const consumed = consumedInputOffsets(progress, topic, (name) => name === 'billing')
  if (consumed.size === 0) return true
  if (ends === null) return false
  return [...ends].every(([partition, end]) => (consumed.get(partition) ?? 0n) >= end)
}

/** What the harness found in the input topic past the pipeline's position. */
export type UnreadInput = { ids: Set<string>; records: number } | { error: string }

export interface UnreadInputOptions {
  client: KafkaClient
  topic: string
  consumed: ReadonlyMap<number, bigint>
  /** The generated id a record's value carries, null for records that are not usage events. */
  idOf: (value: Buffer) => string | null
  /** @default 60000 */
  timeoutMs?: number
}

/**
 * Reads the input topic and returns the ids of the records at or past the pipeline's position in their
 * partition: the records it never read. Reads from the beginning (the port has no seek) up to the end offsets
 * taken first; only runs that leave records unaccounted for pay for it.
 */
export async function readUnreadInput(o: UnreadInputOptions): Promise<UnreadInput> {
  const admin = await o.client.admin()
  let ends: Map<number, bigint>
  try {
    ends = await admin.endOffsets(o.topic)
  } finally {
    await admin.close().catch(() => undefined)
  }
  const pending = new Set([...ends].filter(([p, end]) => end > (o.consumed.get(p) ?? 0n)).map(([p]) => p))
  const ids = new Set<string>()
  let records = 0
  if (pending.size === 0) return { ids, records }
  const consumer = await o.client.consumer({ topics: [o.topic], fromBeginning: true, readCommitted: false })
  let finished: () => void = () => undefined
  const allRead = new Promise<void>((resolve) => {
    finished = resolve
  })
  const running = consumer.run((batch) => {
    for (const r of batch) {
      const end = ends.get(r.partition) ?? 0n
      if (r.offset < (o.consumed.get(r.partition) ?? 0n) || r.offset >= end) continue
      records++
      const id = o.idOf(r.value)
      if (id !== null) ids.add(id)
      if (r.offset === end - 1n) pending.delete(r.partition)
    }
    if (pending.size === 0) finished()
  })
  const timeoutMs = o.timeoutMs ?? 60_000
  let timer: NodeJS.Timeout | undefined
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => {
      resolve('timeout')
    }, timeoutMs)
  })
  try {
    const outcome = await Promise.race([allRead.then(() => 'read' as const), timedOut, running.then(() => 'ended' as const)])
    if (outcome === 'timeout') return { error: `partitions ${[...pending].sort((a, b) => a - b).join(',')} not read to their end within ${timeoutMs / 1000} s` }
    if (outcome === 'ended') return { error: 'the consumer stopped before the end of the topic' }
    return { ids, records }
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) }
  } finally {
    clearTimeout(timer)
    await consumer.close().catch(() => undefined)
    await running.catch(() => undefined)
  }
}

/** The generated id of a `cdr` record: the id of its JSON, or the id the harness remembered for bytes that are not JSON. */
export function usageIdOf(value: Buffer, unparsableIdByRaw: ReadonlyMap<string, string>): string | null {
  const text = value.toString('utf8')
  const injected = unparsableIdByRaw.get(text)
  if (injected !== undefined) return injected
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    return null
  }
  const id: unknown = typeof parsed === 'object' && parsed !== null ? (parsed as { id?: unknown }).id : undefined
  return typeof id === 'string' ? id : null
}
