import { validateScenarioText } from '../scenario/validate.ts'
import type { ResolvedScenario } from '../scenario/resolved.ts'
import type { TruthKind, TruthSink } from '../truth.ts'
import { createEventStream, type Shard } from './engine.ts'
import { encodeValue } from './encode.ts'

/** Validates inline scenario YAML for a test, failing loudly on errors. */
export function scenarioFrom(yaml: string): ResolvedScenario {
  const r = validateScenarioText(yaml, 'test.yaml')
  if (!r.ok) throw new Error(r.errors.map((e) => `${e.path} ${e.message}`).join('\n'))
  return r.scenario
}

/** One generated event as tests look at it. */
export interface CollectedEvent {
  line: string
  topic: string
  id: string | null
  sendOffsetNs: number
  value: string
}

/** Runs a stream to the end, keeping every event's bytes and every truth record. */
export function collect(s: ResolvedScenario, shard?: Shard): { events: CollectedEvent[]; truth: Map<TruthKind, string[]> } {
  const truth = new Map<TruthKind, string[]>()
  const sink: TruthSink = {
    write(kind, record) {
      const list = truth.get(kind) ?? []
      list.push(JSON.stringify(record))
      truth.set(kind, list)
    },
  }
  const events: CollectedEvent[] = []
  for (const ev of createEventStream(s, { truth: sink, ...(shard === undefined ? {} : { shard }) })) {
    const value = encodeValue(ev, 0n)
    events.push({ line: `${ev.topic}|${ev.key ?? ''}|${ev.sendOffsetNs}|${value}`, topic: ev.topic, id: ev.id, sendOffsetNs: ev.sendOffsetNs, value })
  }
  return { events, truth }
}

/** Parses the values that are JSON (malformed ones are skipped). */
export function records(events: CollectedEvent[]): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = []
  for (const e of events) {
    try {
      out.push(JSON.parse(e.value) as Record<string, unknown>)
    } catch {
      // malformed by design
    }
  }
  return out
}
