import { recordsPerArrival, type Emission } from './emissions.ts'

/** Simulated ms offsets from the run start, as everywhere in the generators. */

/** When a process starts things: at a constant rate over [fromMs, toMs), or `count` of them at `atMs`. */
export type Arrivals = { fromMs: number; toMs: number; perMs: number } | { atMs: number; count: number }

/** An arrival process of the generators and what each of its arrivals emits. */
export interface Process {
  arrivals: Arrivals[]
  emits: Emission[]
}

/** A piece of the run window inside one local hour (and between two given cuts). */
export interface WindowPiece {
  fromMs: number
  toMs: number
  /** Local hour 0..23 (as Model.hourAt counts it). */
  hour: number
}

const HOUR_MS = 3_600_000
const DAY_MS = 86_400_000

/** Cuts [0, endMs) at the local hour boundaries and at `cuts`, as Model.nextArrival walks it. */
export function windowPieces(startEpochMs: number, utcOffsetMs: number, endMs: number, cuts: readonly number[]): WindowPiece[] {
  const local = (t: number): number => startEpochMs + t + utcOffsetMs
  const inner = [...new Set(cuts)].filter((c) => c > 0 && c < endMs).sort((a, b) => a - b)
  const pieces: WindowPiece[] = []
  let from = 0
  let cut = 0
  while (from < endMs) {
    const nextHour = (Math.floor(local(from) / HOUR_MS) + 1) * HOUR_MS - startEpochMs - utcOffsetMs
    while (cut < inner.length && (inner[cut] ?? Infinity) <= from) cut++
    const to = Math.min(endMs, nextHour, inner[cut] ?? Infinity)
    const hour = Math.floor(((((local(from) % DAY_MS) + DAY_MS) % DAY_MS)) / HOUR_MS)
    pieces.push({ fromMs: from, toMs: to, hour })
    from = to
  }
  return pieces
}

/**
 * Expected records of a process that are sent by `endMs`: an arrival at t contributes the emissions with
 * t + delay ≤ endMs (the generators drop records due after the run).
 */
export function recordsSent(p: Process, endMs: number): number {
  const perArrival = recordsPerArrival(p.emits)
  const longestDelay = p.emits.reduce((max, e) => Math.max(max, e.delayMs), 0)
  let total = 0
  for (const a of p.arrivals) {
    if ('atMs' in a) {
      if (a.atMs > endMs) continue
      for (const e of p.emits) if (a.atMs + e.delayMs <= endMs) total += a.count * e.records
      continue
    }
    const from = Math.max(0, a.fromMs)
    const to = Math.min(endMs, a.toMs)
    if (to <= from || a.perMs <= 0) continue
    if (to + longestDelay <= endMs) {
      total += a.perMs * (to - from) * perArrival
      continue
    }
    for (const e of p.emits) {
      const lastArrival = Math.min(to, endMs - e.delayMs)
      if (lastArrival > from) total += a.perMs * (lastArrival - from) * e.records
    }
  }
  return total
}

/**
 * Expected arrivals still going on at the instant `atMs`: arrived before it and lasting past it, each lasting one
 * of the equally likely `lastingMs`.
 */
export function openAt(arrivals: readonly Arrivals[], lastingMs: readonly number[], atMs: number): number {
  let open = 0
  for (const lasting of lastingMs) {
    const weight = 1 / lastingMs.length
    for (const a of arrivals) {
      if ('atMs' in a) {
        if (a.atMs < atMs && a.atMs + lasting > atMs) open += a.count * weight
        continue
      }
      const overlap = Math.min(a.toMs, atMs) - Math.max(a.fromMs, atMs - lasting, 0)
      if (overlap > 0) open += a.perMs * overlap * weight
    }
  }
  return open
}

/**
 * The highest steady record rate (records per simulated ms) over any stretch of the run: every rate-based
 * arrival times its records per arrival, summed where stretches overlap. Single instants are left out.
 */
export function peakRecordsPerMs(processes: readonly Process[], endMs: number): number {
  const steps: { atMs: number; delta: number }[] = []
  for (const p of processes) {
    const perArrival = recordsPerArrival(p.emits)
    for (const a of p.arrivals) {
      if ('atMs' in a) continue
      const from = Math.max(0, a.fromMs)
      const to = Math.min(endMs, a.toMs)
      if (to <= from) continue
      steps.push({ atMs: from, delta: a.perMs * perArrival }, { atMs: to, delta: -a.perMs * perArrival })
    }
  }
  // Ends before starts at the same instant, so back-to-back stretches do not add up.
  steps.sort((x, y) => x.atMs - y.atMs || x.delta - y.delta)
  let level = 0
  let peak = 0
  for (const s of steps) {
    level += s.delta
    peak = Math.max(peak, level)
  }
  return peak
}
