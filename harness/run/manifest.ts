import { execFileSync } from 'node:child_process'
import { cpus, totalmem, platform, release } from 'node:os'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Manifest, Producer } from '../results/index.ts'
import { packageVersion } from '../install/index.ts'
import { pipelinesDir, repoRoot } from '../runtime/paths.ts'

function gitSha(): string {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: repoRoot, encoding: 'utf8' }).trim()
  } catch {
    return 'unknown'
  }
}

function gitDirty(): boolean {
  try {
    return execFileSync('git', ['status', '--porcelain'], { cwd: repoRoot, encoding: 'utf8' }).trim() !== ''
  } catch {
    return false
  }
}

function pomProperty(name: string): string {
  const pom = readFileSync(join(pipelinesDir, 'pom.xml'), 'utf8')
  return new RegExp(`<${name}>([^<]+)</${name}>`).exec(pom)?.[1] ?? 'unknown'
}

/** Which telcobench is running: package version, git sha and whether the tree had uncommitted changes. */
export function producer(): Producer {
  return { version: packageVersion(), git_sha: gitSha(), dirty: gitDirty() }
}

/** Versions and machine facts every result carries (docs/design.md "Measuring"). */
export function environmentManifest(javaVersion: string): Pick<Manifest, 'versions' | 'machine' | 'clock'> {
  return {
    versions: { node: process.version, java: javaVersion, kafka: pomProperty('kafka.version'), spark: pomProperty('spark.version'), scala: pomProperty('scala.version') },
    machine: { cores: cpus().length, cpu_model: cpus()[0]?.model ?? 'unknown', memory_bytes: totalmem(), platform: platform(), kernel: release() },
    clock: 'CLOCK_MONOTONIC shared by Node process.hrtime.bigint() and Java System.nanoTime() (same host)',
  }
}
