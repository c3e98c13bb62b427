import { createKafkaClient, type Admin, type KafkaClientKind, type KafkaConnection } from '../kafka/index.ts'

export const intruderKinds = ['no-credentials', 'wrong-password', 'no-acl'] as const
export type IntruderKind = (typeof intruderKinds)[number]

/** One thing an intruder tried, and how the broker answered. */
export interface IntruderAttempt {
  intruder: IntruderKind
  action: 'read-cdr' | 'write-bills'
  refused: boolean
  /** The client's error (the refusal), or why the attempt counts as not refused. */
  detail: string
}

export interface IntruderReport {
  attempts: IntruderAttempt[]
  /** Records that reached `bills` or `cdr` during the check (end offsets after minus before). */
  landed: number
  /** The value every intruder record carries, to look for it in any topic. */
  marker: string
}

/** How long an attempt may take; one that neither fails nor succeeds by then is not refused (nothing said no). */
const attemptTimeoutMs = 20_000

function message(error: unknown): string {
  return error instanceof Error ? error.message.split('\n')[0] ?? error.message : String(error)
}

async function withTimeout(work: Promise<string>, what: string): Promise<{ failed: boolean; detail: string }> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<{ failed: boolean; detail: string }>((resolve) => {
    timer = setTimeout(() => {
      resolve({ failed: false, detail: `${what}: no answer within ${attemptTimeoutMs / 1000} s` })
    }, attemptTimeoutMs)
  })
  try {
    return await Promise.race([work.then((detail) => ({ failed: false, detail })), timeout])
  } catch (error) {
    return { failed: true, detail: message(error) }
  } finally {
    clearTimeout(timer)
  }
}

async function tryRead(kind: KafkaClientKind, conn: KafkaConnection, topic: string): Promise<{ failed: boolean; detail: string }> {
  const client = createKafkaClient(kind, conn)
  let consumer: Awaited<ReturnType<typeof client.consumer>> | null = null
  const work = (async () => {
    consumer = await client.consumer({ topics: [topic], fromBeginning: true, readCommitted: false })
    let read = 0
    // Reading nothing for the whole timeout is not a refusal either: the attempt only counts as refused when it fails.
    await consumer.run((records) => {
      read += records.length
    })
    return `read ${read} records`
  })()
  const outcome = await withTimeout(work, `read ${topic}`)
  await (consumer as { close(): Promise<void> } | null)?.close().catch(() => undefined)
  return outcome
}

async function tryWrite(kind: KafkaClientKind, conn: KafkaConnection, topic: string, marker: string): Promise<{ failed: boolean; detail: string }> {
  const client = createKafkaClient(kind, conn)
  let producer: Awaited<ReturnType<typeof client.producer>> | null = null
  const work = (async () => {
    producer = await client.producer({ idempotent: false, acks: 'all' })
    await producer.send(topic, [{ key: marker, value: marker }])
    return 'write acknowledged'
  })()
  const outcome = await withTimeout(work, `write ${topic}`)
  await (producer as { close(): Promise<void> } | null)?.close().catch(() => undefined)
  return outcome
}

async function endTotal(admin: Admin, topic: string): Promise<bigint> {
  let total = 0n
  for (const offset of (await admin.endOffsets(topic)).values()) total += offset
  return total
}

/**
 * The intruder check of a secured run (docs/security.md "Intruder check"): a client without credentials, one with
 * a wrong password and an authenticated user without ACLs each try to read `cdr` and to write to `bills`. An
 * attempt is refused when it fails; one that succeeds or hangs is not. Before the load nothing else writes these
 * topics, so any growth of their end offsets during the check is an intruder's record that landed.
 */
export async function runIntruderCheck(o: { kind: KafkaClientKind; intruders: Record<IntruderKind, KafkaConnection>; admin: Admin; cdrTopic: string; billsTopic: string; marker: string }): Promise<IntruderReport> {
  const before = (await endTotal(o.admin, o.cdrTopic)) + (await endTotal(o.admin, o.billsTopic))
  const attempts = await Promise.all(
    intruderKinds.flatMap((intruder) => [
      tryRead(o.kind, o.intruders[intruder], o.cdrTopic).then((r) => ({ intruder, action: 'read-cdr' as const, refused: r.failed, detail: r.detail })),
      tryWrite(o.kind, o.intruders[intruder], o.billsTopic, o.marker).then((r) => ({ intruder, action: 'write-bills' as const, refused: r.failed, detail: r.detail })),
    ]),
  )
  const after = (await endTotal(o.admin, o.cdrTopic)) + (await endTotal(o.admin, o.billsTopic))
  return { attempts, landed: Number(after - before), marker: o.marker }
}
