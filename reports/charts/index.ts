import type { ReportRun } from '../run-data.ts'
import { accountingChart } from './accounting.ts'
import { availabilityChart } from './availability.ts'
import { backlogChart } from './backlog.ts'
import { billingChart } from './billing.ts'
import { breakdownChart } from './breakdown.ts'
import type { Chart } from './common.ts'
import { detectionChart } from './detection.ts'
import { faultsChart } from './faults.ts'
import { latencyChart } from './latency.ts'
import { resourcesChart } from './resources.ts'
import { spectrumChart } from './spectrum.ts'
import { throughputChart } from './throughput.ts'

export type { Chart } from './common.ts'

/** The report's charts in the order the page shows them (docs/reports.md describes each). */
export const chartBuilders = [throughputChart, latencyChart, breakdownChart, spectrumChart, backlogChart, faultsChart, availabilityChart, detectionChart, billingChart, resourcesChart, accountingChart] as const

/** Every chart of one run, or of several runs overlaid on the same axes. */
export function buildCharts(runs: readonly ReportRun[]): Chart[] {
  return chartBuilders.map((build) => build(runs))
}
