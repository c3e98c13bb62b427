import { availabilityBySecond } from '../../harness/results/index.ts'
import type { ReportRun } from '../run-data.ts'
import { chartConfig, chartWidth, domainFromZero, faultLayers, notice, panelTitle, schemaUrl, several, wallTimeTitle, warmupLayers, type Chart, type Layer } from './common.ts'

/** The rows of the top panel, top to bottom. */
const states = [
  ['produceFailed', 'produce failed'],
  ['produceStalled', 'produce stalled'],
  ['noOutput', 'no output'],
] as const

const stripHeight = 90
const replicationHeight = 140
const noticeHeight = 50

/**
 * Chart 6: availability over time. Top: each second in which a produce attempt failed, produce stalled or no output
 * came (the definitions of results.json `availability`). Bottom: the partitions of the run's topics that were
 * under-replicated, sampled each second on a replicated cluster.
 */
export function availabilityChart(runs: readonly ReportRun[]): Chart {
  const row = (r: ReportRun, what: string): string => (several(runs) ? `${what} · ${r.label}` : what)
  const seconds = runs.flatMap((r) => {
    const points = r.timeline?.points ?? []
    const byT = availabilityBySecond((t) => {
      const p = points[t]
      return { offered: p?.offered ?? 0, acked: p?.acked ?? 0, accounted: p?.accounted ?? 0, produceFailed: p?.produce_failed ?? 0 }
    }, points.length)
    return byT.flatMap((s, t) => states.filter(([key]) => s[key]).map(([, what]) => ({ run: r.label, state: row(r, what), what, from: t, to: t + 1 })))
  })
  const rows = runs.flatMap((r) => states.map(([, what]) => row(r, what)))
  const replication = runs.flatMap((r) => (r.timeline?.points ?? []).flatMap((p) => (p.under_replicated === null ? [] : [{ run: r.label, t: p.t_s, partitions: p.under_replicated }])))
  // Unplanned deaths are marked on the backlog chart; their labels need a taller panel than these.
  const bands = [...warmupLayers(runs), ...faultLayers(runs)]
  const stripLayers: Layer[] = [
    ...bands,
    {
      data: { values: seconds },
      mark: { type: 'rect' },
      encoding: {
        x: { field: 'from', type: 'quantitative', title: wallTimeTitle },
        x2: { field: 'to' },
        y: { field: 'state', type: 'nominal', title: null, sort: rows, scale: { domain: rows } },
        color: { field: 'what', type: 'nominal', title: null, scale: { domain: states.map(([, w]) => w), range: ['#e15759', '#f28e2b', '#4e79a7'] } },
      },
    },
  ]
  const replicationLayers: Layer[] =
    replication.length === 0
      ? notice('not sampled: the run had one broker or replication factor 1', chartWidth, noticeHeight)
      : [
          ...bands,
          {
            data: { values: replication },
            mark: { type: 'line', interpolate: 'step-after', strokeWidth: 1.5, color: '#b07aa1' },
            encoding: {
              x: { field: 't', type: 'quantitative', title: wallTimeTitle },
              y: { field: 'partitions', type: 'quantitative', title: 'partitions (count)', scale: domainFromZero(replication.map((p) => p.partitions), 1), axis: { tickMinStep: 1, format: 'd' } },
              ...(several(runs) ? { strokeDash: { field: 'run', type: 'nominal', title: 'run' } } : {}),
              detail: { field: 'run', type: 'nominal' },
            },
          },
        ]
  return {
    name: 'availability',
    title: 'Availability and replication over time',
    caption:
      'Top: each wall second in which a produce attempt failed, in which records sent were unacknowledged and none was acknowledged (produce stalled), and in which acknowledged records were unaccounted and none came out (no output; a micro-batch engine has such seconds between batches in normal running too). Bottom: partitions of the run\'s topics with fewer in-sync replicas than replicas, sampled each second on a replicated cluster. Grey: warm-up; orange: fault windows.',
    spec: {
      $schema: schemaUrl,
      title: 'Availability: produce and output per second, under-replicated partitions',
      config: chartConfig,
      vconcat: [
        { width: chartWidth, height: stripHeight, title: panelTitle('seconds without service (wall s)'), layer: stripLayers },
        { width: chartWidth, height: replication.length === 0 ? noticeHeight : replicationHeight, title: panelTitle('under-replicated partitions'), layer: replicationLayers },
      ],
      resolve: { scale: { x: 'shared' } },
    },
  }
}
