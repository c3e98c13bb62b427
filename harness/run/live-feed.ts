import type { Histogram } from 'hdr-histogram-js'
import type { FaultRecord, LiveSnapshot } from '../results/index.ts'
import { summarize, type LatencyRecorder } from '../measure/histograms.ts'
import { buildTimeline, secondOf } from '../measure/timeline.ts'
import type { AlertRecord, OutputCollector } from './collector.ts'

/** What the live feed reads from a running session (RunSession satisfies it). */
export interface LiveSource {
  readonly runId: string
  readonly scenario: string
  readonly loadS: number
  readonly warmupS: number
  readonly currency: string
  readonly runStartNs: bigint
  phase: LiveSnapshot['phase']
  readonly collectorOrNull: OutputCollector | null
  sent(): number
  latencyStreams(): readonly LatencyRecorder[]
  faults(): readonly FaultRecord[]
  /** The store's bills of these subscribers; null without a store. */
  storeBills(subscribers: readonly string[]): Promise<LiveSnapshot['bills']>
}

/** What publishing the dashboard cost the harness (docs/serving.md "Dashboard cost"). */
export interface LiveFeedCost {
  ticks: number
  /** Process CPU time (all threads) spent building and publishing snapshots, on the event loop. */
  cpu_ms: number
  /** Wall time of the longest tick: the most it held up anything else on the event loop (the output consumer). */
  max_tick_ms: number
}

/** Subscribers whose bills the dashboard lists. */
export const topBillsShown = 10
/** Latest alerts the dashboard lists. */
const recentAlertsShown = 12

const networkKinds = new Set(['SLEEPING_CELL', 'CONGESTION', 'KPI_DEGRADATION'])
const familyOf = (kind: string): 'fraud' | 'network' => (networkKinds.has(kind) ? 'network' : 'fraud')

function percentiles(h: Histogram | undefined): { p50_ms: number; p99_ms: number; count: number } | null {
  if (h === undefined) return null
  const s = summarize(h)
  return s === null ? null : { p50_ms: s.p50, p99_ms: s.p99, count: s.count }
}

/** The `topBillsShown` subscribers with the highest running total on the bills topic: O(subscribers), no sort of all. */
export function topSubscribers(bills: ReadonlyMap<string, { chargeSubunits: number }>, n: number): string[] {
  const top: { subscriber: string; charge: number }[] = []
  for (const [subscriber, bill] of bills) {
    if (top.length < n) {
      top.push({ subscriber, charge: bill.chargeSubunits })
      top.sort((a, b) => b.charge - a.charge)
    } else if (bill.chargeSubunits > (top[n - 1]?.charge ?? Infinity)) {
      top[n - 1] = { subscriber, charge: bill.chargeSubunits }
      top.sort((a, b) => b.charge - a.charge)
    }
  }
  return top.map((t) => t.subscriber)
}

/** The alert views of the dashboard: counts by kind, the latest, and the cells with network alerts. */
export function alertViews(alerts: readonly AlertRecord[], runStartNs: bigint): LiveSnapshot['alerts'] {
  const byKind = new Map<string, number>()
  const cells = new Map<string, Set<string>>()
  for (const a of alerts) {
    byKind.set(a.kind, (byKind.get(a.kind) ?? 0) + 1)
    if (a.entityType === 'cell') (cells.get(a.entity) ?? cells.set(a.entity, new Set()).get(a.entity))?.add(a.kind)
  }
  return {
    by_kind: [...byKind].map(([kind, count]) => ({ kind, family: familyOf(kind), count })).sort((a, b) => b.count - a.count || a.kind.localeCompare(b.kind)),
    recent: alerts
      .slice(-recentAlertsShown)
      .reverse()
      .map((a) => ({ kind: a.kind, family: familyOf(a.kind), entity: a.entity, seen_s: Number(BigInt(a.seenNs) - runStartNs) / 1e9 })),
    cells: [...cells].map(([cell, kinds]) => ({ cell, kinds: [...kinds].sort() })).sort((a, b) => a.cell.localeCompare(b.cell)),
  }
}

/**
 * Builds a LiveSnapshot once a second and hands it to `publish`. Everything it reads is already measured; the
 * only I/O is one read of `topBillsShown` bills from the store, awaited off the event loop. Its CPU time and
 * its longest tick are kept, so the run can say what the dashboard cost.
 */
export class LiveFeed {
  readonly cost: LiveFeedCost = { ticks: 0, cpu_ms: 0, max_tick_ms: 0 }
  private readonly source: LiveSource
  private readonly publish: (snapshot: LiveSnapshot) => void
  private timer: NodeJS.Timeout | null = null
  private bills: LiveSnapshot['bills'] = null
  private billsReading = false

  constructor(source: LiveSource, publish: (snapshot: LiveSnapshot) => void) {
    this.source = source
    this.publish = publish
  }

  start(intervalMs = 1000): void {
    this.timer = setInterval(() => {
      this.tick()
    }, intervalMs)
  }

  private refreshBills(subscribers: string[]): void {
    if (this.billsReading) return
    this.billsReading = true
    void this.source
      .storeBills(subscribers)
      .then((bills) => {
        this.bills = bills
      })
      .catch(() => undefined)
      .finally(() => {
        this.billsReading = false
      })
  }

  /** One snapshot, published now (also the last one, with phase `done`). */
  tick(): void {
    const began = performance.now()
    const cpuBefore = process.cpuUsage()
    const s = this.source
    const c = s.collectorOrNull
    const nowNs = process.hrtime.bigint()
    const t = Number(nowNs - s.runStartNs) / 1e9
    const lastSecond = c === null || s.runStartNs === 0n ? -1 : secondOf(nowNs, s.runStartNs)
    const points = c === null || lastSecond < 0 ? [] : buildTimeline(c.timeline, c.latency.rated.intervals, lastSecond)
    const streams = s.latencyStreams()
    const lastComplete = lastSecond - 1
    if (c !== null) this.refreshBills(topSubscribers(c.bills, topBillsShown))
    const snapshot: LiveSnapshot = {
      run_id: s.runId,
      scenario: s.scenario,
      t_s: s.runStartNs === 0n ? 0 : t,
      load_s: s.loadS,
      warmup_s: s.warmupS,
      phase: s.phase,
      points,
      latency_last_s: Object.fromEntries(streams.map((r) => [r.name, percentiles(r.intervals.get(lastComplete))])),
      latency_run: Object.fromEntries(streams.map((r) => [r.name, percentiles(r.whole)])),
      totals: {
        sent: s.sent(),
        rated: c?.distinctRated ?? 0,
        dlq: c?.dlq.length ?? 0,
        alerts: c?.alerts.length ?? 0,
        backlog: c === null ? 0 : c.timeline.acked.total - c.accounted,
      },
      faults: s.faults().map((f) => ({ name: f.name, kind: f.kind, at_s: f.at_s, injected_at_s: f.injected_at_s, lifted_at_s: f.lifted_at_s })),
      alerts: c === null ? { by_kind: [], recent: [], cells: [] } : alertViews(c.alerts, s.runStartNs),
      bills: this.bills,
      currency: s.currency,
    }
    this.publish(snapshot)
    const cpu = process.cpuUsage(cpuBefore)
    this.cost.ticks++
    this.cost.cpu_ms += (cpu.user + cpu.system) / 1000
    this.cost.max_tick_ms = Math.max(this.cost.max_tick_ms, performance.now() - began)
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer)
    this.timer = null
  }
}
