/**
 * The capacity search of one configuration (docs/capacity.md "Search"): exponential steps from the start rate
 * (×2 up while points pass, ÷2 down while the first ones fail), then bisection between the highest passing and
 * the lowest failing rate until they are within `resolution` of each other. A point the harness could not
 * measure (invalid) above a passing one ends the search there: everything above it is unmeasured too. Below every
 * passing rate (the start itself), an invalid point is treated like a failure: the search halves.
 */
export type PointVerdict = 'pass' | 'fail' | 'invalid'

export interface SearchOptions {
  startEps: number
  maxEps: number
  /** Lowest rate worth trying when even the start fails. */
  minEps: number
  /** Stop bisecting when limit / capacity − 1 ≤ resolution (e.g. 0.1). */
  resolution: number
  measure: (rateEps: number) => Promise<PointVerdict>
  /** Checked before each point: true stops the search (interrupt). */
  stopped?: () => boolean
}

export interface SearchResult {
  capacityEps: number | null
  limitEps: number | null
  stoppedBy: 'slo' | 'harness' | 'max-rate' | 'none-passed' | 'interrupted'
  /** Rates in the order they were measured. */
  measured: { rateEps: number; verdict: PointVerdict }[]
}

/** A rate rounded to three significant figures, so points read well and repeat across configurations. */
export function roundRate(rateEps: number): number {
  if (rateEps <= 0) return 0
  const magnitude = 10 ** (Math.floor(Math.log10(rateEps)) - 2)
  return Math.round(rateEps / magnitude) * magnitude
}

export async function searchCapacity(o: SearchOptions): Promise<SearchResult> {
  const measured: SearchResult['measured'] = []
  let pass: number | null = null
  let limit: number | null = null
  let limitVerdict: PointVerdict | null = null
  const stopped = (): boolean => o.stopped?.() === true
  const at = async (rate: number): Promise<PointVerdict> => {
    const verdict = await o.measure(rate)
    measured.push({ rateEps: rate, verdict })
    return verdict
  }
  const result = (stoppedBy: SearchResult['stoppedBy']): SearchResult => ({ capacityEps: pass, limitEps: limit, stoppedBy, measured })

  // Exponential phase.
  let rate = roundRate(Math.min(o.startEps, o.maxEps))
  for (;;) {
    if (stopped()) return result('interrupted')
    const verdict = await at(rate)
    if (verdict === 'pass') {
      pass = rate
      if (limit !== null) break
      if (rate >= o.maxEps) return result('max-rate')
      rate = roundRate(Math.min(rate * 2, o.maxEps))
      continue
    }
    limit = rate
    limitVerdict = verdict
    // Above a passing rate, an unmeasurable one ends the search. Below every rate tried so far, it says nothing
    // about lower rates (the harness may keep up there): halve, as after a failure.
    if (verdict === 'invalid' && pass !== null) return result('harness')
    if (pass !== null) break
    const lower = roundRate(rate / 2)
    if (lower < o.minEps) return result('none-passed')
    rate = lower
  }

  // Bisection (geometric, since capacity spans decades) between pass and limit.
  while (pass !== null && limit !== null && limit / pass - 1 > o.resolution) {
    if (stopped()) return result('interrupted')
    const middle = roundRate(Math.sqrt(pass * limit))
    if (middle <= pass || middle >= limit) break
    const verdict = await at(middle)
    if (verdict === 'pass') pass = middle
    else {
      limit = middle
      limitVerdict = verdict
      if (verdict === 'invalid') return result('harness')
    }
  }
  return result(limitVerdict === 'invalid' ? 'harness' : 'slo')
}
