import { trainModels } from '../../harness/ml/index.ts'
import { installSignalHandlers } from '../signals.ts'

/** `telcobench train`: fit the learned detectors on a training scenario's generated history (docs/ml.md). */
export async function trainCommand(scenario: string, o: { out: string; set: string[] }): Promise<number> {
  const log = (line: string): void => {
    console.error(line)
  }
  installSignalHandlers(new AbortController(), log)
  const { dir, manifest } = await trainModels({ scenarioPath: scenario, outDir: o.out, overrides: o.set, log })
  const n = manifest.detectors.network
  const counts = Object.entries(n.class_counts).map(([k, v]) => `${k} ${String(v)}`).join(', ')
  console.log(`trained ${n.detector} (${n.algorithm}, ${String(n.num_trees)} trees) on ${manifest.scenario} seed ${String(manifest.seed)}: ${String(n.rows)} PM periods (${counts}), fit ${n.fit_s.toFixed(1)} s, ${manifest.training_wall_s.toFixed(1)} s in all`)
  const fraud = manifest.detectors.fraud
  if (fraud !== undefined) {
    const fraudCounts = Object.entries(fraud.class_counts).map(([k, v]) => `${k} ${String(v)}`).join(', ')
    console.log(`trained ${fraud.detector} (${fraud.algorithm}, ${String(fraud.num_trees)} trees) on ${String(fraud.rows)} usage records (${fraudCounts}), fit ${fraud.fit_s.toFixed(1)} s`)
  }
  const f = manifest.detectors.forecast
  if (f === undefined) console.log('no outage forecaster: the training truth has no outage of a forecastable kind (SLEEPING_CELL, CONGESTION, KPI_DEGRADATION)')
  else console.log(`trained ${f.detector} (${f.algorithm}, horizon ${String(f.horizon_periods)} PM periods = ${String(f.horizon_s / 60)} min, threshold ${f.threshold.toFixed(3)}) on ${String(f.rows)} PM periods (${Object.entries(f.class_counts).map(([k, v]) => `${k} ${String(v)}`).join(', ')}; ${String(f.left_out)} inside anomalies left out), fit ${f.fit_s.toFixed(1)} s`)
  console.log(`models: ${dir} (use: telcobench run <scenario> --model ${o.out}; the run's seed must differ from ${String(manifest.seed)})`)
  return 0
}
