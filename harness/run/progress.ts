/** The progress lines a run prints while it runs: one rounding for every number, and an ETA to the end of the run. */

const n = (value: number): string => Math.round(value).toLocaleString('en-US')

/** Milliseconds with three significant digits, as the summary and the report write them. */
export function progressMs(value: number): string {
  if (value >= 100) return n(value)
  return value >= 10 ? value.toFixed(1) : value.toFixed(2)
}

/** `45 s`, `2 min 05 s`. */
export function duration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds))
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`
}

export interface EtaInput {
  /** Load seconds still to send. */
  loadLeftS: number
  /** Usage records not yet accounted (the end-to-end backlog). */
  backlog: number
  /** Usage records the schedule sends per second. */
  offeredEps: number
  /** Usage records accounted per second over the last interval; 0 before the first output. */
  accountedEps: number
  /** The batch baseline's lower bound (the Spark start-up it pays too); null when it does not run. */
  batchAtLeastS: number | null
}

/**
 * What is left of the run: the load, the drain (the backlog at the load's end at the current output rate) and the
 * batch baseline (at least a Spark start-up). The drain is unknown until output arrives; the batch is a lower
 * bound, so the ETA says `≥` when it counts one.
 */
export function eta(i: EtaInput): string {
  const parts = i.loadLeftS > 0 ? [`load ${duration(i.loadLeftS)}`] : []
  let total = i.loadLeftS
  let bound = false
  if (i.accountedEps > 0) {
    const backlogAtEnd = Math.max(0, i.backlog + (i.offeredEps - i.accountedEps) * i.loadLeftS)
    const drainS = backlogAtEnd / i.accountedEps
    parts.push(`drain ≈ ${duration(drainS)}`)
    total += drainS
  } else {
    parts.push('drain unknown until output arrives')
    bound = true
  }
  if (i.batchAtLeastS !== null) {
    parts.push(`batch ≥ ${duration(i.batchAtLeastS)}`)
    total += i.batchAtLeastS
    bound = true
  }
  return `ETA ${bound ? '≥' : '≈'} ${duration(total)} (${parts.join(' + ')})`
}

const nonUsage: Record<string, string> = { pm: 'PM counters', alarms: 'alarms' }

/** The line that closes the load: every record sent, and which of them are the usage records the accounting counts. */
export function loadDoneLine(sentByTopic: ReadonlyMap<string, number>, distinctUsage: number): string {
  const total = [...sentByTopic.values()].reduce((a, b) => a + b, 0)
  const usage = sentByTopic.get('cdr') ?? 0
  const copies = usage - distinctUsage
  const others = [...sentByTopic.entries()].filter(([topic, c]) => topic !== 'cdr' && c > 0)
  const usagePart = `${n(distinctUsage)} usage records to cdr${copies > 0 ? ` (+ ${n(copies)} injected duplicate copies)` : ''}, the ones the accounting counts`
  const otherPart = others.map(([topic, c]) => ` + ${n(c)} ${nonUsage[topic] ?? 'records'} to ${topic}`).join('')
  return `Load done: ${n(total)} records sent = ${usagePart}${otherPart}${others.length > 0 ? ' (not usage: not accounted)' : ''}`
}

export { n as count }
