import type { Results } from '../../harness/results/index.ts'
import { count, percent } from '../format.ts'

/** The serving store of a run in sentences (terminal, summary.md, report.html); empty without a store. */
export function servingSentences(r: Results): string[] {
  const s = r.serving
  if (s === null) return []
  const lines = [`Cassandra ${s.contact_point} · keyspace ${s.keyspace}`]
  if (s.billing === null) lines.push(`the store could not be read at the end: ${s.read_error ?? 'no reason given'}`)
  else {
    const b = s.billing
    lines.push(`store bills (what an agent sees): exact ${percent(b.bill_exact_match_ratio)} of ${count(b.subscribers)} subscribers · expected ${count(b.expected_minor)} minor · billed ${count(b.billed_minor)} minor · leakage ${percent(b.leakage_ratio)} · overbilling ${percent(b.overbilling_ratio)}`)
    lines.push(`against the bills topic: ${count(b.bills_topic.agree)} agree · ${count(b.bills_topic.differ)} differ · ${count(b.bills_topic.store_only)} only in the store; rated rows: ${count(b.rated_rows.in_store)} in the store for ${count(b.rated_rows.rated_on_topic)} rated on Kafka · ${count(b.rated_rows.missing_from_store)} missing · ${count(b.rated_rows.not_on_topic)} not on Kafka`)
  }
  const p = s.served_sampling
  lines.push(`served latency: ${count(p.sampled)} records sampled (1 in ${count(p.sample_every)}) · ${count(p.read_back)} read back · ${count(p.never_read)} never · ${count(p.reads)} reads (${count(p.read_errors)} failed)`)
  return lines
}
