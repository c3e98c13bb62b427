import type { MeasurementCostResult } from '../results/index.ts'
import type { ProcessSample } from '../measure/proc.ts'
import type { MeasuringCost } from './collector.ts'


export function measurementCost(cost: MeasuringCost, harnessSamples: readonly ProcessSample[]): MeasurementCostResult {
  const first = harnessSamples[0]
  const last = harnessSamples[harnessSamples.length - 1]
  const processCpu = first !== undefined && last !== undefined && last !== first ? last.cpuSeconds - first.cpuSeconds : null
  const handlerS = cost.handlerMs / 1000
  return {
    batches: cost.batches,
    records: cost.records,
    consumer_handler_s: handlerS,
    consumer_handler_cpu_s: cost.handlerCpuMs / 1000,
    per_record_us: cost.records > 0 ? (cost.handlerCpuMs * 1000) / cost.records : null,
    harness_process_cpu_s: processCpu,
    consumer_share_of_harness: processCpu !== null && processCpu > 0 ? cost.handlerCpuMs / 1000 / processCpu : null,
  }
}

export type { MeasurementCostResult } from '../results/index.ts'
