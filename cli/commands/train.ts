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
  const f = manifest.detectors.fraud
  if (f !== undefined) {
    const fraudCounts = Object.entries(f.class_counts).map(([k, v]) => `${k} ${String(v)}`).join(', ')
    console.log(`trained ${f.detector} (${f.algorithm}, ${String(f.num_trees)} trees) on ${String(f.rows)} usage records (${fraudCounts}), fit ${f.fit_s.toFixed(1)} s`)
  }
  console.log(`models: ${dir} (use: telcobench run <scenario> --model ${o.out}; the run's seed must differ from ${String(manifest.seed)})`)
  return 0
}
