import { checkRatingSpec } from '../rating/spec-rules.ts'
import { cellCount, estimateLoad } from './load.ts'
import type { ScenarioConfig } from './schema.ts'
import { didYouMean } from './suggest.ts'
import { thresholdEntryProblems } from './thresholds.ts'
import { formatDurationMs } from './units.ts'

/** A rule's finding, located by path; the validator turns it into an {@link Issue}. */
export interface RuleFinding {
  path: (string | number)[]
  message: string
  hint?: string
  severity: 'error' | 'warning'
  /** Point at the key of the last path segment rather than at its value (a wrong key). */
  atKey?: boolean
}

interface RuleContext {
  s: ScenarioConfig
  error: (path: (string | number)[], message: string, hint?: string) => void
  warn: (path: (string | number)[], message: string, hint?: string) => void
  errorAtKey: (path: (string | number)[], message: string, hint?: string) => void
}

type Rule = (ctx: RuleContext) => void

const SHARE_TOLERANCE = 1e-6
const PROFILE_TOLERANCE = 1e-3
/** One generator core holds about this many events per second (see docs/generators.md). */
const SINGLE_CORE_EVENTS_PER_S = 500_000

const fmt = formatDurationMs

/** Timeline entries (flash crowds, anomalies, fraud) must start inside the run; ending after it only warns. */
const eventsInsideRun: Rule = ({ s, error, warn }) => {
  const entries: [string[], string, number, number | undefined][] = [
    ...Object.entries(s.traffic.flashCrowds).map(([k, e]) => [['traffic', 'flashCrowds', k], 'flash crowd', e.startTime, e.duration] as [string[], string, number, number]),
    ...Object.entries(s.anomalies).map(([k, e]) => [['anomalies', k], `${e.kind} anomaly`, e.startTime, e.duration] as [string[], string, number, number]),
    ...Object.entries(s.fraud).map(([k, e]) => [['fraud', k], `${e.kind} fraud`, e.startTime, e.duration] as [string[], string, number, number | undefined]),
  ]
  for (const [path, what, start, length] of entries) {
    if (start >= s.duration) {
      error([...path, 'startTime'], `${what} starts at ${fmt(start)}, past the end of the run (duration ${fmt(s.duration)})`, 'move it earlier or extend duration')
    } else if (length !== undefined && start + length > s.duration) {
      warn([...path, 'duration'], `${what} ends at ${fmt(start + length)}, after the run ends (${fmt(s.duration)}); it is cut short`)
    }
  }
}

/** Faults must start and end inside the run: the harness cannot inject after it stops. */
const faultsInsideRun: Rule = ({ s, error }) => {
  for (const [name, f] of Object.entries(s.faults)) {
    if (f.startTime >= s.duration) {
      error(['faults', name, 'startTime'], `fault starts at ${fmt(f.startTime)}, outside the run (duration ${fmt(s.duration)})`, 'shorten the fault time or extend the run')
    } else if (f.startTime + f.duration > s.duration) {
      error(['faults', name, 'duration'], `fault ends at ${fmt(f.startTime + f.duration)}, after the run ends (${fmt(s.duration)})`, 'shorten the fault or extend the run')
    }
    if (f.kind === 'network-delay' && f.delay === undefined) error(['faults', name], 'network-delay needs `delay`', 'e.g. delay: "200ms"')
    if (f.kind === 'network-loss' && f.lossPercent === undefined) error(['faults', name], 'network-loss needs `lossPercent`', 'e.g. lossPercent: 5')
  }
}

/** Exactly-once starts at the producer: only an idempotent producer (acks all) writes each input record once. */
const producerFitsGuarantee: Rule = ({ s, error }) => {
  if (s.pipeline.guarantee === 'exactly-once' && s.load.producer.acks !== 'all') error(['load', 'producer', 'acks'], 'exactly-once needs the idempotent producer, which waits for acks from all in-sync replicas', 'set load.producer.acks: all, or pipeline.guarantee: at-least-once')
}

/** SCRAM is only offered over TLS, and ACLs need authenticated principals to name. */
const securityConsistent: Rule = ({ s, error }) => {
  const sec = s.security
  if (sec.sasl !== 'none' && !sec.tls) error(['security', 'sasl'], 'SASL is only offered over TLS (SASL_SSL)', 'set security.tls: true')
  if (sec.acls && sec.sasl === 'none') error(['security', 'acls'], 'ACLs need authenticated users to name', 'set security.sasl: scram-sha-512')
  if (sec.acls && s.load.remoteGenerators > 0) error(['load', 'remoteGenerators'], 'generator agents on other hosts are not given ACLs: the control and reply topics are open to them', 'run the agents against a broker without ACLs, or set load.remoteGenerators: 0')
}

/** A leader-kill target: one of the run's topics (docs/contracts.md) and a partition number. */
const leaderTargetPattern = /^(cdr|pm|alarms|rated|bills|alerts|dlq|progress):(\d+)$/

/** The cluster's replication must fit its brokers, and cluster faults need a cluster to act on. */
const clusterConsistent: Rule = ({ s, error }) => {
  const c = s.cluster
  if (c.replicationFactor > c.brokers) error(['cluster', 'replicationFactor'], `replicationFactor ${c.replicationFactor} is more than the ${c.brokers} broker(s)`, `set cluster.brokers to at least ${c.replicationFactor}`)
  if (c.minInsyncReplicas > c.replicationFactor) error(['cluster', 'minInsyncReplicas'], `minInsyncReplicas ${c.minInsyncReplicas} is more than replicationFactor ${c.replicationFactor}: no write with acks=all could succeed`, `set minInsyncReplicas to at most ${c.replicationFactor}`)
  for (const [name, f] of Object.entries(s.faults)) {
    if ((f.kind === 'leader-kill' || f.kind === 'controller-kill' || f.kind === 'rolling-restart') && c.brokers < 2) error(['faults', name, 'kind'], `${f.kind} needs a cluster of brokers (cluster.brokers is ${c.brokers})`, 'set cluster: { brokers: 3, replicationFactor: 3, minInsyncReplicas: 2 }')
    if (f.kind !== 'leader-kill' || f.target === undefined) continue
    const m = leaderTargetPattern.exec(f.target)
    if (m === null) error(['faults', name, 'target'], `leader-kill target "${f.target}" is not <topic>:<partition> of a run topic`, 'e.g. target: "cdr:0" (topics: cdr, pm, alarms, rated, bills, alerts, dlq, progress)')
    else if (Number(m[2]) >= s.pipeline.partitions) error(['faults', name, 'target'], `partition ${m[2]} does not exist: the run's topics have ${s.pipeline.partitions} partitions`, `use a partition below ${s.pipeline.partitions}`)
  }
}

/** Executor and worker kills act on a standalone cluster, which only the Spark engine runs on. */
const sparkConsistent: Rule = ({ s, error }) => {
  const sp = s.spark
  if (sp.mode === 'standalone' && s.pipeline.engine !== 'spark') error(['spark', 'mode'], `spark.mode standalone runs the Spark job on a Spark cluster, but pipeline.engine is ${s.pipeline.engine}`, 'set pipeline.engine: spark, or spark.mode: local')
  for (const [name, f] of Object.entries(s.faults)) {
    if (f.kind !== 'executor-kill' && f.kind !== 'worker-kill') continue
    if (sp.mode !== 'standalone') {
      error(['faults', name, 'kind'], `${f.kind} needs Spark executors on a standalone cluster (spark.mode is ${sp.mode})`, 'set spark: { mode: standalone, workers: 2 }')
      continue
    }
    if (f.target === undefined) continue
    const worker = /^\d+$/.test(f.target) ? Number(f.target) : NaN
    if (!(worker >= 1 && worker <= sp.workers)) error(['faults', name, 'target'], `${f.kind} target "${f.target}" is not a worker of the cluster`, `use a worker number from 1 to ${sp.workers} (spark.workers)`)
  }
}

/**
 * A serving store is written from the micro-batch sinks (foreachBatch); Spark's real-time mode has none, and the
 * store-kill fault needs a store to kill.
 */
const servingWritable: Rule = ({ s, error }) => {
  if (s.serving.store !== 'none' && s.pipeline.trigger.kind === 'real-time') {
    error(['serving', 'store'], `serving.store ${s.serving.store} needs a micro-batch trigger: Spark's real-time mode has no foreachBatch to write the store from`, 'use pipeline.trigger kind processing-time, or serving.store none')
  }
  for (const [name, f] of Object.entries(s.faults)) {
    if (f.kind === 'store-kill' && s.serving.store === 'none') error(['faults', name, 'kind'], 'store-kill needs a serving store to kill', 'set serving.store: cassandra (or --set serving.store=cassandra)')
  }
}

/** Shares that partition a whole must sum to 1; segments must leave room for consumers. */
const sharesSumToOne: Rule = ({ s, error }) => {
  const p = s.population
  const billing = p.prepaidShare + p.postpaidShare
  if (Math.abs(billing - 1) > SHARE_TOLERANCE) {
    error(['population', 'postpaidShare'], `prepaidShare + postpaidShare = ${round(billing)}, not 1`, `set postpaidShare to ${round(1 - p.prepaidShare)}`)
  }
  const segments = p.businessPbxShare + p.m2mShare
  if (segments >= 1) error(['population', 'm2mShare'], `businessPbxShare + m2mShare = ${round(segments)} leaves no consumer subscribers`)
  const d = s.traffic.voice.destinations
  const mix = d.onnet + d.offnet + d.international + d.premium + d.voicemail
  if (Math.abs(mix - 1) > SHARE_TOLERANCE) error(['traffic', 'voice', 'destinations'], `destination shares sum to ${round(mix)}, not 1`)
  const buckets = s.badInput.late.lateness
  const lateSum = buckets.reduce((a, b) => a + b.share, 0)
  if (Math.abs(lateSum - 1) > SHARE_TOLERANCE) error(['badInput', 'late', 'lateness'], `lateness bucket shares sum to ${round(lateSum)}, not 1`)
  buckets.forEach((b, i) => {
    const prev = i === 0 ? 0 : (buckets[i - 1]?.upTo ?? 0)
    if (b.upTo <= prev) error(['badInput', 'late', 'lateness', i, 'upTo'], `bucket bounds must increase (${fmt(b.upTo)} ≤ ${fmt(prev)})`)
  })
  const bad = s.badInput
  const corrupt = bad.malformedJson + bad.negativeDuration + bad.unknownSubscriber + bad.badImsi + bad.oversized + bad.late.share + bad.outOfOrder.share
  if (corrupt > 1) error(['badInput'], `per-record injection shares add up to ${round(corrupt)} (> 1)`)
}

/** Hourly profiles must sum to 1 so that daily rates stay daily rates. */
const profilesSumToOne: Rule = ({ s, error }) => {
  for (const key of ['voiceProfile', 'dataProfile'] as const) {
    const sum = s.traffic[key].reduce((a, b) => a + b, 0)
    if (Math.abs(sum - 1) > PROFILE_TOLERANCE) error(['traffic', key], `hourly shares sum to ${round(sum)}, not 1`, 'divide each hour by the total')
  }
}

/** The rating spec follows the contract's consistency rules. */
const ratingSpecConsistent: Rule = ({ s, error }) => {
  for (const p of checkRatingSpec(s.ratingSpec)) error(['ratingSpec', ...p.path], p.message, p.hint)
}

/** Every fraud pattern must select at least one entity (and a victim where it needs one). */
const fraudHasVictims: Rule = ({ s, error, warn }) => {
  const n = s.population.subscribers
  const business = Math.floor(n * s.population.businessPbxShare)
  const postpaid = Math.floor(n * (1 - s.population.businessPbxShare - s.population.m2mShare) * s.population.postpaidShare)
  let fraudEntities = 0
  for (const [name, f] of Object.entries(s.fraud)) {
    const at = (key: string): (string | number)[] => ['fraud', name, key]
    switch (f.kind) {
      case 'SIMBOX': {
        const sims = Math.round(f.share * n)
        if (sims < 1) error(at('share'), `SIMBOX share ${f.share} of ${n} subscribers selects no SIM`, `raise share to at least ${round(1 / n)}`)
        fraudEntities += sims
        break
      }
      case 'WANGIRI': {
        const victims = Math.round(f.victimShare * n)
        const callbacks = Math.round(victims * f.callbackShare)
        if (victims < 1) error(at('victimShare'), `WANGIRI rings no subscriber (${f.victimShare} of ${n})`, 'raise victimShare')
        else if (callbacks < 1) error(at('callbackShare'), `WANGIRI has no victims who call back (${victims} rung × ${f.callbackShare})`, 'raise callbackShare or victimShare')
        fraudEntities += f.aNumbers
        break
      }
      case 'IRSF':
        if (postpaid < f.attacks) error(at('attacks'), `IRSF needs ${f.attacks} postpaid accounts to compromise; the population has about ${postpaid}`)
        fraudEntities += f.attacks
        break
      case 'PBX':
        if (business < f.attacks) error(at('attacks'), `PBX fraud has no victims: ${business} business PBX subscribers for ${f.attacks} attacks`, 'raise population.businessPbxShare')
        fraudEntities += f.attacks
        break
      case 'SUBSCRIPTION': {
        const accounts = Math.round(f.share * n)
        if (accounts < 1) error(at('share'), `SUBSCRIPTION share ${f.share} of ${n} subscribers selects no account`, `raise share to at least ${round(1 / n)}`)
        fraudEntities += accounts
        break
      }
      case 'SIMSWAP':
        if (postpaid < f.swaps) error(at('swaps'), `SIMSWAP needs ${f.swaps} postpaid victims; the population has about ${postpaid}`)
        fraudEntities += f.swaps
        break
    }
  }
  if (fraudEntities > 0.005 * n && n >= 1000) {
    warn(['fraud'], `fraud touches ${fraudEntities} entities, above the 0.5% cap of docs/telecom-model.md §7.1`, 'fine for a detection stress test; not a realistic base rate')
  }
}

/** Anomalies and flash crowds must name cells that exist. */
const cellsExist: Rule = ({ s, error }) => {
  const cells = cellCount(s)
  for (const [name, a] of Object.entries(s.anomalies)) {
    a.cells.forEach((c, i) => {
      if (c >= cells) error(['anomalies', name, 'cells', i], `cell ${c} does not exist (the topology has ${cells} cells: 0..${cells - 1})`)
    })
  }
  for (const [name, f] of Object.entries(s.traffic.flashCrowds)) {
    if (f.firstCell + f.cells > cells) error(['traffic', 'flashCrowds', name, 'cells'], `cells ${f.firstCell}..${f.firstCell + f.cells - 1} exceed the ${cells} cells of the topology`)
  }
}

/** The anomaly kinds whose onset can be preceded by warning signs (docs/telecom-model.md "Precursors"). */
export const forecastableKinds: readonly string[] = ['SLEEPING_CELL', 'CONGESTION', 'KPI_DEGRADATION']

/** A precursor belongs to a cell outage kind, lasts a while and starts inside the run. */
const precursorsFit: Rule = ({ s, error }) => {
  for (const [name, a] of Object.entries(s.anomalies)) {
    if (a.precursor === undefined) continue
    const path = ['anomalies', name, 'precursor']
    if (!forecastableKinds.includes(a.kind)) error(path, `${a.kind} has no precursor: only ${forecastableKinds.join(', ')} are preceded by warning signs`, 'remove precursor from this anomaly')
    else if (a.precursor <= 0) error(path, 'a precursor of 0 s gives no warning', 'e.g. precursor: 30m, or leave it out')
    else if (a.precursor > a.startTime) error(path, `the precursor (${fmt(a.precursor)}) would begin before the run: the anomaly starts at ${fmt(a.startTime)}`, `shorten it to at most ${fmt(a.startTime)} or start the anomaly later`)
  }
}

/** Hard negatives must fit the population they are drawn from. */
const hardNegativesFit: Rule = ({ s, error }) => {
  const cc = s.hardNegatives.callCentres
  const business = Math.floor(s.population.subscribers * s.population.businessPbxShare)
  if (cc.count * cc.agentsPerCentre > business) {
    error(['hardNegatives', 'callCentres', 'count'], `${cc.count} call centres × ${cc.agentsPerCentre} agents need more business SIMs than the ${business} there are`, 'raise businessPbxShare or lower agentsPerCentre')
  }
  if (cc.closeHour <= cc.openHour) error(['hardNegatives', 'callCentres', 'closeHour'], `closeHour ${cc.closeHour} is not after openHour ${cc.openHour}`)
  const m2m = Math.floor(s.population.subscribers * s.population.m2mShare)
  if (s.hardNegatives.m2mFleets.count > m2m) error(['hardNegatives', 'm2mFleets', 'count'], `${s.hardNegatives.m2mFleets.count} fleets but only about ${m2m} M2M SIMs`)
}

/** Load warnings: a rate one generator core cannot hold, or a run that generates nothing. */
const loadFeasible: Rule = ({ s, warn }) => {
  const load = estimateLoad(s)
  if (load.peakEventsPerWallSecond > SINGLE_CORE_EVENTS_PER_S) {
    const pace = s.load.rate === undefined ? 'timeCompression' : 'load.rate'
    warn(pace.split('.'), `peak load ≈ ${Math.round(load.peakEventsPerWallSecond)} events/s (wall) is above what one generator core holds (~${SINGLE_CORE_EVENTS_PER_S})`, `lower ${pace} or run sharded generators (--shard i/n)`)
  }
  if (s.duration / 1000 / s.timeCompression > 86_400) warn(['duration'], `the run lasts ${fmt(Math.round(s.duration / s.timeCompression))} of wall time`, 'raise timeCompression')
}

/** PM records feed only the network query: a PM period longer than the run matters only when that query runs. */
const pmPeriodFitsRun: Rule = ({ s, warn }) => {
  if (!s.pipeline.queries.includes('network') || s.traffic.pm.granularity <= s.duration) return
  const kpiAnomalies = Object.values(s.anomalies).filter((a) => a.kind !== 'ALARM_STORM').length
  const loses = kpiAnomalies === 0 ? 'the network query sees no cell KPIs' : `the network query sees no cell KPIs and cannot find the ${kpiAnomalies === 1 ? 'KPI anomaly' : `${kpiAnomalies} KPI anomalies`}`
  warn(['traffic', 'pm', 'granularity'], `PM period ${fmt(s.traffic.pm.granularity)} is longer than the run (${fmt(s.duration)}): no PM records, ${loses}`, `set traffic.pm.granularity to ${fmt(Math.max(1000, Math.floor(s.duration / 4 / 1000) * 1000))} or less, or leave network out of pipeline.queries`)
}

/** `pipeline.queries`: every figure of a run (accounting, latency, billing) is measured on `rating`'s output. */
const queriesMeasurable: Rule = ({ s, error }) => {
  const queries = s.pipeline.queries
  if (!queries.includes('rating')) error(['pipeline', 'queries'], `queries ${JSON.stringify(queries)} leave out rating: nothing would be rated, so every usage record would count as lost`, 'add rating to pipeline.queries')
  const repeated = queries.filter((q, i) => queries.indexOf(q) !== i)
  if (repeated.length > 0) error(['pipeline', 'queries'], `query ${repeated.join(', ')} is listed more than once`)
}

/** `pipeline.kafkaOptions`: where and how the engine connects is the runtime's; only client tuning is the scenario's. */
const kafkaOptionsTuningOnly: Rule = ({ s, errorAtKey }) => {
  for (const key of Object.keys(s.pipeline.kafkaOptions)) {
    if (/^(security\.|ssl\.|sasl\.|bootstrap\.servers$|group\.id$|key\.|value\.)/.test(key)) {
      errorAtKey(['pipeline', 'kafkaOptions', key], `${key} is set by the runtime or by the engine itself, not by a scenario`, 'remove it; security comes from the runtime settings (security.tls, security.sasl), serializers and group ids from the engine')
    }
  }
}

/** The named semantic rules, run in order after the shape pass. */
/** Every threshold names a known metric and tag and has an expression the harness can evaluate. */
const thresholdsEvaluable: Rule = ({ s, error, errorAtKey }) => {
  for (const [key, list] of Object.entries(s.thresholds)) {
    const entries = list.map((t) => (typeof t === 'string' ? { threshold: t, abortOnFail: false } : { threshold: t.threshold, abortOnFail: t.abortOnFail, windowMs: t.window }))
    for (const p of thresholdEntryProblems(key, entries, didYouMean)) {
      if (p.where === 'key') errorAtKey(['thresholds', key], p.message, p.hint)
      else error(p.where === 'expression' ? ['thresholds', key, p.index ?? 0] : ['thresholds', key, p.index ?? 0, p.where], p.message, p.hint)
    }
    list.forEach((t, index) => {
      if (typeof t === 'string' || t.window === undefined || t.window % 1000 !== 0 || t.window < 1000) return
      // Windows tile the whole seconds of the load after the warm-up (harness/score/thresholds.ts windowStarts).
      const wallS = s.duration / 1000 / s.timeCompression
      const measuredS = Math.floor(wallS) - Math.ceil(Math.min(s.measurement.warmup / 1000, wallS / 2))
      if (t.window / 1000 > measuredS) error(['thresholds', key, index, 'window'], `window ${t.window / 1000} s is longer than the load after the warm-up (${measuredS} whole seconds): not one full window to evaluate`, 'shorten the window or lengthen the run (duration / timeCompression)')
    })
  }
}

export const rules: Record<string, Rule> = {
  eventsInsideRun,
  faultsInsideRun,
  clusterConsistent,
  sparkConsistent,
  securityConsistent,
  producerFitsGuarantee,
  sharesSumToOne,
  profilesSumToOne,
  ratingSpecConsistent,
  fraudHasVictims,
  cellsExist,
  precursorsFit,
  hardNegativesFit,
  loadFeasible,
  pmPeriodFitsRun,
  queriesMeasurable,
  kafkaOptionsTuningOnly,
  thresholdsEvaluable,
  servingWritable,
}

/** Runs every rule and returns all findings. */
export function runRules(s: ScenarioConfig): RuleFinding[] {
  const findings: RuleFinding[] = []
  const ctx: RuleContext = {
    s,
    error: (path, message, hint) => findings.push({ path, message, ...(hint === undefined ? {} : { hint }), severity: 'error' }),
    warn: (path, message, hint) => findings.push({ path, message, ...(hint === undefined ? {} : { hint }), severity: 'warning' }),
    errorAtKey: (path, message, hint) => findings.push({ path, message, ...(hint === undefined ? {} : { hint }), severity: 'error', atKey: true }),
  }
  for (const rule of Object.values(rules)) rule(ctx)
  return findings
}

function round(x: number): number {
  return Math.round(x * 1e6) / 1e6
}
