import { InvalidArgumentError } from '@commander-js/extra-typings'
import { MAX_GENERATOR_WORKERS } from '../generators/scenario/index.ts'

/** A generator shard: 0-based index of `count` shards. */
export interface ShardOption {
  index: number
  count: number
}

/** Parses `--shard i/n` (1-based on the command line, 0-based for the generators); commander reports a throw as a usage error. */
export function parseShard(text: string): ShardOption {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim())
  const i = Number(m?.[1])
  const n = Number(m?.[2])
  if (m === null || n < 1 || i < 1 || i > n) {
    throw new InvalidArgumentError('Write i/n with 1 ≤ i ≤ n, e.g. --shard 2/3 for the second of three shards')
  }
  return { index: i - 1, count: n }
}

/** The most runs `--repeat` takes (harness/sets maxRepeat; repeated here so --help loads no harness). */
const maxRepeat = 100

/** Parses `--repeat N`: a whole number of runs from 1 to 100. */
export function parseRepeat(text: string): number {
  const n = Number(text)
  if (!/^\d+$/.test(text.trim()) || n < 1 || n > maxRepeat) {
    throw new InvalidArgumentError(`Write a whole number of runs from 1 to ${maxRepeat}, e.g. --repeat 5`)
  }
  return n
}

/** Parses `--generator-workers`: worker threads producing the load, 1..MAX_GENERATOR_WORKERS. */
export function parseGeneratorWorkers(text: string): number {
  const n = Number(text)
  if (!/^\d+$/.test(text.trim()) || n < 1 || n > MAX_GENERATOR_WORKERS) {
    throw new InvalidArgumentError(`Write a whole number of worker threads from 1 to ${MAX_GENERATOR_WORKERS}, e.g. --generator-workers 2 (more than the machine's cores only slows the load)`)
  }
  return n
}

/** Parses `--port`: a TCP port 1..65535. */
export function parsePort(text: string): number {
  const port = Number(text)
  if (!/^\d+$/.test(text.trim()) || !Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new InvalidArgumentError('Write a port number from 1 to 65535, e.g. --port 9092')
  }
  return port
}

/** Parses `--bootstrap host:port[,host:port]` into its servers. */
export function parseBootstrap(text: string): string[] {
  const servers = text.split(',').map((s) => s.trim())
  const bad = servers.find((s) => !/^(\[[0-9a-fA-F:]+\]|[^\s:[\]]+):\d{1,5}$/.test(s))
  if (bad !== undefined) throw new InvalidArgumentError(`"${bad}" is not host:port; write e.g. --bootstrap kafka1:9092,kafka2:9092`)
  return servers
}

/** Parses `--cassandra host:port`: one CQL contact point. */
export function parseContactPoint(text: string): string {
  const point = text.trim()
  if (!/^(\[[0-9a-fA-F:]+\]|[^\s:[\],]+):\d{1,5}$/.test(point)) throw new InvalidArgumentError(`"${text}" is not host:port; write e.g. --cassandra 10.0.0.5:9042`)
  return point
}

/** Parses `--confidence`: a level such as 0.95 or 0.99, between 0.5 and 1 (exclusive). */
export function parseConfidence(text: string): number {
  const level = Number(text)
  if (!/^\s*0?\.\d+\s*$/.test(text) || !(level >= 0.5 && level < 1)) throw new InvalidArgumentError('Write a confidence level between 0.5 and 1, e.g. --confidence 0.95 or --confidence 0.99')
  return level
}

/** Parses a count such as `--resamples 2000`: a whole number ≥ 1. */
export function parsePositiveInteger(text: string): number {
  const n = Number(text)
  if (!/^\s*\d+\s*$/.test(text) || !Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError('Write a whole number of at least 1, e.g. 2000')
  return n
}

/** Parses `--seed`: a whole number from 0 to 2^32 − 1. */
export function parseSeed(text: string): number {
  const n = Number(text)
  if (!/^\s*\d+\s*$/.test(text) || !Number.isSafeInteger(n) || n > 0xffffffff) throw new InvalidArgumentError('Write a whole number from 0 to 4294967295, e.g. --seed 7')
  return n
}

/** Parses a positive amount such as `--max-rate 20000` or `--resolution 0.1`. */
export function parsePositiveNumber(text: string): number {
  const n = Number(text)
  if (!/^\s*\d*\.?\d+\s*$/.test(text) || !(n > 0) || !Number.isFinite(n)) throw new InvalidArgumentError('Write a number above 0, e.g. 20000 or 0.1')
  return n
}
