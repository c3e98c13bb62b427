import type { Entry } from './entry.ts'

/** Width of a time bucket in simulated ms. */
const BUCKET_MS = 1000

/**
 * Priority queue of entries ordered by (t, lane, seq). Within one lane the order depends only on that lane's
 * own entries, which is what makes a shard's stream a subsequence of the unsharded one.
 *
 * A calendar queue: entries go into 1-second buckets (an array push); only the current bucket is a binary
 * heap, built when the clock reaches it. Most entries are due minutes ahead (calls and data sessions in
 * progress), so this keeps the heap small and pushes O(1).
 */
export class ScheduleQueue {
  private current: Entry[] = []
  private currentKey = -Infinity
  private readonly future = new Map<number, Entry[]>()
  private readonly keys = new KeyHeap()
  private count = 0

  get size(): number {
    return this.count
  }

  push(e: Entry): void {
    this.count++
    const key = Math.floor(e.t / BUCKET_MS)
    if (key <= this.currentKey) {
      siftUp(this.current, e)
      return
    }
    let bucket = this.future.get(key)
    if (bucket === undefined) {
      bucket = []
      this.future.set(key, bucket)
      this.keys.push(key)
    }
    bucket.push(e)
  }

  pop(): Entry | undefined {
    while (this.current.length === 0) {
      const key = this.keys.pop()
      if (key === undefined) return undefined
      const bucket = this.future.get(key) ?? []
      this.future.delete(key)
      heapify(bucket)
      this.current = bucket
      this.currentKey = key
    }
    this.count--
    return popMin(this.current)
  }
}

function before(a: Entry, b: Entry): boolean {
  if (a.t !== b.t) return a.t < b.t
  if (a.lane !== b.lane) return a.lane < b.lane
  return a.seq < b.seq
}

function siftUp(items: Entry[], e: Entry): void {
  let i = items.length
  items.push(e)
  while (i > 0) {
    const parent = (i - 1) >> 1
    const p = items[parent] as Entry
    if (!before(e, p)) break
    items[i] = p
    i = parent
  }
  items[i] = e
}

/** Floyd's bottom-up heap construction: O(n), cheaper than sorting the bucket. */
function heapify(items: Entry[]): void {
  for (let i = (items.length >> 1) - 1; i >= 0; i--) siftDown(items, i, items[i] as Entry)
}

function popMin(items: Entry[]): Entry | undefined {
  const top = items[0]
  const last = items.pop()
  if (top === undefined || last === undefined || items.length === 0) return top
  siftDown(items, 0, last)
  return top
}

/** Places e at index i or below, keeping the heap order. */
function siftDown(items: Entry[], start: number, e: Entry): void {
  const n = items.length
  let i = start
  for (;;) {
    const l = 2 * i + 1
    if (l >= n) break
    const r = l + 1
    let c = l
    let child = items[l] as Entry
    if (r < n) {
      const right = items[r] as Entry
      if (before(right, child)) {
        c = r
        child = right
      }
    }
    if (!before(child, e)) break
    items[i] = child
    i = c
  }
  items[i] = e
}

/** A plain binary min-heap of bucket keys. */
class KeyHeap {
  private readonly items: number[] = []

  push(k: number): void {
    const items = this.items
    let i = items.length
    items.push(k)
    while (i > 0) {
      const parent = (i - 1) >> 1
      const p = items[parent] ?? 0
      if (p <= k) break
      items[i] = p
      i = parent
    }
    items[i] = k
  }

  pop(): number | undefined {
    const items = this.items
    const top = items[0]
    const last = items.pop()
    if (top === undefined || last === undefined || items.length === 0) return top
    const n = items.length
    let i = 0
    for (;;) {
      const l = 2 * i + 1
      if (l >= n) break
      const r = l + 1
      let c = l
      if (r < n && (items[r] ?? 0) < (items[l] ?? 0)) c = r
      if ((items[c] ?? 0) >= last) break
      items[i] = items[c] ?? 0
      i = c
    }
    items[i] = last
    return top
  }
}
