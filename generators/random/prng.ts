/**
 * sfc32: a small, fast 32-bit PRNG (PractRand-clean) for the hot path. State is four uint32 words.
 * Seeds are derived with splitmix32 so that (seed, stream) pairs give independent-looking streams.
 */
export class Sfc32 {
  private a: number
  private b: number
  private c: number
  private d: number

  /** Creates a generator for a stream id within a scenario seed; the same pair always gives the same sequence. */
  constructor(seed: number, stream = 0) {
    let s = mix32((seed >>> 0) ^ Math.imul(stream + 0x9e3779b9, 0x85ebca6b))
    s = mix32(s + stream)
    this.a = mix32(s ^ 0x6a09e667)
    this.b = mix32(s ^ 0xbb67ae85)
    this.c = mix32(s ^ 0x3c6ef372)
    this.d = 1
    for (let i = 0; i < 12; i++) this.nextUint32()
  }

  /** Next uint32. */
  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0
    this.d = (this.d + 1) | 0
    this.a = this.b ^ (this.b >>> 9)
    this.b = (this.c + (this.c << 3)) | 0
    this.c = (this.c << 21) | (this.c >>> 11)
    this.c = (this.c + t) | 0
    return t >>> 0
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296
  }

  /** Uniform in (0, 1]: safe for logarithms. */
  nextOpen(): number {
    return (this.nextUint32() + 1) / 4294967296
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n)
  }

  /** Uniform integer in [lo, hi] (inclusive). */
  range(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1))
  }

  /** Exponential with mean 1. */
  exp1(): number {
    return -Math.log(this.nextOpen())
  }

  /** Standard normal (Box–Muller, one value per call for simplicity). */
  normal(): number {
    return Math.sqrt(-2 * Math.log(this.nextOpen())) * Math.cos(2 * Math.PI * this.next())
  }

  /** Lognormal with the given log-mean and log-sd. */
  lognormal(mu: number, sigma: number): number {
    return Math.exp(mu + sigma * this.normal())
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() < p
  }
}

/** splitmix32 finaliser: a cheap 32-bit avalanche hash. */
export function mix32(x: number): number {
  let z = (x + 0x9e3779b9) | 0
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b)
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35)
  return (z ^ (z >>> 16)) >>> 0
}

/** Deterministic hash of (seed, a, b) into a uint32, for per-entity attributes that must not depend on draw order. */
export function hash3(seed: number, a: number, b = 0): number {
  return mix32(mix32(mix32(seed >>> 0) ^ a) ^ Math.imul(b + 1, 0x27d4eb2d))
}
