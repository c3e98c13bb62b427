import type { ResolvedScenario } from '../scenario/resolved.ts'
import { planFraud, type Plan } from './fraud.ts'
import { Model } from './model.ts'

const built = new WeakMap<ResolvedScenario, { model: Model; plan: Plan }>()

/** The model and the fraud plan of a scenario, built once (the plan assigns roles and swaps on the model). */
export function buildModel(s: ResolvedScenario): { model: Model; plan: Plan } {
  let b = built.get(s)
  if (b === undefined) {
    const model = new Model(s)
    b = { model, plan: planFraud(model) }
    built.set(s, b)
  }
  return b
}
