import { describe, expect, it } from 'vitest'
import { fitUsl, heldOutCheck, uslCapacity, type UslParameters, type UslPoint } from './usl.ts'

const truth: UslParameters = { lambda: 5000, sigma: 0.08, kappa: 0.002 }
const levels = [1, 2, 4, 6, 8, 12, 16, 24]

/** A fixed ±2 % pattern of "measurement noise", so the test is exact and repeatable. */
const noise = [0.012, -0.018, 0.02, -0.006, 0.015, -0.02, 0.004, -0.011]

function points(p: UslParameters, withNoise: boolean): UslPoint[] {
  return levels.map((n, i) => ({ resources: n, capacityEps: uslCapacity(p, n) * (withNoise ? 1 + (noise[i] ?? 0) : 1) }))
}

describe('USL fit', () => {
  it('recovers λ, σ and κ exactly from noiseless capacities', () => {
    const fit = fitUsl(points(truth, false))
    expect(fit).not.toBeNull()
    expect(fit?.parameters.lambda).toBeCloseTo(truth.lambda, 0)
    expect(fit?.parameters.sigma).toBeCloseTo(truth.sigma, 4)
    expect(fit?.parameters.kappa).toBeCloseTo(truth.kappa, 5)
    expect(fit?.rSquared).toBeCloseTo(1, 6)
    expect(fit?.peakResources).toBeCloseTo(Math.sqrt((1 - truth.sigma) / truth.kappa), 1)
  })

  it('recovers σ and κ within their standard errors from capacities with ±2 % noise', () => {
    const fit = fitUsl(points(truth, true))
    if (fit === null || fit.stderr === null) throw new Error('expected a fit with standard errors')
    expect(Math.abs(fit.parameters.sigma - truth.sigma)).toBeLessThan(3 * fit.stderr.sigma)
    expect(Math.abs(fit.parameters.kappa - truth.kappa)).toBeLessThan(3 * fit.stderr.kappa)
    expect(Math.abs(fit.parameters.lambda - truth.lambda) / truth.lambda).toBeLessThan(0.05)
    expect(fit.degreesOfFreedom).toBe(5)
    expect(fit.caveats).toEqual([])
  })

  it('fits linear scaling as σ = κ = 0 with no peak', () => {
    const fit = fitUsl(levels.map((n) => ({ resources: n, capacityEps: 1000 * n })))
    expect(fit?.parameters.sigma).toBeLessThan(1e-4)
    expect(fit?.parameters.kappa).toBeLessThan(1e-6)
    expect(fit?.peakResources ?? null).toBeNull()
  })

  it('refuses fewer than three resource levels, and says when three points leave no error estimate', () => {
    expect(fitUsl([{ resources: 1, capacityEps: 10 }, { resources: 2, capacityEps: 18 }, { resources: 2, capacityEps: 19 }])).toBeNull()
    const three = fitUsl(points(truth, false).slice(0, 3))
    expect(three?.stderr).toBeNull()
    expect(three?.caveats.join(' ')).toContain('3 points for 3 parameters')
  })

  it('says plainly when the capacities do not follow the curve', () => {
    const zigzag = levels.map((n, i) => ({ resources: n, capacityEps: i % 2 === 0 ? 1000 : 9000 }))
    expect(fitUsl(zigzag)?.caveats.join(' ')).toContain('poor fit')
  })

  it('held-out check: refits without the largest level and reports the prediction error for it', () => {
    const check = heldOutCheck(points(truth, true))
    if (check === null) throw new Error('expected a held-out check')
    expect(check.resources).toBe(24)
    expect(check.measuredEps).toBeCloseTo(uslCapacity(truth, 24) * (1 + (noise[7] ?? 0)), 6)
    expect(Math.abs(check.relativeError)).toBeLessThan(0.1)
    expect(heldOutCheck(points(truth, false).slice(0, 3))).toBeNull()
  })
})
