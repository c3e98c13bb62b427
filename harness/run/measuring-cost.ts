import type { ProcessSample } from '../measure/proc.ts'
import type { MeasuringCost } from './collector.ts'

/** results.json `measurement_cost`: what the measuring consumer took, apart from the whole harness process. */
export interface MeasurementCostResult {
  /** Output batches and records the collector handled. */
  batches: number
  records: number
  /** Wall time inside the collector's batch handler (parse, count, record latency), seconds; on a busy machine it includes time the thread waited for a core. */
  consumer_handler_s: number
  /** Process CPU (all threads) accrued while the handler ran, seconds. */
  consumer_handler_cpu_s: number
  /** Handler CPU per output record, µs. */
  per_record_us: number | null
  /** CPU of the whole harness process (generator, producer, consumer, timers) over the same run, seconds; null without /proc. */
  harness_process_cpu_s: number | null
  /** consumer_handler_cpu_s / harness_process_cpu_s. */
  consumer_share_of_harness: number | null
}

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
