import { TelcobenchError } from '../errors.ts'

/** A latency SLO of `telcobench capacity --slo`: `<stream> p<percentile> < <ms>`, e.g. `rated p99<3000`. */
export interface LatencySlo {
  text: string
  stream: string
  percentile: number
  operator: '<' | '<='
  limitMs: number
}

/** The latency streams results.json carries (docs/results.md "latency"). */
export const sloStreams = ['rated', 'bills', 'alerts', 'dlq', 'schedule_delay', 'produce_service', 'produce_response'] as const

const percentiles: Record<string, keyof PercentileSummary> = { '50': 'p50', '90': 'p90', '95': 'p95', '99': 'p99', '99.9': 'p999' }

export interface PercentileSummary {
  p50: number
  p90: number
  p95: number
  p99: number
  p999: number
}

/** Parses one `--slo`; throws a usage error that shows the form and the streams. */
export function parseSlo(text: string): LatencySlo {
  const match = /^\s*([a-z_]+)\s+p(\d+(?:\.\d+)?)\s*(<=|<)\s*(\d+(?:\.\d+)?)\s*(?:ms)?\s*$/.exec(text)
  const fix = `write it as '<stream> p<50|90|95|99|99.9><ms>', e.g. 'rated p99<3000'; streams: ${sloStreams.join(', ')}`
  if (match === null) throw new TelcobenchError('TB_USAGE', `--slo '${text}' is not a latency SLO`, { fix })
  const [, stream = '', percentile = '', operator = '<', limit = ''] = match
  if (!(sloStreams as readonly string[]).includes(stream)) throw new TelcobenchError('TB_USAGE', `--slo '${text}': unknown latency stream '${stream}'`, { fix })
  if (percentiles[percentile] === undefined) throw new TelcobenchError('TB_USAGE', `--slo '${text}': p${percentile} is not a percentile results.json carries`, { fix })
  return { text: text.trim(), stream, percentile: Number(percentile), operator: operator === '<=' ? '<=' : '<', limitMs: Number(limit) }
}

/** The SLO's percentile of a stream summary (null when the stream had no values). */
export function observedMs(slo: LatencySlo, summary: PercentileSummary | null | undefined): number | null {
  if (summary === null || summary === undefined) return null
  const key = percentiles[String(slo.percentile)]
  return key === undefined ? null : summary[key]
}

/** Whether an observed value meets the SLO; a stream with no values never does. */
export function sloHolds(slo: LatencySlo, observed: number | null): boolean {
  if (observed === null) return false
  return slo.operator === '<' ? observed < slo.limitMs : observed <= slo.limitMs
}
