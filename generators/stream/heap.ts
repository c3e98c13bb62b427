import type { Entry } from './entry.ts'

/**
 * Binary min-heap of entries ordered by (t, lane, seq). Within one lane the order depends only on that
 * lane's own entries, which is what makes a shard's stream a subsequence of the unsharded one.
 */
export class EntryHeap {
  private items: Entry[] = []

  get size(): number {
    return this.items.length
  }

  push(e: Entry): void {
    const items = this.items
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

  pop(): Entry | undefined {
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
      let child = items[l] as Entry
      if (r < n) {
        const right = items[r] as Entry
        if (before(right, child)) {
          c = r
          child = right
        }
      }
      if (!before(child, last)) break
      items[i] = child
      i = c
    }
    items[i] = last
    return top
  }
}

function before(a: Entry, b: Entry): boolean {
  if (a.t !== b.t) return a.t < b.t
  if (a.lane !== b.lane) return a.lane < b.lane
  return a.seq < b.seq
}
