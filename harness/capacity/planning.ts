import type { ConfigurationCapacity, UslFamily } from '../results/index.ts'
import { resourceKnobs } from './grid.ts'
import type { LatencySlo } from './slo.ts'
import { fitUsl, heldOutCheck, uslCapacity, type UslPoint } from './usl.ts'

const thousands = (n: number): string => String(Math.round(n)).replace(/\B(?=(\d{3})+$)/g, ',')

/**
 * One USL family per resource knob (cores, partitions) and per combination of the other knobs' values: the
 * configurations that differ only in that resource. Families with fewer than three measured capacities get no fit
 * and say so.
 */
export function scalabilityFamilies(vary: Record<string, string[]>, measured: readonly ConfigurationCapacity[]): UslFamily[] {
  const families: UslFamily[] = []
  for (const resource of resourceKnobs(vary)) {
    const byRest = new Map<string, ConfigurationCapacity[]>()
    for (const c of measured) {
      const rest = Object.entries(c.settings).filter(([k]) => k !== resource).map(([k, v]) => `${k}=${v}`).join(' ')
      byRest.set(rest, [...(byRest.get(rest) ?? []), c])
    }
    for (const [rest, members] of byRest) {
      const points: UslPoint[] = members.flatMap((c) => (c.capacity_eps === null ? [] : [{ resources: Number(c.settings[resource]), capacityEps: c.capacity_eps }]))
      const fit = fitUsl(points)
      const held = heldOutCheck(points)
      const caveats = fit === null ? [`${points.length} measured capacit${points.length === 1 ? 'y' : 'ies'} over ${resource}: a USL fit needs at least three resource levels`] : [...fit.caveats]
      if (held !== null && Math.abs(held.relativeError) > 0.2) caveats.push(`the held-out check misses by ${(held.relativeError * 100).toFixed(0)} %: predictions beyond the measured ${resource} are not reliable`)
      const largest = Math.max(0, ...points.map((p) => p.resources))
      families.push({
        family: rest === '' ? 'all' : rest,
        resource,
        points: points.map((p) => ({ resources: p.resources, capacity_eps: p.capacityEps })),
        fit: fit === null ? null : {
          parameters: fit.parameters,
          stderr: fit.stderr,
          r_squared: fit.rSquared,
          degrees_of_freedom: fit.degreesOfFreedom,
          peak_resources: fit.peakResources,
          curve: Array.from({ length: 2 * largest }, (_, i) => ({ resources: i + 1, capacity_eps: Math.round(uslCapacity(fit.parameters, i + 1)) })),
        },
        held_out: held === null ? null : { resources: held.resources, measured_eps: held.measuredEps, predicted_eps: held.predictedEps, relative_error: held.relativeError },
        caveats,
      })
    }
  }
  return families
}

/**
 * The planner's sentence per target rate: the measured configuration that holds it with the least of each
 * resource; else the USL's prediction (flagged as a prediction) when a well-fitted family reaches it within twice
 * its measured range; else why not, naming the best configuration and its bottleneck.
 */
export function plannerAnswers(targets: readonly number[], slos: readonly LatencySlo[], measured: readonly ConfigurationCapacity[], families: readonly UslFamily[]): { target_eps: number; answer: string }[] {
  const at = slos.map((s) => s.text).join(' and ')
  return targets.map((target) => {
    const holding = measured.filter((c) => c.capacity_eps !== null && c.capacity_eps >= target).sort((a, b) => (a.capacity_eps ?? 0) - (b.capacity_eps ?? 0))
    const first = holding[0]
    if (first !== undefined) return { target_eps: target, answer: `To hold ${thousands(target)} ev/s at ${at} you need ${first.config} (measured capacity ${thousands(first.capacity_eps ?? 0)} ev/s).` }
    for (const f of families) {
      if (f.fit === null || f.caveats.length > 0) continue
      const reach = f.fit.curve.find((p) => p.capacity_eps >= target)
      if (reach !== undefined) return { target_eps: target, answer: `To hold ${thousands(target)} ev/s at ${at} the USL fit of ${f.family} predicts ${reach.resources} ${f.resource} (predicted ${thousands(reach.capacity_eps)} ev/s; not measured, held-out error ${f.held_out === null ? 'n/a' : `${(f.held_out.relative_error * 100).toFixed(0)} %`}).` }
    }
    const best = [...measured].sort((a, b) => (b.capacity_eps ?? 0) - (a.capacity_eps ?? 0))[0]
    const why = best?.bottleneck?.summary ?? 'no configuration held any rate'
    return { target_eps: target, answer: `${thousands(target)} ev/s at ${at} is not reachable with these knobs: the best, ${best?.config ?? 'none'}, holds ${best?.capacity_eps === null || best === undefined ? 'no rate' : `${thousands(best.capacity_eps)} ev/s`}; the bottleneck is ${why}.` }
  })
}
