import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { TelcobenchError } from '../errors.ts'
import { cassandraClasspathFile, flinkClasspathFile, flinkJobJar, jvmBuildStampFile as buildStampFile, kafkaClasspathFile, pipelinesDir, sparkClasspathFile, sparkJobJar } from './paths.ts'

function writeBuildStamp(): void {
  mkdirSync(dirname(buildStampFile), { recursive: true })
  writeFileSync(buildStampFile, `${new Date().toISOString()}\n`)
}

/** Newest modification time under `dir` (recursive), 0 when it does not exist. */
function newestMtime(dir: string): number {
  if (!existsSync(dir)) return 0
  const stat = statSync(dir)
  if (!stat.isDirectory()) return stat.mtimeMs
  let newest = stat.mtimeMs
  for (const entry of readdirSync(dir)) {
    if (entry === 'target') continue
    newest = Math.max(newest, newestMtime(join(dir, entry)))
  }
  return newest
}

function mtimeOf(file: string): number {
  return existsSync(file) ? statSync(file).mtimeMs : 0
}

/** True when the classpath files and the job jars exist and are newer than every pom and source. */
export function jvmArtifactsFresh(): boolean {
  const sources = Math.max(
    mtimeOf(join(pipelinesDir, 'pom.xml')),
    mtimeOf(join(pipelinesDir, 'kafka', 'pom.xml')),
    mtimeOf(join(pipelinesDir, 'spark', 'pom.xml')),
    mtimeOf(join(pipelinesDir, 'cassandra', 'pom.xml')),
    newestMtime(join(pipelinesDir, 'spark', 'src', 'main')),
    mtimeOf(join(pipelinesDir, 'flink', 'pom.xml')),
    // The Flink job also compiles the engine-neutral logic under spark/src/main (counted above).
    newestMtime(join(pipelinesDir, 'flink', 'src', 'main')),
  )
  // Maven leaves unchanged outputs untouched, so their mtimes say nothing: a stamp marks the last good build.
  const present = [kafkaClasspathFile, sparkClasspathFile, sparkJobJar, flinkClasspathFile, flinkJobJar, cassandraClasspathFile].every((f) => existsSync(f))
  return present && mtimeOf(buildStampFile) >= sources
}

async function runMaven(args: string[], log: (line: string) => void): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('mvn', args, { cwd: pipelinesDir, stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    const collect = (chunk: Buffer): void => {
      output += chunk.toString('utf8')
      if (output.length > 200_000) output = output.slice(-100_000)
    }
    child.stdout.on('data', collect)
    child.stderr.on('data', collect)
    const ticker = setInterval(() => {
      log('  … still resolving/building with Maven')
    }, 30_000)
    child.on('error', (error) => {
      clearInterval(ticker)
      reject(
        new TelcobenchError('TB_INFRA_UNAVAILABLE', 'Maven (mvn) was not found on PATH', {
          cause: error,
          fix: 'install Maven 3.8+ (apt-get install maven) so telcobench can resolve the Kafka, Spark and Flink jars',
        }),
      )
    })
    child.on('exit', (code) => {
      clearInterval(ticker)
      resolve({ code: code ?? 1, output })
    })
  })
}

/** The last [ERROR] line of a Maven log: the one that names what failed. */
export function mavenFailureLine(output: string): string {
  const lines = output.replace(/\u001b\[[0-9;]*m/g, '').split('\n')
  const errors = lines.filter((l) => l.includes('[ERROR]') && l.replace('[ERROR]', '').trim().length > 0)
  const first = errors[0] ?? lines.filter((l) => l.trim() !== '').slice(-1)[0] ?? 'unknown failure'
  return first.replace('[ERROR] ', '').trim().slice(0, 400)
}

/** True when Maven got its jars but the job sources do not compile (retrying online cannot help). */
export function isCompileFailure(output: string): boolean {
  return /\.(scala|java):\d+: /.test(output) || output.includes('COMPILATION ERROR')
}

function compileFailure(output: string): TelcobenchError {
  return new TelcobenchError('TB_INFRA_UNAVAILABLE', `the Spark or Flink job sources do not compile: ${mavenFailureLine(output)}`, {
    fix: 'fix the Scala error above (see `mvn -f pipelines/pom.xml -o package` for the full log), then run again',
  })
}

/**
 * Makes sure the Kafka, Spark and Flink classpaths and the two job jars exist and are current.
 * The first run downloads ~500 MB from Maven Central; later runs build offline.
 */
export async function ensureJvmArtifacts(log: (line: string) => void = console.error, force = false): Promise<void> {
  if (!force && jvmArtifactsFresh()) return
  const goals = ['-B', '-q', '-Dstyle.color=never', '-DskipTests', 'package']
  const offline = await runMaven(['-o', ...goals], log)
  if (offline.code === 0) {
    writeBuildStamp()
    return
  }
  if (isCompileFailure(offline.output)) throw compileFailure(offline.output)
  log('Resolving Kafka 4, Spark 4 and Cassandra 5 jars with Maven and building the Spark jobs (first run only, ~500 MB) …')
  let last = offline
  for (let attempt = 1; attempt <= 3; attempt++) {
    last = await runMaven(goals, log)
    if (last.code === 0) {
      writeBuildStamp()
      return
    }
    if (isCompileFailure(last.output)) throw compileFailure(last.output)
    if (attempt < 3) {
      log(`  Maven attempt ${attempt} failed (${mavenFailureLine(last.output)}); retrying`)
      await new Promise((r) => setTimeout(r, retryDelayMs))
    }
  }
  throw new TelcobenchError('TB_INFRA_UNAVAILABLE', `Maven could not resolve or build the JVM pipelines: ${mavenFailureLine(last.output)}`, {
    fix: 'check network access to Maven Central (or a mirror in ~/.m2/settings.xml), then run `npm run jvm:resolve`',
  })
}

/** Pause between Maven attempts (a registry hiccup often clears in seconds). */
export let retryDelayMs = 5_000
/** Tests shorten the pause. */
export function setRetryDelayMs(ms: number): void {
  retryDelayMs = ms
}

/** Reads a classpath file written by maven-dependency-plugin (one line, ':'-separated). */
export function readClasspath(file: string): string {
  if (!existsSync(file)) {
    throw new TelcobenchError('TB_INFRA_UNAVAILABLE', `Maven classpath file ${file} is missing`, {
      fix: 'run `npm run jvm:resolve`',
    })
  }
  return readFileSync(file, 'utf8').trim()
}
