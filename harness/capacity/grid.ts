import { TelcobenchError } from '../errors.ts'

/**
 * `--vary knob=v1,v2,...`: the grid of configurations a capacity search measures, each a set of scenario
 * overrides (`--set`) and runtime settings. The named knobs are the planner's; any dotted scenario key
 * (`pipeline.guarantee`, `measurement.warmup`) is passed as a `--set` too.
 */
export interface Configuration {
  /** `trigger=1s partitions=4`, or `default` for an empty grid. */
  label: string
  settings: Record<string, string>
  overrides: string[]
  /** Embedded Spark `local[N]` task threads, when the grid varies `cores`. */
  sparkThreads?: number
  /** Micro-batch trigger interval in ms; null in real-time mode; undefined when the scenario's own trigger stands. */
  triggerIntervalMs?: number | null
}

interface Knob {
  describe: string
  /** Numeric knobs are resources a scalability model can be fitted over. */
  resource: boolean
  apply: (value: string, config: Configuration) => void
}

const intervalMs = (text: string): number | null => {
  const m = /^(\d+(?:\.\d+)?)(ms|s)$/.exec(text)
  if (m === null) return null
  return Number(m[1]) * (m[2] === 's' ? 1000 : 1)
}

const positiveInteger = (knob: string, value: string): number => {
  const n = Number(value)
  if (!Number.isInteger(n) || n < 1) throw new TelcobenchError('TB_USAGE', `--vary ${knob}=${value}: ${knob} takes whole numbers from 1`, { fix: `e.g. --vary ${knob}=1,2,4` })
  return n
}

export const knobs: Record<string, Knob> = {
  trigger: {
    describe: 'micro-batch interval (500ms, 1s, …) or realtime (Spark real-time mode, checkpoint every 5s)',
    resource: false,
    apply: (value, c) => {
      if (value === 'realtime' || value === 'real-time') {
        c.overrides.push('pipeline.trigger={ kind: real-time, checkpointInterval: 5s }')
        c.triggerIntervalMs = null
        return
      }
      const ms = intervalMs(value)
      if (ms === null || ms <= 0) throw new TelcobenchError('TB_USAGE', `--vary trigger=${value}: not an interval or realtime`, { fix: 'e.g. --vary trigger=500ms,1s,realtime' })
      c.overrides.push(`pipeline.trigger={ kind: processing-time, interval: ${value} }`)
      c.triggerIntervalMs = ms
    },
  },
  partitions: {
    describe: 'partitions of every topic',
    resource: true,
    apply: (value, c) => {
      c.overrides.push(`pipeline.partitions=${positiveInteger('partitions', value)}`)
    },
  },
  cores: {
    describe: 'Spark task threads (local[N]) of the embedded runtime',
    resource: true,
    apply: (value, c) => {
      c.sparkThreads = positiveInteger('cores', value)
    },
  },
  executors: {
    describe: 'executors of a Spark standalone cluster on the local runtime (spark.mode standalone, one worker each; spark.executorCores cores each)',
    resource: true,
    apply: (value, c) => {
      c.overrides.push('spark.mode=standalone', `spark.workers=${positiveInteger('executors', value)}`)
    },
  },
  guarantee: {
    describe: 'at-least-once or exactly-once',
    resource: false,
    apply: (value, c) => {
      c.overrides.push(`pipeline.guarantee=${value}`)
    },
  },
  replication: {
    describe: 'replication factor of the run\'s topics (cluster.replicationFactor; the local runtime needs cluster.brokers at least as many)',
    resource: false,
    apply: (value, c) => {
      c.overrides.push(`cluster.replicationFactor=${positiveInteger('replication', value)}`)
    },
  },
  'min-insync': {
    describe: 'min.insync.replicas of the run\'s topics (cluster.minInsyncReplicas)',
    resource: false,
    apply: (value, c) => {
      c.overrides.push(`cluster.minInsyncReplicas=${positiveInteger('min-insync', value)}`)
    },
  },
  acks: {
    describe: 'the generator producers\' acks: all (idempotent) or 1 (leader only)',
    resource: false,
    apply: (value, c) => {
      if (value !== 'all' && value !== '1') throw new TelcobenchError('TB_USAGE', `--vary acks=${value}: acks is all or 1`, { fix: 'e.g. --vary acks=all,1 (acks 0 is not offered: the accounting starts from what the broker acknowledged)' })
      c.overrides.push(`load.producer.acks=${value}`)
    },
  },
  linger: {
    describe: 'the generator producers\' linger.ms (0ms, 5ms, 20ms, …)',
    resource: false,
    apply: (value, c) => {
      const ms = intervalMs(value)
      if (ms === null || !Number.isInteger(ms)) throw new TelcobenchError('TB_USAGE', `--vary linger=${value}: not a whole number of milliseconds`, { fix: 'e.g. --vary linger=0ms,5ms,20ms' })
      c.overrides.push(`load.producer.lingerMs=${ms}`)
    },
  },
  skew: {
    describe: 'share of subscribers whose usage records all land on one partition (load.hotPartitionShare, 0 to 1)',
    resource: false,
    apply: (value, c) => {
      const share = Number(value)
      if (value === '' || !Number.isFinite(share) || share < 0 || share > 1) throw new TelcobenchError('TB_USAGE', `--vary skew=${value}: skew is a share from 0 to 1`, { fix: 'e.g. --vary skew=0,0.2,0.5' })
      c.overrides.push(`load.hotPartitionShare=${share}`)
    },
  },
  compression: {
    describe: 'compression of the generator producers\' batches: none or gzip',
    resource: false,
    apply: (value, c) => {
      c.overrides.push(`load.producer.compression=${value}`)
    },
  },
}

/** Parses the `--vary` flags into knob → values, in the order given; refuses unknown knobs and repeated ones. */
export function parseVary(flags: readonly string[]): Record<string, string[]> {
  const vary: Record<string, string[]> = {}
  for (const flag of flags) {
    const eq = flag.indexOf('=')
    const knob = flag.slice(0, eq).trim()
    const values = flag.slice(eq + 1).split(',').map((v) => v.trim()).filter((v) => v !== '')
    if (eq < 1 || values.length === 0) throw new TelcobenchError('TB_USAGE', `--vary '${flag}' is not knob=value[,value…]`, { fix: 'e.g. --vary trigger=1s,realtime --vary partitions=4,8' })
    if (knobs[knob] === undefined && !knob.includes('.')) {
      throw new TelcobenchError('TB_USAGE', `--vary ${knob}: no such knob`, { fix: `use one of ${Object.entries(knobs).map(([k, d]) => `${k} (${d.describe})`).join('; ')}; or a dotted scenario key such as pipeline.guarantee` })
    }
    if (vary[knob] !== undefined) throw new TelcobenchError('TB_USAGE', `--vary ${knob} is given twice`, { fix: `list every value once: --vary ${knob}=${[...vary[knob], ...values].join(',')}` })
    vary[knob] = values
  }
  return vary
}

/** Every combination of the grid's values (the first knob varies slowest). */
export function configurations(vary: Record<string, string[]>): Configuration[] {
  let grid: Record<string, string>[] = [{}]
  for (const [knob, values] of Object.entries(vary)) grid = grid.flatMap((settings) => values.map((v) => ({ ...settings, [knob]: v })))
  return grid.map((settings) => {
    const entries = Object.entries(settings)
    const config: Configuration = { label: entries.length === 0 ? 'default' : entries.map(([k, v]) => `${k}=${v}`).join(' '), settings, overrides: [] }
    for (const [knob, value] of entries) {
      const known = knobs[knob]
      if (known !== undefined) known.apply(value, config)
      else config.overrides.push(`${knob}=${value}`)
    }
    return config
  })
}

/** The knobs of the grid a scalability model can be fitted over (numeric resources with at least three values). */
export function resourceKnobs(vary: Record<string, string[]>): string[] {
  return Object.entries(vary).filter(([knob, values]) => knobs[knob]?.resource === true && values.length >= 3).map(([knob]) => knob)
}
