import { sampleMachine, type SamplerTick } from '../measure/machine-load.ts'
import { sampleProcess, type ProcessSample } from '../measure/proc.ts'

/** What the sampler collected: each process's series, and every tick with the machine read beside the processes. */
export interface ResourceSamples {
  processes: Record<string, ProcessSample[]>
  ticks: SamplerTick[]
}

export interface ResourceSampler {
  stop(): ResourceSamples
}

/** Samples CPU and RSS of the harness, the broker and the engine's driver, and the machine's load, once a second. */
export function startResourceSampler(pids: () => Record<string, number | null>): ResourceSampler {
  const series: Record<string, ProcessSample[]> = { harness: [], broker: [] }
  const ticks: SamplerTick[] = []
  const tick = (): void => {
    const processes: Record<string, ProcessSample> = {}
    for (const [name, pid] of Object.entries(pids())) {
      if (pid === null) continue
      const sample = sampleProcess(pid)
      if (sample === null) continue
      ;(series[name] ??= []).push(sample)
      processes[name] = sample
    }
    ticks.push({ atNs: process.hrtime.bigint(), machine: sampleMachine(), processes })
  }
  tick()
  const timer = setInterval(tick, 1000)
  let stopped: ResourceSamples | null = null
  return {
    stop: () => {
      if (stopped !== null) return stopped
      clearInterval(timer)
      tick()
      stopped = { processes: series, ticks }
      return stopped
    },
  }
}
