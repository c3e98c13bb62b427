import type { z } from 'zod'
import type {
  accountingSchema,
  availabilitySchema,
  batchResultsSchema,
  billingSchema,
  comparisonRowSchema,
  detectionSummarySchema,
  engineQuerySchema,
  latencyBreakdownSchema,
  deliverySchema,
  faultRecordSchema,
  hardNegativeSchema,
  integrityCountsSchema,
  kindDetectionSchema,
  modelsResultSchema,
  forecastScoreSchema,
  latencySummarySchema,
  machineBusySchema,
  machineLoadBeforeSchema,
  machineLoadDuringSchema,
  machineLoadSchema,
  manifestSchema,
  measurementCostSchema,
  producerSchema,
  recoverySchema,
  resultsSchema,
  setMetricSchema,
  setRunSchema,
  setSchema,
  medianIntervalSchema,
  steadyStateSchema,
  servingSchema,
  storeBillingSchema,
  thresholdResultSchema,
  timelinePointSchema,
  timelineResourcePointSchema,
  timelineSchema,
  unplannedExitSchema,
} from './schema.ts'
import type { bottleneckSchema, capacityPointSchema, capacityRunSchema, capacitySchema, configurationCapacitySchema, uslFamilySchema } from './capacity-schema.ts'

/** results.json, every key described in docs/results.md. */
export type Results = z.output<typeof resultsSchema>
/** manifest.json: the environment and every setting of a run. */
export type Manifest = z.output<typeof manifestSchema>
/** timeline.json: the run per second. */
export type Timeline = z.output<typeof timelineSchema>
export type TimelinePoint = z.output<typeof timelinePointSchema>
export type TimelineResourcePoint = z.output<typeof timelineResourcePointSchema>
export type Producer = z.output<typeof producerSchema>
/** Percentiles of a stream with values; a stream without values is `null` where a summary stands. */
export type LatencySummary = NonNullable<z.output<typeof latencySummarySchema>>
export type Accounting = z.output<typeof accountingSchema>
export type BillingScore = z.output<typeof billingSchema>
export type StoreBillingScore = z.output<typeof storeBillingSchema>
export type ServingResults = z.output<typeof servingSchema>
export type KindDetection = z.output<typeof kindDetectionSchema>
export type DetectionFamily = KindDetection['family']
export type HardNegativeScore = z.output<typeof hardNegativeSchema>
export type ModelsResult = z.output<typeof modelsResultSchema>
export type ForecastScoreResult = z.output<typeof forecastScoreSchema>
export type DetectionSummary = z.output<typeof detectionSummarySchema>
export type IntegrityCounts = z.output<typeof integrityCountsSchema>
export type Recovery = z.output<typeof recoverySchema>
export type FaultRecord = z.output<typeof faultRecordSchema>
export type Availability = z.output<typeof availabilitySchema>
export type UnplannedExit = z.output<typeof unplannedExitSchema>
export type SteadyState = z.output<typeof steadyStateSchema>
export type MeasurementCostResult = z.output<typeof measurementCostSchema>
export type EngineQuerySummary = z.output<typeof engineQuerySchema>
export type LatencyBreakdown = z.output<typeof latencyBreakdownSchema>
export type Delivery = z.output<typeof deliverySchema>
export type ComparisonRow = z.output<typeof comparisonRowSchema>
export type BatchResults = z.output<typeof batchResultsSchema>
export type ThresholdResult = z.output<typeof thresholdResultSchema>
export type MachineBusy = z.output<typeof machineBusySchema>
export type MachineLoad = z.output<typeof machineLoadSchema>
export type MachineLoadBefore = z.output<typeof machineLoadBeforeSchema>
export type MachineLoadDuring = z.output<typeof machineLoadDuringSchema>
/** set.json: a set of repeated runs of one scenario with statistics over them. */
export type SetFile = z.output<typeof setSchema>
export type SetRun = z.output<typeof setRunSchema>
export type SetMetric = z.output<typeof setMetricSchema>
export type MedianInterval = z.output<typeof medianIntervalSchema>
export type VerdictReason = Results['verdict']['reasons'][number]
export type RunState = Results['state']
/** capacity.json: a capacity search over a grid of configurations (harness/results/capacity-schema.ts). */
export type CapacityFile = z.output<typeof capacitySchema>
export type CapacityRun = z.output<typeof capacityRunSchema>
export type CapacityPoint = z.output<typeof capacityPointSchema>
export type ConfigurationCapacity = z.output<typeof configurationCapacitySchema>
export type Bottleneck = z.output<typeof bottleneckSchema>
export type UslFamily = z.output<typeof uslFamilySchema>
