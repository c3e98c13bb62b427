import { compileRater, type CompiledRater } from '../rating/rater.ts'
import { Sfc32, hash3 } from '../random/prng.ts'
import type { ResolvedScenario } from '../scenario/resolved.ts'
import { identityText } from './records.ts'
import {
  FOREIGN_PLMN,
  ecgiFor,
  imeiFor,
  imsiFor,
  msisdnFor,
  tacPool,
} from '../identity/identities.ts'

export { LANES } from './behaviour.ts'

/** Subscriber segments. */
export const Segment = { prepaid: 0, postpaid: 1, business: 2, m2m: 3 } as const
/** Roles that change a subscriber's normal traffic. */
export const Role = { normal: 0, silent: 1, heavyInternational: 2 } as const

/** A cell of the topology. */
export interface CellInfo {
  ecgi: string
  siteId: string
  site: number
}

/** An anomaly window on one cell, in simulated ms offsets. */
export interface AnomalyWindow {
  name: string
  kind: 'SLEEPING_CELL' | 'CONGESTION' | 'KPI_DEGRADATION' | 'ALARM_STORM'
  start: number
  end: number
  severity: number
  alarmsPerCell: number
  /** Where its precursor begins (simulated ms offset), or null when the anomaly gives no warning. */
  precursorStart: number | null
}

/** A flash crowd in simulated ms offsets; `extra` is the added share of network load it brings. */
export interface FlashWindow {
  start: number
  end: number
  firstCell: number
  cells: number
  extra: number
}

/** Everything derived from a scenario once, shared read-only by all lanes. */
export class Model {
  readonly s: ResolvedScenario
  readonly seed: number
  readonly startMs: number
  readonly endT: number
  readonly n: number
  readonly runTag: string
  readonly rater: CompiledRater
  readonly cells: CellInfo[]
  readonly cellsPerSite: number
  readonly tacs: string[]
  readonly segment: Uint8Array
  readonly inboundRoamer: Uint8Array
  readonly outboundRoamer: Uint8Array
  readonly role: Uint8Array
  readonly voiceMult: Float64Array
  readonly dataMult: Float64Array
  readonly flatMult: Float64Array
  readonly flash: FlashWindow[]
  readonly flashBoundaries: number[]
  readonly cellAnomalies: (AnomalyWindow[] | undefined)[]
  /** Subscriber → its SIM swap: from offset `at` the subscriber uses identity index `to` (≥ n). */
  readonly swaps = new Map<number, { at: number; to: number }>()
  /** SIM-box SIM → the box's shared IMEI and fixed cell. */
  readonly boxOf = new Map<number, { imei: string; cell: number }>()
  readonly fleetTacs: string[]
  readonly utcOffsetMs: number
  private identities: number
  // Dense arrays ('' = not built yet): sparse writes would turn them into slow dictionary-mode arrays.
  private imsis: string[]
  private imeis: string[]
  private readonly msisdns: string[]
  private identityJsons: string[]

  constructor(s: ResolvedScenario) {
    this.s = s
    this.seed = s.seed
    this.startMs = s.startTimeMs
    this.endT = s.durationMs
    this.n = s.population.subscribers
    this.identities = this.n
    this.imsis = new Array<string>(this.n).fill('')
    this.imeis = new Array<string>(this.n).fill('')
    this.msisdns = new Array<string>(this.n).fill('')
    this.identityJsons = new Array<string>(this.n).fill('')
    this.runTag = s.name.split('-').map((w) => w[0] ?? '').join('') + s.seed.toString(36)
    this.rater = compileRater(s.ratingSpec)
    this.utcOffsetMs = s.ratingSpec.utcOffsetMinutes * 60_000
    const t = s.topology
    this.cellsPerSite = t.sectorsPerSite * t.carriersPerSector
    this.cells = []
    for (let site = 0; site < t.sites; site++) {
      const enb = t.firstEnbId + site
      for (let sector = 0; sector < t.sectorsPerSite; sector++) {
        for (let carrier = 0; carrier < t.carriersPerSector; carrier++) {
          this.cells.push({ ecgi: ecgiFor(enb, sector * 16 + carrier), siteId: `site-${enb}`, site })
        }
      }
    }
    this.tacs = tacPool(s.seed, 24)
    this.fleetTacs = Array.from({ length: s.hardNegatives.m2mFleets.count }, (_, i) => `35${String(100000 + ((hash3(s.seed, i, 91) % 899_999))).slice(0, 6)}`)

    const p = s.population
    this.segment = new Uint8Array(this.n)
    this.inboundRoamer = new Uint8Array(this.n)
    this.outboundRoamer = new Uint8Array(this.n)
    this.role = new Uint8Array(this.n)
    for (let j = 0; j < this.n; j++) {
      const u = hash3(s.seed, j, 1) / 4294967296
      const v = hash3(s.seed, j, 2) / 4294967296
      const w = hash3(s.seed, j, 3) / 4294967296
      if (u < p.businessPbxShare) this.segment[j] = Segment.business
      else if (u < p.businessPbxShare + p.m2mShare) this.segment[j] = Segment.m2m
      else {
        this.segment[j] = v < p.prepaidShare ? Segment.prepaid : Segment.postpaid
        if (w < p.inboundRoamerShare) this.inboundRoamer[j] = 1
        else if (w < p.inboundRoamerShare + p.outboundRoamerShare) this.outboundRoamer[j] = 1
      }
    }

    this.voiceMult = Float64Array.from(s.traffic.voiceProfile, (x) => x * 24)
    this.dataMult = Float64Array.from(s.traffic.dataProfile, (x) => x * 24)
    this.flatMult = new Float64Array(24).fill(1)
    const cellCount = this.cells.length
    this.flash = Object.values(s.traffic.flashCrowds).map((f) => ({
      start: f.startTime,
      end: Math.min(this.endT, f.startTime + f.duration),
      firstCell: f.firstCell,
      cells: f.cells,
      extra: ((f.multiplier - 1) * f.cells) / cellCount,
    }))
    this.flashBoundaries = [...new Set(this.flash.flatMap((f) => [f.start, f.end]))].sort((a, b) => a - b)
    this.cellAnomalies = new Array<AnomalyWindow[] | undefined>(cellCount)
    for (const [name, a] of Object.entries(s.anomalies)) {
      const precursorStart = a.precursor === undefined ? null : a.startTime - a.precursor
      const w: AnomalyWindow = { name, kind: a.kind, start: a.startTime, end: Math.min(this.endT, a.startTime + a.duration), severity: a.severity, alarmsPerCell: a.alarmsPerCell, precursorStart }
      for (const c of a.cells) (this.cellAnomalies[c] ??= []).push(w)
    }
  }

  /** Reserves a new identity index (a swapped-in SIM) beyond the provisioned population. */
  newIdentity(): number {
    this.imsis.push('')
    this.imeis.push('')
    this.identityJsons.push('')
    return this.identities++
  }

  /** Number of identity indexes in use (population + swapped-in SIMs). */
  get identityCount(): number {
    return this.identities
  }

  /** IMSI of an identity index (inbound roamers carry the foreign PLMN). */
  imsi(idx: number): string {
    let v = this.imsis[idx] ?? ''
    if (v === '') {
      v = imsiFor(idx, idx < this.n && this.inboundRoamer[idx] === 1 ? FOREIGN_PLMN : undefined)
      this.imsis[idx] = v
    }
    return v
  }

  /** IMEI of an identity index: TAC from the pool (or the M2M fleet's TAC), serial from a per-entity hash. */
  imei(idx: number): string {
    let v = this.imeis[idx] ?? ''
    if (v === '') {
      const h = hash3(this.seed, idx, 5)
      const fleets = this.fleetTacs.length
      const tac = idx < this.n && fleets > 0 && this.segment[idx] === Segment.m2m
        ? (this.fleetTacs[h % fleets] ?? '')
        : (this.tacs[h % this.tacs.length] ?? '')
      v = imeiFor(tac, hash3(this.seed, idx, 6))
      this.imeis[idx] = v
    }
    return v
  }

  /** The identity fields of a usage record for identity idx of subscriber sub, rendered once and reused. */
  identityJson(idx: number, sub: number): string {
    let v = this.identityJsons[idx] ?? ''
    if (v === '') {
      const imsi = this.imsi(idx)
      v = identityText(imsi, imsi, this.msisdn(sub), this.imei(idx))
      this.identityJsons[idx] = v
    }
    return v
  }

  /** MSISDN of a subscriber (kept across a SIM swap). */
  msisdn(sub: number): string {
    let v = this.msisdns[sub] ?? ''
    if (v === '') {
      v = msisdnFor(sub)
      this.msisdns[sub] = v
    }
    return v
  }

  /** Local hour (rating spec UTC offset) of a simulated offset. */
  hourAt(t: number): number {
    const local = this.startMs + t + this.utcOffsetMs
    return Math.floor((((local % 86_400_000) + 86_400_000) % 86_400_000) / 3_600_000)
  }

  /** The next local hour boundary after offset t. */
  nextHour(t: number): number {
    const local = this.startMs + t + this.utcOffsetMs
    return (Math.floor(local / 3_600_000) + 1) * 3_600_000 - this.startMs - this.utcOffsetMs
  }

  /** Network-wide flash-crowd load factor at t (1 = no crowd). */
  flashFactor(t: number): number {
    let f = 1
    for (const w of this.flash) if (t >= w.start && t < w.end) f += w.extra
    return f
  }

  /** Next arrival of a non-homogeneous Poisson process with base rate (per ms) × hourly multiplier × flash factor. */
  nextArrival(t: number, baseRatePerMs: number, mult: Float64Array, withFlash: boolean, rng: Sfc32): number {
    if (baseRatePerMs <= 0) return Infinity
    let need = rng.exp1()
    let now = t
    while (now < this.endT) {
      let segEnd = Math.min(this.nextHour(now), this.endT)
      if (withFlash) for (const b of this.flashBoundaries) if (b > now && b < segEnd) segEnd = b
      const rate = baseRatePerMs * (mult[this.hourAt(now)] ?? 0) * (withFlash ? this.flashFactor(now) : 1)
      if (rate > 0) {
        const dt = need / rate
        if (now + dt < segEnd) return now + dt
        need -= rate * (segEnd - now)
      }
      now = segEnd
    }
    return Infinity
  }

  /** The anomaly of a kind active on a cell at t, if any. */
  anomalyAt(cell: number, t: number, kind: AnomalyWindow['kind']): AnomalyWindow | undefined {
    const list = this.cellAnomalies[cell]
    if (list === undefined) return undefined
    for (const w of list) if (w.kind === kind && t >= w.start && t < w.end) return w
    return undefined
  }

  /**
   * How far into a precursor window a cell is at t: 0 at the precursor's start growing to 1 at the anomaly's start;
   * undefined outside every precursor window (then nothing about the cell changes).
   */
  precursorAt(cell: number, t: number): number | undefined {
    const list = this.cellAnomalies[cell]
    if (list === undefined) return undefined
    for (const w of list) {
      if (w.precursorStart !== null && t >= w.precursorStart && t < w.start) return (t - w.precursorStart) / Math.max(1, w.start - w.precursorStart)
    }
    return undefined
  }

  /** The cell a subscriber uses at t: work anchor in office hours, home otherwise; crowds and sleeping cells move it. */
  cellFor(sub: number, t: number, rng: Sfc32): number {
    const cellCount = this.cells.length
    if (this.flash.length > 0) {
      const f = this.flashFactor(t)
      if (f > 1 && rng.next() < (f - 1) / f) {
        for (const w of this.flash) if (t >= w.start && t < w.end) return w.firstCell + rng.int(w.cells)
      }
    }
    const hour = this.hourAt(t)
    const atWork = hour >= 9 && hour < 17 ? rng.next() < 0.7 : rng.next() < 0.2
    let cell = hash3(this.seed, sub, atWork ? 12 : 11) % cellCount
    // A sleeping cell serves nobody: its traffic moves to the next cell of the same site.
    if (this.cellAnomalies[cell] !== undefined && this.anomalyAt(cell, t, 'SLEEPING_CELL') !== undefined && this.cellsPerSite > 1) {
      const base = cell - (cell % this.cellsPerSite)
      cell = base + ((cell - base + 1) % this.cellsPerSite)
    }
    return cell
  }

  /** ECGI a record carries: outbound roamers are served by a visited network's cell. */
  cellText(sub: number, cell: number): string {
    const info = this.cells[cell]
    if (info === undefined) return ''
    return sub < this.n && this.outboundRoamer[sub] === 1 ? FOREIGN_PLMN + info.ecgi.slice(5) : info.ecgi
  }
}

/** Picks `count` distinct subscribers matching a predicate with a dedicated PRNG stream. */
export function pickSubscribers(m: Model, stream: number, count: number, accept: (j: number) => boolean, taken: Set<number>): number[] {
  const rng = new Sfc32(m.seed, stream)
  const out: number[] = []
  const limit = 20 * m.n + 100
  for (let attempt = 0; out.length < count && attempt < limit; attempt++) {
    const j = rng.int(m.n)
    if (taken.has(j) || !accept(j)) continue
    taken.add(j)
    out.push(j)
  }
  return out
}
