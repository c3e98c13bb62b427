import type { Sfc32 } from '../random/prng.ts'

/**
 * Fixed parameters of generated behaviour that a scenario does not set. The generators draw with them and the
 * load estimate (generators/scenario/load.ts) counts with them, so the two cannot drift apart.
 * This module imports no runtime code: `telcobench validate` loads it without the generators' weight.
 */

/**
 * Generation lanes. Every entity (subscriber j, cell c) belongs to lane (index mod LANES), and each lane has its
 * own PRNG, sequence and id counter, so a lane's output does not depend on which other lanes run beside it.
 * A shard i/n runs the lanes with lane mod n = i; n may be at most LANES.
 */
export const LANES = 64

/** A uniform draw `min + rng.int(spread)` (whole numbers) or `min + rng.next() * spread` (reals). */
export interface UniformRange {
  min: number
  spread: number
}

/** Ring time before the answer (or before giving up), ms. */
export const ringMs = {
  answered: { min: 3000, spread: 12_000 },
  unanswered: { min: 5000, spread: 25_000 },
} as const satisfies Record<string, UniformRange>

/** A data session's volume is capped here, bytes. */
export const maxSessionVolumeBytes = 5e9

/** M2M sessions: 10–59 s long, volume m2mVolumeBytes × lognormal(0, volumeSigma). */
export const m2mSession = { durationS: { min: 10, spread: 50 } satisfies UniformRange, volumeSigma: 0.5 }

/** A storm alarm is cleared 5–120 s after it is raised (ms, uniform). */
export const stormClearMs: UniformRange = { min: 5000, spread: 115_000 }

/**
 * Precursors (docs/telecom-model.md "Precursors"): over the precursor window the abnormal-release share grows
 * linearly up to (1 + dropGrowth) × its normal level at the anomaly's start, and minor alarms are raised at a rate
 * growing linearly from 0 to `alarmsPerHourAtOnset` per cell, each cleared 2–10 min later (ms, uniform).
 */
export const precursorEffect = {
  dropGrowth: 3,
  alarmsPerHourAtOnset: 12,
  clearMs: { min: 120_000, spread: 480_000 } satisfies UniformRange,
} as const

/** Share of the calls of fraud and hard-negative actors (SIM boxes, bust-out accounts, call centres) answered. */
export const actorAnswerRatio = 0.8

/** Gap between the end of one pumping call and the next on the same channel, ms (uniform reals). */
export const channelGapMs: UniformRange = { min: 5000, spread: 25_000 }

/** A burst's calls are spaced spacingMs × (0.5 + U) apart. */
export const burstSpacingFactor: UniformRange = { min: 0.5, spread: 1 }

/** A burst call lasts 5 s up to its pattern's maxS (exclusive). */
export const burstMinHoldS = 5

/** IRSF: test calls 2 minutes apart (at most 25 s each), pumping 10 minutes after them, channels 7 s apart. */
export const irsfTiming = { testSpacingMs: 120_000, testMaxS: 25, pumpDelayMs: 600_000, channelStaggerMs: 7000 } as const

/** PBX hacking: channels open 11 s apart. */
export const pbxChannelStaggerMs = 11_000

/** SIM swap: within the first hour (at most half the window), then calls to the bank 5 minutes apart, < 600 s long. */
export const simSwapTiming = { swapWithinMs: 3_600_000, followUpSpacingMs: 300_000, followUpMaxS: 600 } as const

/** Wangiri: a victim's callback lasts 30–299 s. */
export const wangiriCallbackS: UniformRange = { min: 30, spread: 270 }

/** Bust-out (SUBSCRIPTION) accounts' calls: long, lognormal. */
export const subscriptionHolding = { median: 240_000, sigma: 0.8, max: 3_600_000 } as const

/** Call-centre agents' calls: lognormal. */
export const callCentreHolding = { median: 150_000, sigma: 0.7, max: 3_600_000 } as const

/** Lognormal holding time in whole seconds. */
export interface Holding {
  mu: number
  sigma: number
  maxS: number
}

/** Builds a holding-time spec from a scenario lognormal (median/max in ms). */
export function holdingOf(h: { median: number; sigma: number; max: number }): Holding {
  return { mu: Math.log(Math.max(1, h.median / 1000)), sigma: h.sigma, maxS: Math.max(1, Math.floor(h.max / 1000)) }
}

/** Draws a holding time in seconds (≥ 1, capped). */
export function drawHolding(rng: Sfc32, h: Holding): number {
  return Math.min(h.maxS, Math.max(1, Math.round(rng.lognormal(h.mu, h.sigma))))
}
