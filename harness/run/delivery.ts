import type { Delivery } from '../results/index.ts'
import { defaultFlinkSettings } from '../runtime/flink-job.ts'
import type { RunPlan } from './plan.ts'

/** What the run's engine, trigger and guarantee promise about the outputs, in the words results.json carries. */
export function deliveryOf(plan: Pick<RunPlan, 'engine' | 'trigger' | 'guarantee'>): Delivery {
  const guarantee = plan.guarantee
  if (plan.engine === 'flink') {
    const every = defaultFlinkSettings.checkpointIntervalMs
    return {
      engine: 'flink',
      trigger: 'record-at-a-time',
      interval_ms: null,
      checkpoint_interval_ms: every,
      guarantee,
      statement:
        guarantee === 'exactly-once'
          ? `Flink processes each record as it arrives and checkpoints every ${every} ms; outputs are written in Kafka transactions committed with each checkpoint, so a read_committed reader sees each record once, up to ${every} ms after it was processed.`
          : `Flink processes each record as it arrives and checkpoints every ${every} ms; after a crash it replays from the last checkpoint, so outputs since then may repeat (counted as duplicates).`,
    }
  }
  const t = plan.trigger
  if (t.kind === 'real-time') {
    return {
      engine: 'spark',
      trigger: 'real-time',
      interval_ms: t.intervalMs,
      checkpoint_interval_ms: t.checkpointIntervalMs,
      guarantee: 'at-least-once',
      statement: `Spark real-time mode: the stateless rating-rt query rates each record as it arrives, one long-running task per partition, and checkpoints every ${t.checkpointIntervalMs} ms. It is at-least-once: rated records are not de-duplicated or checked for lateness (readers de-duplicate by id), and a crash replays from the last checkpoint. Bills come from the micro-batch billing query, de-duplicated and exact, ${t.intervalMs === 0 ? 'each batch as soon as the previous one ends' : `every ${t.intervalMs} ms`}.`,
    }
  }
  const batches = t.kind === 'available-now' ? 'in micro-batches over what is in the topics at the start' : t.intervalMs === 0 ? 'in micro-batches, each as soon as the previous one ends' : `in micro-batches every ${t.intervalMs} ms (or as soon as the previous one ends, when it took longer)`
  return {
    engine: 'spark',
    trigger: t.kind,
    interval_ms: t.kind === 'processing-time' ? t.intervalMs : null,
    checkpoint_interval_ms: null,
    guarantee,
    statement:
      guarantee === 'exactly-once'
        ? `Spark processes the input ${batches}; each batch's outputs and its input offsets are committed in one Kafka transaction, so a read_committed reader sees each record once.`
        : `Spark processes the input ${batches}; offsets are committed after each batch's outputs are written, so after a crash the batches since the last commit are processed again and their outputs may repeat (counted as duplicates).`,
  }
}
