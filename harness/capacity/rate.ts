import { formatIssue, validateScenarioText, type ResolvedScenario } from '../../generators/index.ts'
import { TelcobenchError } from '../errors.ts'

/** A scenario paced to a rate: the `--set` overrides that make it offer `rateEps` for `wallS` seconds of load. */
export interface PacedScenario {
  overrides: string[]
  timeCompression: number
  wallS: number
  /** The mean rate the generator's load model expects (the run measures what it really offered). */
  expectedEps: number
}

function validated(text: string, file: string, overrides: readonly string[]): ResolvedScenario {
  const r = validateScenarioText(text, file, { overrides: [...overrides] })
  if (!r.ok) throw new TelcobenchError('TB_SCENARIO_INVALID', `the scenario is invalid with the capacity search's settings:\n${r.errors.map(formatIssue).join('\n')}`, { fix: `run \`telcobench validate ${file}\` with the same --set values and fix each line above` })
  return r.scenario
}

/**
 * The records a scenario sends per simulated second depend on the window it covers (hourly profiles), and the
 * window is duration = wall × timeCompression, so the pace that gives `rateEps` over `wallS` wall seconds is a
 * fixed point: start from the file's window, derive timeCompression = rate / (records per simulated second), widen
 * or narrow the window to wall × timeCompression, and repeat until the window moves less than 0.5 %.
 * A scenario paced by `load.rate` keeps that key (the file may not set both); otherwise timeCompression is set.
 */
export function paceScenario(text: string, file: string, baseOverrides: readonly string[], rateEps: number, wallS: number): PacedScenario {
  const base = validated(text, file, baseOverrides)
  const byRate = base.load.targetEventsPerWallSecond !== null
  let durationS = base.durationMs / 1000
  let timeCompression = base.timeCompression
  for (let i = 0; i < 8; i++) {
    const window = validated(text, file, [...baseOverrides, `duration=${durationS}s`])
    const perSimSecond = window.load.meanEventsPerSimSecond
    if (perSimSecond <= 0) throw new TelcobenchError('TB_USAGE', `${file} sends no records, so no pace reaches ${rateEps} ev/s`, { fix: 'add subscribers or traffic to the scenario' })
    timeCompression = rateEps / perSimSecond
    const next = Math.round(wallS * timeCompression * 1000) / 1000
    const settled = Math.abs(next - durationS) / durationS < 0.005
    durationS = next
    if (settled) break
  }
  const overrides = [...baseOverrides, `duration=${durationS}s`, byRate ? `load.rate=${rateEps}/s` : `timeCompression=${timeCompression}`]
  const paced = validated(text, file, overrides)
  return { overrides, timeCompression: paced.timeCompression, wallS: paced.wallDurationS, expectedEps: paced.load.meanEventsPerWallSecond }
}
