import { runCapacity } from '../../harness/capacity/index.ts'
import { ExitCode, TelcobenchError } from '../../harness/errors.ts'
import type { CapacityCliOptions } from '../program.ts'
import { installSignalHandlers } from '../signals.ts'
import { sharedRunOptions } from './run.ts'

/**
 * `telcobench capacity`: runs the search, rewrites capacity.md/.html after every point, prints the capacity per
 * configuration and the answers. Exit 0 when the search finished (whatever the capacities), 130 when interrupted.
 */
export async function capacityCommand(scenarioPath: string, o: CapacityCliOptions): Promise<number> {
  const controller = new AbortController()
  const log = (line: string): void => {
    console.error(line)
  }
  if (o.runtime !== 'external' && (o.bootstrap !== undefined || o.sparkMaster !== undefined || o.sparkSubmit !== undefined)) {
    throw new TelcobenchError('TB_USAGE', '--bootstrap, --spark-master and --spark-submit only apply to --runtime external', { fix: 'add --runtime external, or drop those flags' })
  }
  installSignalHandlers(controller, log)
  const { writeCapacityReport } = await import('../../reports/index.ts')
  const { dir, capacity } = await runCapacity({
    scenarioPath,
    slos: o.slo,
    vary: o.vary,
    targets: o.target,
    ...(o.repeat !== undefined ? { repeat: o.repeat } : {}),
    ...(o.startRate !== undefined ? { startEps: o.startRate } : {}),
    ...(o.maxRate !== undefined ? { maxEps: o.maxRate } : {}),
    ...(o.resolution !== undefined ? { resolution: o.resolution } : {}),
    ...(o.load !== undefined ? { loadS: o.load } : {}),
    run: sharedRunOptions(o, controller.signal, log),
    onWritten: async (folder) => {
      await writeCapacityReport(folder)
    },
  })
  for (const k of capacity.configurations) console.log(`${k.config}: ${k.capacity_eps === null ? 'no rate held' : `capacity ${k.capacity_eps} ev/s`} (stopped by ${k.stopped_by}${k.bottleneck === null ? '' : `; bottleneck: ${k.bottleneck.summary}`})`)
  for (const a of capacity.answers) console.log(a.answer)
  console.log(`capacity: ${dir}/ (capacity.json, capacity.md, capacity.html, one folder per configuration)`)
  return controller.signal.aborted ? ExitCode.interrupted : ExitCode.passed
}
