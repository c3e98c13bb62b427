import { count, ms, percent, rate, seconds } from './format.ts'
import { planFacts, type ReportRun } from './run-data.ts'
import { forecastSections } from './summary/models.ts'

/** What a run says about one of the paper's four questions: the figures, and what they do not show. */
export interface ResearchAnswer {
  question: string
  /** False when the run did not measure this question: `findings` then says why. */
  measured: boolean
  findings: string[]
  limits: string[]
}

const machineLimit = (r: ReportRun): string => `One run on one machine (${r.manifest.machine.cores} cores, ${r.manifest.machine.cpu_model}), one broker, ${r.manifest.delivery_guarantee}; repeat it to see the spread between runs.`

function ingestion(r: ReportRun): ResearchAnswer {
  const res = r.results
  const t = res.throughput
  const rated = res.latency['rated'] ?? null
  const produce = res.latency['produce_response'] ?? null
  const findings = [
    `Offered ${rate(t.offered_eps)} ev/s and the broker acknowledged ${rate(t.achieved_eps)} ev/s; rated output ${rate(t.output_eps)} ev/s.`,
    `Produce response time (intended send → acknowledged) p50 ${ms(produce?.p50)} ms, p99 ${ms(produce?.p99)} ms; end to end to a rated record p50 ${ms(rated?.p50)} ms, p99 ${ms(rated?.p99)} ms (after the ${seconds(res.latency_warmup.warmup_s)} s warm-up).`,
  ]
  if (res.steady_state !== null) findings.push(`Steady state: ${res.steady_state.state} (${res.steady_state.reason}).`)
  return {
    question: 'Ingestion rate and its latency',
    measured: true,
    findings,
    limits: [
      'This is the rate the scenario offered, not the highest the pipeline sustains: find that by raising the rate until the steady state breaks (scenarios/rating-capacity.yaml).',
      machineLimit(r),
    ],
  }
}

function detection(r: ReportRun): ResearchAnswer {
  const res = r.results
  const kinds = Object.entries(res.detection)
  if (kinds.length === 0) {
    const notRun = res.detection_summary.not_run
    return { question: 'Detection quality and time', measured: false, findings: [notRun.length > 0 ? `Detection not run for ${notRun.join(' and ')} (the scenario leaves the Spark query out).` : 'The truth holds no fraud or anomaly and no alert was raised: nothing to score.'], limits: [] }
  }
  const compression = planFacts(r.manifest).timeCompression
  const s = res.detection_summary
  const findings = [
    `Fraud (per entity): precision ${percent(s.fraud.precision)}, recall ${percent(s.fraud.recall)}; anomalies (per alert): precision ${percent(s.anomaly.precision)}, recall ${percent(s.anomaly.recall)}.`,
    ...kinds.map(([kind, d]) => `${kind}: ${d.detected_units} of ${d.truth_units} found, ${d.false_positives} false positives; time to detect p50 ${d.ttd_p50_s === null ? 'n/a' : `${seconds(d.ttd_p50_s / compression)} s wall (${count(d.ttd_p50_s)} s scenario)`}.`),
  ]
  findings.push(...modelFindings(r, compression))
  const small = kinds.filter(([, d]) => d.truth_units > 0 && d.truth_units < 20).map(([kind]) => kind)
  return {
    question: 'Detection quality and time',
    measured: true,
    findings,
    limits: [
      ...(small.length > 0 ? [`Fewer than 20 truth units for ${small.join(', ')}: one miss moves recall by more than 5 points; a longer or larger scenario narrows it.`] : []),
      `Times to detect are in scenario time at ×${compression} compression: the detectors' windows are scenario-time windows, so wall figures scale with the compression.`,
      'The truth is the generator\'s: detection of fraud patterns the generator does not produce is not measured.',
    ],
  }
}

/** Rules vs the learned detectors (docs/ml.md), one finding per kind and model, when the run scored models. */
function modelFindings(r: ReportRun, compression: number): string[] {
  const m = r.results.models
  if (m === null) return []
  const ttd = (d: { ttd_p50_s: number | null } | undefined): string => (d?.ttd_p50_s == null ? 'n/a' : `${seconds(d.ttd_p50_s / compression)} s wall`)
  const out = [`Learned detectors trained on ${m.training.scenario} seed ${m.training.seed}, scored on this run's seed ${m.evaluation.seed} (data they never saw).`]
  for (const [name, d] of Object.entries(m.detectors)) {
    for (const [kind, k] of Object.entries(d.detection)) {
      const rule = r.results.detection[kind]
      out.push(`${kind}, ${name} vs rules: found ${k.detected_units} of ${k.truth_units} vs ${rule?.detected_units ?? 0}, precision ${percent(k.precision)} vs ${percent(rule?.precision ?? null)}, time to detect p50 ${ttd(k)} vs ${ttd(rule)}.`)
    }
  }
  for (const f of forecastSections(r.results)) {
    const unwarned = f.rows.filter((row) => row[3] === 'none').length
    out.push(`Forecasts, ${f.sentence}.${unwarned > 0 ? ` ${unwarned} of the outages gave no warning in the data (no precursor): no model can forecast those.` : ''}`)
  }
  return out
}

function billing(r: ReportRun): ResearchAnswer {
  const res = r.results
  const b = res.billing
  const batch = res.batch
  if (b === null) return { question: 'Streaming vs batch billing accuracy and time-to-bill', measured: false, findings: ['No usage record was rated: nothing to bill.'], limits: [] }
  const bills = res.latency['bills'] ?? null
  const findings = [`Streaming: ${percent(b.exact_match_ratio)} of charges exact, bills exact for ${percent(b.bill_exact_match_ratio)} of subscribers, leakage ${percent(b.leakage_ratio)}, overbilling ${percent(b.overbilling_ratio)}; a bill update p50 ${ms(bills?.p50)} ms after the newest record's intended send.`]
  if (batch?.state === 'scored') {
    const bb = batch.billing
    findings.push(`Batch baseline: ${bb === null ? 'no billing figures' : `${percent(bb.exact_match_ratio)} of charges exact, bills exact for ${percent(bb.bill_exact_match_ratio)}, leakage ${percent(bb.leakage_ratio)}`}; results ${seconds(batch.finished_after_s)} s after the load, time-to-result p50 ${ms(batch.result_latency?.p50)} ms.`)
  } else if (batch?.state === 'unreadable') findings.push(`The batch baseline ran but its output could not be scored: ${batch.error}.`)
  else findings.push('The batch baseline did not run (turn it on with --batch): no comparison.')
  return {
    question: 'Streaming vs batch billing accuracy and time-to-bill',
    measured: true,
    findings,
    limits: [
      'The batch runs once, after the load: its time-to-result grows with the window it covers, so the ratio to streaming depends on the scenario\'s length.',
      'Both sides rate with the same rating spec; errors in the spec itself are not visible here.',
    ],
  }
}

function integrity(r: ReportRun): ResearchAnswer {
  const res = r.results
  const a = res.accounting
  if (res.faults.length === 0) {
    return {
      question: 'Integrity under faults',
      measured: false,
      findings: [`No fault was injected. Without faults: lost ${count(a.lost)}, duplicate copies ${count(a.duplicate_copies)} of ${count(a.generated)} usage records.`],
      limits: ['Run a fault scenario (pipeline-crash, broker-failure, chaos) to measure recovery.'],
    }
  }
  const findings = res.faults.map((f) => {
    const v = f.recovery
    return `${f.name} (${f.kind}): lost ${count(f.integrity.lost)}, duplicate copies ${count(f.integrity.duplicate_copies)}; detected after ${seconds(v?.time_to_detect_s)} s, recovered after ${seconds(v?.time_to_recover_s)} s, drained after ${seconds(v?.time_to_drain_s)} s (wall).`
  })
  findings.unshift(`Over the run: lost ${count(a.lost)}, duplicate copies ${count(a.duplicate_copies)}, unprocessed ${count(a.unprocessed)} of ${count(a.generated)} usage records under ${r.manifest.delivery_guarantee}.`)
  return {
    question: 'Integrity under faults',
    measured: true,
    findings,
    limits: ['Each fault is injected once at a fixed time; where it lands in the micro-batch cycle changes its cost, so repeat the run before comparing configurations.', 'Reordering caused by a fault is not measured.'],
  }
}

/** The researchers' view: the paper's four questions, each answered where the run measured it. */
export function researchView(r: ReportRun): ResearchAnswer[] {
  return [ingestion(r), detection(r), billing(r), integrity(r)]
}

