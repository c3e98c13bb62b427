import type { SparkQuery } from '../../generators/index.ts'
import type { DetectionFamily } from '../results/index.ts'
import type { DetectionInput } from './detection.ts'

export type { DetectionFamily } from '../results/index.ts'

/** The query that raises each alert family: `network` the cell (anomaly) alerts, `fraud` the fraud alerts. */
const queryOfFamily: Record<DetectionFamily, SparkQuery> = { anomaly: 'network', fraud: 'fraud' }

/** Alert families whose query the run did not start. */
export function familiesNotRun(queries: readonly SparkQuery[]): DetectionFamily[] {
  return (Object.keys(queryOfFamily) as DetectionFamily[]).filter((family) => !queries.includes(queryOfFamily[family]))
}

/**
 * Leaves the truth and the alerts of families that were not run out of scoring, so their labels do not read
 * as misses (recall 0) and their hard negatives not as spared: such a family is reported as not run instead.
 */
export function scopeDetectionInput(input: DetectionInput, notRun: readonly DetectionFamily[]): DetectionInput {
  const fraudOff = notRun.includes('fraud')
  const anomalyOff = notRun.includes('anomaly')
  return {
    ...input,
    labels: fraudOff ? [] : input.labels,
    anomalies: anomalyOff ? [] : input.anomalies,
    alerts: input.alerts.filter((a) => (a.entityType === 'cell' ? !anomalyOff : !fraudOff)),
  }
}
