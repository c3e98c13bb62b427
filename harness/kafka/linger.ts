/** One `send` call's worth of records for one topic. */
export interface TopicBatch<R> {
  topic: string
  records: R[]
}

/** How {@link Linger} groups `send` calls into requests. */
export interface LingerOptions {
  /** How long a partial batch may wait for more records; 0 = never wait. */
  lingerMs: number
  /** A batch of at least this many waiting records goes out without waiting for `lingerMs`. */
  batchRecords: number
  /** Merged requests carry at most this many records (a single larger `send` still goes whole). */
  maxRequestRecords: number
  /** Requests in flight at once; the rest wait and are merged. */
  maxInFlight: number
}

interface Pending<R> extends TopicBatch<R> {
  resolve: () => void
  reject: (error: unknown) => void
}

/**
 * The Java producer's record accumulator for clients that have none: `send` calls are merged into
 * requests, at most `maxInFlight` requests are outstanding, and a partial batch waits up to
 * `lingerMs` for more records (`linger.ms`). Requests go out in call order.
 */
export class Linger<R> {
  readonly #flush: (batches: TopicBatch<R>[]) => Promise<void>
  readonly #options: LingerOptions
  #pending: Pending<R>[] = []
  #pendingRecords = 0
  #due = false
  #timer: NodeJS.Timeout | undefined
  readonly #inFlight = new Set<Promise<void>>()

  /** @param flush sends the merged batches as one request */
  constructor(flush: (batches: TopicBatch<R>[]) => Promise<void>, options: LingerOptions) {
    this.#flush = flush
    this.#options = options
  }

  /** Queues the records; resolves when the request that carried them succeeded. */
  send(topic: string, records: R[]): Promise<void> {
    const done = new Promise<void>((resolve, reject) => {
      this.#pending.push({ topic, records, resolve, reject })
    })
    this.#pendingRecords += records.length
    this.#pump()
    return done
  }

  /** Sends everything that waits, without lingering, and resolves once every request has settled. */
  async drain(): Promise<void> {
    while (this.#pending.length > 0 || this.#inFlight.size > 0) {
      this.#due = true
      this.#pump()
      await Promise.allSettled([...this.#inFlight])
    }
  }

  #pump(): void {
    const { lingerMs, batchRecords, maxInFlight } = this.#options
    while (this.#pending.length > 0 && this.#inFlight.size < maxInFlight) {
      if (lingerMs > 0 && !this.#due && this.#pendingRecords < batchRecords) {
        this.#timer ??= setTimeout(() => {
          this.#timer = undefined
          this.#due = true
          this.#pump()
        }, lingerMs)
        return
      }
      this.#dispatch()
    }
  }

  #dispatch(): void {
    const taken: Pending<R>[] = []
    let count = 0
    while (this.#pending.length > 0) {
      const next = this.#pending[0]
      if (next === undefined || (taken.length > 0 && count + next.records.length > this.#options.maxRequestRecords)) break
      this.#pending.shift()
      taken.push(next)
      count += next.records.length
    }
    this.#pendingRecords -= count
    if (this.#pending.length === 0) {
      this.#due = false
      if (this.#timer !== undefined) clearTimeout(this.#timer)
      this.#timer = undefined
    }
    const request = this.#flush(taken.map(({ topic, records }) => ({ topic, records })))
    this.#inFlight.add(request)
    // The next request goes out before the callers of this one hear back, as in the Java sender.
    const release = (): void => {
      this.#inFlight.delete(request)
      this.#pump()
    }
    request.then(
      () => {
        release()
        for (const p of taken) p.resolve()
      },
      (error: unknown) => {
        release()
        for (const p of taken) p.reject(error)
      },
    )
  }
}
