import { exitCodeForRun } from '../harness/errors.ts'
import type { Results, VerdictReason, VerdictReasonCode } from '../harness/results/index.ts'

/**
 * Verdict codes that judge the machine's speed rather than what the pipeline did: the lag trend over the
 * measurement window and the generator keeping its schedule. A behaviour test on a shared CI machine cannot
 * promise them (a neighbour's load stalls a 1 s micro-batch for seconds), so it prints them instead of failing:
 * speed is measured by the benchmarks, and the steady-state rule itself by its seeded unit tests.
 */
const speedReasonCodes: ReadonlySet<VerdictReasonCode> = new Set<VerdictReasonCode>(['not_sustained', 'not_settled', 'generator_behind_schedule'])

export interface BehaviourVerdict {
  /** Reasons about what the pipeline did (loss, duplicates, accounting, deaths, thresholds): a test demands none. */
  behaviour: VerdictReason[]
  /** Reasons about the machine's speed, printed with the evidence. */
  speed: VerdictReason[]
  /** The exit code the CLI documents for this run's state and reasons. */
  exitCode: number
}

export function behaviourVerdict(results: Results): BehaviourVerdict {
  const reasons = results.verdict.reasons
  const speed = reasons.filter((r) => speedReasonCodes.has(r.code))
  if (speed.length > 0) {
    console.warn(`${results.run_id}: judged on speed, not failed on here: ${speed.map((r) => `${r.code} (${r.message})`).join('; ')}; machine busy: ${JSON.stringify(results.machine_busy)}`)
  }
  return {
    behaviour: reasons.filter((r) => !speedReasonCodes.has(r.code)),
    speed,
    exitCode: exitCodeForRun(results.state, reasons.map((r) => r.code)),
  }
}
