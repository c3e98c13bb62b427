import { once } from 'node:events'
import { createWriteStream, type WriteStream } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { GenerateInputError } from './scenario/input-error.ts'
import { formatIssue } from './scenario/issues.ts'
import { validateScenarioFile } from './scenario/validate.ts'
import { createEventStream, shardProblem, type Shard } from './stream/engine.ts'
import { encodeValue } from './stream/encode.ts'
import { truthKinds, type TruthKind, type TruthSink } from './truth.ts'

/** Options of {@link generateToFiles}. */
export interface GenerateOptions {
  /** Folder to write into; created if missing. */
  outDir: string
  /** Generate one shard only (0-based index). @default the whole stream */
  shard?: Shard
}

/** What {@link generateToFiles} wrote. */
export interface GenerateResult {
  events: number
  /** Paths of the files written, relative to outDir. */
  files: string[]
}

/**
 * Validates a scenario and writes its events and ground truth as JSON Lines, streaming (flat memory):
 * - `events.jsonl`: one line per event in schedule order:
 *   `{"topic":"cdr","key":"00101…","sendOffsetNs":123,"value":<the encodeValue text with runStartNs = 0>}`;
 *   `value` is the record as a JSON string (a string, because malformed records are not JSON);
 * - `truth/<kind>.jsonl` for every kind in {@link truthKinds} (charge, bill, label, anomaly, injection, summary).
 * @throws GenerateInputError when the scenario is invalid or the shard is out of range.
 */
export async function generateToFiles(scenarioPath: string, opts: GenerateOptions): Promise<GenerateResult> {
  const validated = await validateScenarioFile(scenarioPath)
  if (!validated.ok) {
    throw new GenerateInputError(`${scenarioPath} is not a valid scenario`, validated.errors.map(formatIssue))
  }
  if (opts.shard !== undefined) {
    const problem = shardProblem(opts.shard)
    if (problem !== undefined) throw new GenerateInputError(problem, [])
  }
  await mkdir(join(opts.outDir, 'truth'), { recursive: true })
  const eventsFile = 'events.jsonl'
  const events = new LineWriter(join(opts.outDir, eventsFile))
  const truthFiles = new Map<TruthKind, LineWriter>(truthKinds.map((k) => [k, new LineWriter(join(opts.outDir, 'truth', `${k}.jsonl`))]))
  const sink: TruthSink = {
    write(kind, record) {
      truthFiles.get(kind)?.write(JSON.stringify(record))
    },
  }
  let count = 0
  const stream = createEventStream(validated.scenario, { ...(opts.shard === undefined ? {} : { shard: opts.shard }), truth: sink })
  for (const ev of stream) {
    count++
    const line = `{"topic":"${ev.topic}","key":${ev.key === null ? 'null' : `"${ev.key}"`},"sendOffsetNs":${ev.sendOffsetNs},"value":${JSON.stringify(encodeValue(ev, 0n))}}`
    if (!events.write(line)) await events.drain()
    for (const w of truthFiles.values()) if (w.needsDrain) await w.drain()
  }
  await events.close()
  for (const w of truthFiles.values()) await w.close()
  return { events: count, files: [eventsFile, ...truthKinds.map((k) => join('truth', `${k}.jsonl`))] }
}

/** A newline-delimited writer that respects back-pressure. */
class LineWriter {
  private readonly out: WriteStream
  needsDrain = false

  constructor(path: string) {
    this.out = createWriteStream(path, { highWaterMark: 1 << 20 })
  }

  write(line: string): boolean {
    const ok = this.out.write(`${line}\n`)
    if (!ok) this.needsDrain = true
    return ok
  }

  async drain(): Promise<void> {
    if (!this.needsDrain) return
    await once(this.out, 'drain')
    this.needsDrain = false
  }

  async close(): Promise<void> {
    this.out.end()
    await once(this.out, 'finish')
  }
}
