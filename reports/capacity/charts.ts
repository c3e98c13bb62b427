import type { CapacityFile } from '../../harness/results/index.ts'
import { layeredSpec, type Chart } from '../charts/common.ts'

/** The first SLO's stream and limit: the one the rate-vs-latency chart draws its line for. */
function firstSlo(c: CapacityFile): { stream: string; limitMs: number } | null {
  const m = /^([a-z_]+)\s+p[\d.]+\s*<=?\s*([\d.]+)/.exec(c.search.slos[0] ?? '')
  return m === null ? null : { stream: m[1] ?? '', limitMs: Number(m[2]) }
}

/** Every run's offered rate against its p99 of the first SLO's stream, one colour per configuration, the SLO as a rule. */
export function rateLatencyChart(c: CapacityFile): Chart | null {
  const slo = firstSlo(c)
  if (slo === null) return null
  const values = c.points.flatMap((p) => p.runs.flatMap((r) => {
    const p99 = r.p99_ms[slo.stream]
    return r.offered_eps === null || p99 === null || p99 === undefined ? [] : [{ configuration: p.config, offered: Math.round(r.offered_eps), p99, verdict: p.verdict }]
  }))
  return {
    name: 'rate-latency',
    title: `Offered rate vs ${slo.stream} p99`,
    caption: `Every run of the search: its offered rate (events per wall second) and its ${slo.stream} p99 latency, one colour per configuration, shape by the point's verdict. The dashed line is the SLO (${c.search.slos[0] ?? ''}).`,
    spec: layeredSpec(`Offered rate vs ${slo.stream} p99`, [
        {
          data: { values },
          mark: { type: 'line', point: false, opacity: 0.5 },
          encoding: { x: { field: 'offered', type: 'quantitative', scale: { type: 'log' }, title: 'offered rate (ev/s, log)' }, y: { field: 'p99', type: 'quantitative', scale: { type: 'log' }, title: `${slo.stream} p99 (ms, log)` }, color: { field: 'configuration', type: 'nominal', title: 'configuration' } },
        },
        {
          data: { values },
          mark: { type: 'point', filled: true, size: 60 },
          encoding: { x: { field: 'offered', type: 'quantitative' }, y: { field: 'p99', type: 'quantitative' }, color: { field: 'configuration', type: 'nominal' }, shape: { field: 'verdict', type: 'nominal', title: 'point verdict' } },
        },
        { data: { values: [{ limit: slo.limitMs }] }, mark: { type: 'rule', strokeDash: [6, 4], color: '#cf222e' }, encoding: { y: { field: 'limit', type: 'quantitative' } } },
      ]),
  }
}

/** Per USL family: measured capacities as points and the fitted curve as a line. */
export function uslChart(c: CapacityFile): Chart | null {
  const fitted = c.scalability.filter((f) => f.points.length > 0)
  if (fitted.length === 0) return null
  const measured = fitted.flatMap((f) => f.points.map((p) => ({ family: `${f.family} · ${f.resource}`, resources: p.resources, capacity: p.capacity_eps })))
  const curve = fitted.flatMap((f) => (f.fit?.curve ?? []).map((p) => ({ family: `${f.family} · ${f.resource}`, resources: p.resources, capacity: p.capacity_eps })))
  return {
    name: 'usl',
    title: 'Capacity vs resources (Universal Scalability Law)',
    caption: 'Measured capacities (points) and the USL curve fitted to them (line), per family of configurations that differ only in one resource. The curve beyond the largest measured point is a prediction.',
    spec: layeredSpec('Capacity vs resources (Universal Scalability Law)', [
        { data: { values: curve }, mark: { type: 'line' }, encoding: { x: { field: 'resources', type: 'quantitative', title: 'resources' }, y: { field: 'capacity', type: 'quantitative', title: 'capacity (ev/s)' }, color: { field: 'family', type: 'nominal', title: 'family' } } },
        { data: { values: measured }, mark: { type: 'point', filled: true, size: 70 }, encoding: { x: { field: 'resources', type: 'quantitative' }, y: { field: 'capacity', type: 'quantitative' }, color: { field: 'family', type: 'nominal' } } },
      ]),
  }
}
