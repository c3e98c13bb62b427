import { sampleProcess, type ProcessSample } from '../measure/proc.ts'

export interface ResourceSampler {
  stop(): Record<string, ProcessSample[]>
}

/** Samples CPU and RSS of the harness, the broker and the engine's driver once a second. */
export function startResourceSampler(pids: () => Record<string, number | null>): ResourceSampler {
  const series: Record<string, ProcessSample[]> = { harness: [], broker: [], spark: [] }
  const tick = (): void => {
    for (const [name, pid] of Object.entries(pids())) {
      if (pid === null) continue
      const sample = sampleProcess(pid)
      if (sample !== null) (series[name] ??= []).push(sample)
    }
  }
  tick()
  const timer = setInterval(tick, 1000)
  return {
    stop: () => {
      clearInterval(timer)
      tick()
      return series
    },
  }
}
