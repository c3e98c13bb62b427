/** One second's counts of usage records, as the harness counts them during a run and timeline.json keeps them. */
export interface SecondCounts {
  offered: number
  acked: number
  accounted: number
  produceFailed: number
}

/** How one second went for the load and the output (docs/results.md "Availability"). */
export interface SecondAvailability {
  /** A produce attempt of usage records failed in it. */
  produceFailed: boolean
  /** Usage records sent by its end were still unacknowledged and none was acknowledged in it. */
  produceStalled: boolean
  /** Acknowledged usage records were still unaccounted and none was accounted for in it. */
  noOutput: boolean
}

/**
 * Classifies the seconds 0 … `seconds` − 1 after load start, each from the counts of every second up to it: the one
 * definition behind results.json `availability` and the report's availability chart.
 */
export function availabilityBySecond(countsAt: (t: number) => SecondCounts, seconds: number): SecondAvailability[] {
  const states: SecondAvailability[] = []
  let offered = 0
  let acked = 0
  let accounted = 0
  for (let t = 0; t < seconds; t++) {
    const c = countsAt(t)
    offered += c.offered
    // Sent by the end of the second and not acknowledged before it, yet nothing acknowledged in it.
    const produceStalled = offered > acked && c.acked === 0
    acked += c.acked
    // Acknowledged by the end of the second and not accounted before it, yet nothing accounted in it.
    const noOutput = acked > accounted && c.accounted === 0
    accounted += c.accounted
    states.push({ produceFailed: c.produceFailed > 0, produceStalled, noOutput })
  }
  return states
}
