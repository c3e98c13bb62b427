import type { TimelineResourcePoint } from '../results/index.ts'
import type { ProcessSample } from './proc.ts'

/**
 * Places each process's /proc samples on the run's per-second timeline: the window a sample falls in (seconds
 * after load start), the CPU cores it used since the previous sample (Δ CPU seconds / Δ wall seconds) and its
 * RSS. Samples taken before the load started are left out. The first sample of a process, and the first after
 * its pid changed (a restarted broker or Spark driver), has no predecessor to take a difference from: its
 * `cpu_cores` is null. When two samples fall in one window (timer jitter), the later one stands.
 */
export function resourceSeries(samples: Record<string, readonly ProcessSample[]>, originNs: bigint): Record<string, TimelineResourcePoint[]> {
  const series: Record<string, TimelineResourcePoint[]> = {}
  for (const [name, list] of Object.entries(samples)) {
    const byWindow = new Map<number, TimelineResourcePoint>()
    let previous: ProcessSample | undefined
    for (const sample of list) {
      const sameProcess = previous !== undefined && previous.pid === sample.pid
      const wallS = previous === undefined ? 0 : Number(sample.atNs - previous.atNs) / 1e9
      const cpuCores = sameProcess && previous !== undefined && wallS > 0 ? Math.max(0, (sample.cpuSeconds - previous.cpuSeconds) / wallS) : null
      previous = sample
      if (sample.atNs < originNs) continue
      const t = Number((sample.atNs - originNs) / 1_000_000_000n)
      byWindow.set(t, { t_s: t, cpu_cores: cpuCores, rss_bytes: sample.rssBytes })
    }
    if (byWindow.size > 0) series[name] = [...byWindow.values()].sort((a, b) => a.t_s - b.t_s)
  }
  return series
}
