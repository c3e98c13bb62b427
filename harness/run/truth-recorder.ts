import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs'
import { join } from 'node:path'
import { parseAnomaly, parseLabel, type AnomalyTruth, type InjectionTruth, type LabelTruth, type TruthCharge } from '../score/truth.ts'

/**
 * Receives the ground truth as the generator makes it: writes one JSON Lines file per kind into
 * `truth/` (so memory does not grow with what is only written) and keeps in memory only what the
 * scorer needs: expected charges with their event times, injected bad input, labels and anomaly windows.
 */
export class TruthRecorder {
  readonly dir: string
  readonly expectedCharges = new Map<string, TruthCharge>()
  /** id → what was injected (duplicate, resend, late, malformed, …). */
  readonly injections = new Map<string, InjectionTruth>()
  readonly labels: LabelTruth[] = []
  readonly anomalies: AnomalyTruth[] = []
  private readonly files = new Map<string, WriteStream>()

  constructor(dir: string) {
    this.dir = dir
    mkdirSync(dir, { recursive: true })
  }

  write(kind: string, record: object): void {
    let file = this.files.get(kind)
    if (file === undefined) {
      file = createWriteStream(join(this.dir, `${kind}.jsonl`))
      this.files.set(kind, file)
    }
    file.write(`${JSON.stringify(record)}\n`)
    this.observe(kind, record as Record<string, unknown>)
  }

  private observe(kind: string, r: Record<string, unknown>): void {
    const num = (v: unknown): number | null => (typeof v === 'number' ? v : null)
    if (kind === 'charge' && typeof r['id'] === 'string' && typeof r['subscriber'] === 'string' && typeof r['chargeSubunits'] === 'number' && typeof r['eventTime'] === 'number') {
      const charge: TruthCharge = { subscriber: r['subscriber'], chargeSubunits: r['chargeSubunits'], eventTime: r['eventTime'] }
      if (typeof r['bypassedSubunits'] === 'number') charge.bypassedSubunits = r['bypassedSubunits']
      this.expectedCharges.set(r['id'], charge)
    } else if (kind === 'injection' && typeof r['id'] === 'string') {
      // An exact duplicate repeats its original's id: keep what was injected into the original (e.g. late).
      if (this.injections.has(r['id'])) return
      this.injections.set(r['id'], {
        kind: typeof r['kind'] === 'string' ? r['kind'] : 'unknown',
        subscriber: typeof r['subscriber'] === 'string' ? r['subscriber'] : '',
        reason: typeof r['reason'] === 'string' ? r['reason'] : null,
        latenessMs: num(r['latenessMs']),
      })
    } else if (kind === 'label') {
      const label = parseLabel(r)
      if (label !== null) this.labels.push(label)
    } else if (kind === 'anomaly') {
      const anomaly = parseAnomaly(r)
      if (anomaly !== null) this.anomalies.push(anomaly)
    }
  }

  async close(): Promise<void> {
    await Promise.all(
      [...this.files.values()].map(
        (f) =>
          new Promise<void>((resolve) => {
            f.end(resolve)
          }),
      ),
    )
  }
}
