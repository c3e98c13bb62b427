import { createHash } from 'node:crypto'

/**
 * The machine's single-core speed right now, in MB of SHA-256 per second over about `durationMs`. On a shared host
 * a guest's cores can get slower without any steal time or load showing (another guest on the same physical core):
 * on 2026-12-02 the same fraud-wave run's Spark query planning went from 28 ms to 15 ms (median) within one hour.
 * Printed beside each run of a bench, it shows whether runs compared with each other had the same machine.
 */
export function cpuSpeedMBps(durationMs = 500): number {
  const block = Buffer.alloc(64 * 1024, 7)
  // A first short spell, not counted, so the figure is not that of a cold hash path.
  const warmUntil = performance.now() + Math.min(50, durationMs)
  while (performance.now() < warmUntil) createHash('sha256').update(block).digest()
  let bytes = 0
  const start = performance.now()
  let now = start
  while (now - start < durationMs) {
    createHash('sha256').update(block).digest()
    bytes += block.length
    now = performance.now()
  }
  return bytes / 1e6 / ((now - start) / 1000)
}
