import { describe, expect, it } from 'vitest'
import type { ConfigurationCapacity } from '../results/index.ts'
import { plannerAnswers, scalabilityFamilies } from './planning.ts'
import { parseSlo } from './slo.ts'
import { uslCapacity } from './usl.ts'

const usl = { lambda: 3000, sigma: 0.1, kappa: 0.01 }

function measured(cores: number, trigger: string, capacity: number | null): ConfigurationCapacity {
  return { config: `cores=${cores} trigger=${trigger}`, settings: { cores: String(cores), trigger }, capacity_eps: capacity, limit_eps: null, stopped_by: 'slo', bottleneck: capacity === null ? null : { component: 'spark', summary: 'Spark batches are slow', evidence: [] }, p99_at_capacity_ms: {} }
}

const grid = { cores: ['1', '2', '3', '4'], trigger: ['1s', 'realtime'] }
const results = [1, 2, 3, 4].flatMap((n) => [measured(n, '1s', Math.round(uslCapacity(usl, n))), measured(n, 'realtime', n === 4 ? null : 500 * n)])

describe('scalability families', () => {
  const families = scalabilityFamilies(grid, results)
  it('groups configurations that differ only in the resource, one fit each', () => {
    expect(families.map((f) => [f.family, f.resource, f.points.length])).toEqual([['trigger=1s', 'cores', 4], ['trigger=realtime', 'cores', 3]])
  })
  it('fits the USL with a held-out check and a curve to twice the largest level', () => {
    const f = families[0]
    expect(f?.fit?.parameters.sigma).toBeCloseTo(usl.sigma, 2)
    expect(f?.held_out?.resources).toBe(4)
    expect(Math.abs(f?.held_out?.relative_error ?? 1)).toBeLessThan(0.01)
    expect(f?.fit?.curve.map((p) => p.resources)).toEqual([1, 2, 3, 4, 5, 6, 7, 8])
  })
  it('says when a family is too small for a held-out check', () => {
    expect(families[1]?.held_out).toBeNull()
  })
})

describe("the planner's answers", () => {
  const slos = [parseSlo('rated p99<2000')]
  const families = scalabilityFamilies(grid, results)
  it('names the smallest measured configuration that holds the target', () => {
    const [answer] = plannerAnswers([5000], slos, results, families)
    expect(answer?.answer).toBe(`To hold 5,000 ev/s at rated p99<2000 you need cores=2 trigger=1s (measured capacity ${Math.round(uslCapacity(usl, 2)).toLocaleString('en-US')} ev/s).`)
  })
  it('falls back on a trusted USL prediction, flagged as not measured', () => {
    const [answer] = plannerAnswers([9800], slos, results, families)
    expect(answer?.answer).toMatch(/the USL fit of trigger=1s predicts \d+ cores .*not measured/)
  })
  it('says plainly when nothing reaches the target, with the bottleneck', () => {
    const [answer] = plannerAnswers([1_000_000], slos, results, families)
    expect(answer?.answer).toMatch(/^1,000,000 ev\/s at rated p99<2000 is not reachable with these knobs: the best, cores=\d trigger=1s, holds [\d,]+ ev\/s; the bottleneck is Spark batches are slow\.$/)
  })
})
