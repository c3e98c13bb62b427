import { execFileSync } from 'node:child_process'
import { cpus, totalmem, platform, release } from 'node:os'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { repoRoot, pipelinesDir } from '../runtime/paths.ts'

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

/** Versions and machine facts every result carries (docs/design.md "Measuring"). */
export function environmentManifest(javaVersion: string): Record<string, unknown> {
  const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }
  return {
    telcobench: { version: pkg.version, gitSha: gitSha(), dirty: gitDirty() },
    versions: { node: process.version, java: javaVersion, kafka: pomProperty('kafka.version'), spark: pomProperty('spark.version'), scala: pomProperty('scala.version') },
    machine: { cores: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', memoryBytes: totalmem(), platform: platform(), kernel: release() },
    clock: 'CLOCK_MONOTONIC shared by Node process.hrtime.bigint() and Java System.nanoTime() (same host)',
  }
}
