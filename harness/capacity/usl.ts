import { levenbergMarquardt } from 'ml-levenberg-marquardt'
import { inverse, Matrix } from 'ml-matrix'

/**
 * Gunther's Universal Scalability Law: capacity at N units of a resource (cores, executors, partitions) is
 *   X(N) = λN / (1 + σ(N − 1) + κN(N − 1))
 * λ is the capacity of one unit, σ the contention (the serial share: queueing for something shared) and κ the
 * coherency cost (every unit talking to every other). σ = κ = 0 is linear scaling; κ > 0 gives a peak at
 * N* = √((1 − σ)/κ), after which adding resources lowers capacity. docs/capacity.md "Scalability model".
 */
export interface UslParameters {
  lambda: number
  sigma: number
  kappa: number
}

export interface UslPoint {
  resources: number
  capacityEps: number
}

export interface UslFit {
  parameters: UslParameters
  /** Standard errors from the fit's Jacobian (null when the points leave no degree of freedom). */
  stderr: UslParameters | null
  /** Coefficient of determination in capacity space. */
  rSquared: number
  /** Residual degrees of freedom: points − 3. */
  degreesOfFreedom: number
  /** Resources at which capacity peaks (null when κ ≈ 0: no peak). */
  peakResources: number | null
  /** Plain words on how far to trust it: too few points, a poor fit, or nothing to say. */
  caveats: string[]
}

export interface HeldOutCheck {
  /** The largest measured resources, left out of the refit. */
  resources: number
  measuredEps: number
  predictedEps: number
  /** (predicted − measured) / measured. */
  relativeError: number
}

export function uslCapacity(p: UslParameters, resources: number): number {
  return (p.lambda * resources) / (1 + p.sigma * (resources - 1) + p.kappa * resources * (resources - 1))
}

/** ∂X/∂(λ, σ, κ) at N: the Jacobian row the standard errors come from. */
function gradient(p: UslParameters, n: number): [number, number, number] {
  const d = 1 + p.sigma * (n - 1) + p.kappa * n * (n - 1)
  const x = (p.lambda * n) / d
  return [n / d, (-x * (n - 1)) / d, (-x * n * (n - 1)) / d]
}

const minPoints = 3
/** Below this R² the curve describes the points too loosely to plan with. */
const poorFitRSquared = 0.9

/** The points' least-squares USL in capacity space, starting from λ = the best capacity per unit measured. */
export function fitUsl(points: readonly UslPoint[]): UslFit | null {
  const distinct = new Set(points.map((p) => p.resources))
  if (distinct.size < minPoints) return null
  const xs = points.map((p) => p.resources)
  const ys = points.map((p) => p.capacityEps)
  const lambda0 = Math.max(...points.map((p) => p.capacityEps / p.resources))
  const fitted = levenbergMarquardt(
    { x: xs, y: ys },
    ([lambda = 0, sigma = 0, kappa = 0]) => (n) => uslCapacity({ lambda, sigma, kappa }, n),
    { initialValues: [lambda0, 0.05, 0.001], minValues: [0, 0, 0], maxValues: [lambda0 * 10, 1, 1], maxIterations: 500, errorTolerance: 1e-10, damping: 1e-3, gradientDifference: [lambda0 * 1e-6, 1e-6, 1e-7], centralDifference: true },
  )
  const [lambda = 0, sigma = 0, kappa = 0] = fitted.parameterValues
  const parameters = { lambda, sigma, kappa }
  const residuals = points.map((p) => p.capacityEps - uslCapacity(parameters, p.resources))
  const sse = residuals.reduce((s, r) => s + r * r, 0)
  const meanY = ys.reduce((s, y) => s + y, 0) / ys.length
  const sst = ys.reduce((s, y) => s + (y - meanY) ** 2, 0)
  const rSquared = sst === 0 ? (sse === 0 ? 1 : 0) : 1 - sse / sst
  const degreesOfFreedom = points.length - 3
  const stderr = degreesOfFreedom > 0 ? standardErrors(parameters, xs, sse / degreesOfFreedom) : null
  const peakResources = kappa > 1e-12 ? Math.sqrt((1 - sigma) / kappa) : null
  const caveats: string[] = []
  if (degreesOfFreedom === 0) caveats.push(`${points.length} points for 3 parameters: the curve passes through them exactly and says nothing about its own error`)
  if (rSquared < poorFitRSquared) caveats.push(`poor fit (R² ${rSquared.toFixed(2)}): the capacities do not follow the USL's shape, so its predictions are not to be planned with`)
  if (stderr !== null && (stderr.sigma > Math.max(sigma, 0.01) || stderr.kappa > Math.max(kappa, 1e-4))) caveats.push('σ or κ is smaller than its own standard error: more resource levels (or repeats) are needed to pin it down')
  return { parameters, stderr, rSquared, degreesOfFreedom, peakResources, caveats }
}

/** s²(JᵀJ)⁻¹, the usual linearised covariance of a least-squares fit; null when JᵀJ is singular. */
function standardErrors(p: UslParameters, xs: readonly number[], residualVariance: number): UslParameters | null {
  const jacobian = new Matrix(xs.map((n) => gradient(p, n)))
  try {
    const covariance = inverse(jacobian.transpose().mmul(jacobian)).mul(residualVariance)
    const se = (i: number): number => Math.sqrt(Math.max(0, covariance.get(i, i)))
    return { lambda: se(0), sigma: se(1), kappa: se(2) }
  } catch {
    return null
  }
}

/**
 * The held-out check: refit without the largest measured resources and predict it. Null when the rest are too
 * few to fit (fewer than three resource levels).
 */
export function heldOutCheck(points: readonly UslPoint[]): HeldOutCheck | null {
  const largest = Math.max(...points.map((p) => p.resources))
  const rest = points.filter((p) => p.resources !== largest)
  const fit = fitUsl(rest)
  if (fit === null) return null
  const measured = points.filter((p) => p.resources === largest).map((p) => p.capacityEps)
  const measuredEps = measured.reduce((s, v) => s + v, 0) / measured.length
  const predictedEps = uslCapacity(fit.parameters, largest)
  return { resources: largest, measuredEps, predictedEps, relativeError: (predictedEps - measuredEps) / measuredEps }
}
