import type { CapacityFile, ConfigurationCapacity, UslFamily } from '../../harness/results/index.ts'
import { count, ms } from '../format.ts'
import { mdTable } from '../markdown.ts'

/** The capacity search as Markdown (capacity.md) and as the rows the HTML page shows: the same words and numbers. */

export function capacityRows(c: CapacityFile): string[][] {
  return c.configurations.map((k) => [k.config, k.capacity_eps === null ? 'none' : count(k.capacity_eps), k.limit_eps === null ? 'n/a' : count(k.limit_eps), k.stopped_by, Object.entries(k.p99_at_capacity_ms).map(([s, v]) => `${s} ${ms(v)}`).join(', ') || 'n/a', k.bottleneck?.summary ?? 'n/a'])
}
export const capacityHeader = ['configuration', 'capacity (ev/s)', 'first failing (ev/s)', 'stopped by', 'p99 at capacity (ms)', 'bottleneck']

export function pointRows(c: CapacityFile): string[][] {
  return c.points.map((p) => [p.config, count(p.rate_eps), p.verdict, p.runs.map((r) => `${r.folder ?? 'no folder'}: ${r.outcome}${r.offered_eps === null ? '' : ` at ${count(r.offered_eps)} ev/s`}${r.reasons.length > 0 ? ` (${r.reasons[0] ?? ''})` : ''}`).join('; ')])
}
export const pointHeader = ['configuration', 'rate (ev/s)', 'verdict', 'runs']

export function uslLines(f: UslFamily): string[] {
  const lines = [`${f.family} over ${f.resource}: ${f.points.length} measured point(s).`]
  if (f.fit !== null) {
    const p = f.fit.parameters
    const se = f.fit.stderr
    const pm = (v: number, s: number | undefined, digits: number): string => `${v.toFixed(digits)}${s === undefined ? '' : ` ± ${s.toFixed(digits)}`}`
    lines.push(`λ = ${pm(p.lambda, se?.lambda, 0)} ev/s per unit, σ = ${pm(p.sigma, se?.sigma, 4)}, κ = ${pm(p.kappa, se?.kappa, 5)}; R² ${f.fit.r_squared.toFixed(3)}; peak at ${f.fit.peak_resources === null ? 'none (κ ≈ 0)' : `${f.fit.peak_resources.toFixed(1)} ${f.resource}`}.`)
  }
  if (f.held_out !== null) lines.push(`Held-out check: without ${f.held_out.resources} ${f.resource}, the fit predicts ${count(f.held_out.predicted_eps)} ev/s there; measured ${count(f.held_out.measured_eps)} ev/s (error ${(f.held_out.relative_error * 100).toFixed(1)} %).`)
  for (const c of f.caveats) lines.push(`Caveat: ${c}.`)
  return lines
}

function evidence(k: ConfigurationCapacity): string[] {
  if (k.bottleneck === null) return []
  return [`**${k.config}**: ${k.bottleneck.summary}`, '', ...k.bottleneck.evidence.map((e) => `- ${e}`), '']
}

export function renderCapacityMarkdown(c: CapacityFile): string {
  const lines = [
    `# Capacity: ${c.scenario}`,
    '',
    `${c.capacity_id} · ${c.started_at}${c.finished_at === null ? ' · **not finished** (stopped or still running)' : ''} · runtime ${c.runtime} · ${c.machine.cores} cores, ${c.machine.memory_gib} GiB · load average ${c.machine.load_avg_start.join(' ')} at the start${c.machine.load_avg_end === null ? '' : `, ${c.machine.load_avg_end.join(' ')} at the end`}`,
    '',
    `SLOs: ${c.search.slos.join(', ')}, the lag flat and nothing lost. Each point ${c.search.repeat} run(s) of ${c.search.load_wall_s} s of load; search from ${count(c.search.start_eps)} ev/s, resolution ${(c.search.resolution * 100).toFixed(0)} %.`,
    '',
    '## Answers',
    '',
    ...(c.answers.length === 0 ? ['No `--target` given.'] : c.answers.map((a) => `- ${a.answer}`)),
    '',
    '## Capacity per configuration',
    '',
    ...mdTable(capacityHeader, capacityRows(c)),
    '',
    '## Bottlenecks and their evidence',
    '',
    ...c.configurations.flatMap(evidence),
    '',
    '## Scalability (USL)',
    '',
    ...(c.scalability.length === 0 ? ['No resource knob (cores, partitions) was varied over three or more values, so no USL fit.'] : c.scalability.flatMap((f) => [...uslLines(f), ''])),
    '',
    '## Every point',
    '',
    ...mdTable(pointHeader, pointRows(c)),
    '',
  ]
  return `${lines.join('\n')}\n`
}
