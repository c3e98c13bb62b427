import { formatEventsPerSecond, formatTimeCompression } from '../../generators/index.ts'
import type { MachineLoadBefore } from '../results/index.ts'
import type { RunPlan } from './plan.ts'

/** The plan block printed before a run starts. */
export function printPlan(plan: RunPlan, runDir: string, o: { scenarioPath: string; runtime: string; bootstrap?: string[] }, log: (line: string) => void): void {
  log(`telcobench run ${o.scenarioPath}`)
  const pace = plan.targetEps === null ? '' : ` (from load.rate ${formatEventsPerSecond(plan.targetEps)}/s)`
  log(`  scenario    ${plan.name} (seed ${plan.seed}) · ${Number(plan.durationS.toFixed(plan.durationS >= 10 ? 0 : 1))} s of load · ≈ ${formatEventsPerSecond(plan.offeredEps)} ev/s offered (estimate) · ×${formatTimeCompression(plan.timeCompression)} time compression${pace}`)
  const spark = plan.spark.mode === 'standalone' ? ` on a standalone cluster (${plan.spark.workers} workers × ${plan.spark.executorCores} core)` : ''
  log(`  pipeline    ${plan.engine === 'flink' ? 'flink (checkpoints every 1 s)' : `spark ${plan.trigger.kind}${spark}`} · queries ${plan.queries.join(', ')} · ${plan.guarantee} · ${plan.partitions} partitions · batch baseline ${plan.batchBaseline ? 'on' : 'off'}`)
  const c = plan.cluster
  const cluster = c.brokers > 1 || c.replicationFactor > 1 ? ` · ${o.runtime === 'local' ? `${c.brokers} brokers, ` : ''}replication ${c.replicationFactor}, min.insync.replicas ${c.minInsyncReplicas}` : ''
  if (plan.models !== null) log(`  models      ${[plan.models.manifest.detectors.network.detector, plan.models.manifest.detectors.fraud?.detector].filter((d) => d !== undefined).join(', ')} from ${plan.models.dir} (trained on ${plan.models.manifest.scenario} seed ${plan.models.manifest.seed}) beside the rules`)
  log(`  runtime     ${o.runtime}${o.bootstrap !== undefined ? ` (${o.bootstrap.join(',')})` : ''}${cluster}`)
  log(`  faults      ${plan.faults.length === 0 ? 'none' : plan.faults.map((f) => `${f.atS}s ${f.kind}`).join(' · ')}`)
  const thresholds = Object.entries(plan.thresholds).flatMap(([m, list]) => list.map((t) => `${m} ${t.expr}${t.windowS === null ? '' : ` in every ${t.windowS} s window`}${t.abortOnFail ? ' (abortOnFail)' : ''}`))
  log(`  thresholds  ${thresholds.length === 0 ? 'none' : thresholds.join(' · ')}`)
  log(`  output      ${runDir}`)
}

/** The plan's last line: how loaded the machine was just before the run. */
export function machineLine(before: MachineLoadBefore, cores: number): string {
  const l = before.load_avg
  const cpu = before.other_cpu_cores === null || before.steal_ratio === null ? 'no /proc/stat' : `other processes ${before.other_cpu_cores.toFixed(2)} cores · steal ${(before.steal_ratio * 100).toFixed(1)} %`
  return `  machine     ${cores} cores · load average ${l.one.toFixed(2)} ${l.five.toFixed(2)} ${l.fifteen.toFixed(2)} · ${cpu} (the second before the run)`
}
