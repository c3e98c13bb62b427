import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs'
import { join } from 'node:path'
import type { ExpectedCharge } from '../score/billing.ts'

/**
 * Receives the ground truth as the generator makes it: writes one JSON Lines file per kind into
 * `truth/` (so memory does not grow with what is only written) and keeps in memory only what the
 * scorer needs per id: expected charges and injected bad input.
 */
export class TruthRecorder {
  readonly dir: string
  readonly expectedCharges = new Map<string, ExpectedCharge>()
  /** id → injection kind (duplicate, resend, late, malformed, …). */
  readonly injections = new Map<string, string>()
  readonly labels: Record<string, unknown>[] = []
  readonly anomalies: Record<string, unknown>[] = []
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
    if (kind === 'charge' && typeof r['id'] === 'string' && typeof r['subscriber'] === 'string' && typeof r['chargeSubunits'] === 'number') {
      this.expectedCharges.set(r['id'], { subscriber: r['subscriber'], chargeSubunits: r['chargeSubunits'] })
    } else if (kind === 'injection' && typeof r['id'] === 'string') {
      this.injections.set(r['id'], typeof r['kind'] === 'string' ? r['kind'] : 'unknown')
    } else if (kind === 'label') {
      this.labels.push(r)
    } else if (kind === 'anomaly') {
      this.anomalies.push(r)
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
