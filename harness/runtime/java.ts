import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { TelcobenchError } from '../errors.ts'

/** The java launcher to use and its major version. */
export interface JavaInfo {
  bin: string
  version: string
  major: number
}

/** Parses the first line of `java -version` output ("openjdk version "17.0.15" ..."). */
export function parseJavaVersion(output: string): { version: string; major: number } | null {
  const match = /version "([^"]+)"/.exec(output)
  const version = match?.[1]
  if (version === undefined) return null
  const parts = version.split(/[.+-]/)
  const first = Number(parts[0])
  const major = first === 1 ? Number(parts[1]) : first
  return Number.isFinite(major) ? { version, major } : null
}

/** Finds java (JAVA_HOME first, then PATH) and checks it is 17 or newer. */
export async function detectJava(env: NodeJS.ProcessEnv = process.env): Promise<JavaInfo> {
  const bin = env['JAVA_HOME'] !== undefined && env['JAVA_HOME'] !== '' ? join(env['JAVA_HOME'], 'bin', 'java') : 'java'
  const output = await new Promise<string>((resolve, reject) => {
    execFile(bin, ['-version'], { timeout: 30_000 }, (error, stdout, stderr) => {
      if (error !== null) {
        reject(new Error(error.message))
        return
      }
      resolve(`${stderr}${stdout}`)
    })
  }).catch((error: unknown) => {
    throw new TelcobenchError('TB_INFRA_UNAVAILABLE', `Java was not found (tried ${bin})`, {
      cause: error,
      fix: 'install a JDK 17 or newer (apt-get install openjdk-17-jdk-headless) or set JAVA_HOME to one',
    })
  })
  const parsed = parseJavaVersion(output)
  if (parsed === null) {
    throw new TelcobenchError('TB_INFRA_UNAVAILABLE', `could not read the Java version from "${bin} -version"`, {
      fix: 'set JAVA_HOME to a JDK 17 or newer',
    })
  }
  if (parsed.major < 17) {
    throw new TelcobenchError('TB_INFRA_UNAVAILABLE', `Java ${parsed.version} is too old: Kafka 4 and Spark 4 need Java 17 or newer`, {
      fix: 'install a JDK 17+ (apt-get install openjdk-17-jdk-headless) and put it on PATH or in JAVA_HOME',
    })
  }
  return { bin, ...parsed }
}

/**
 * The code cache of a Spark JVM. With C1 only (-XX:TieredStopAtLevel=1) HotSpot sizes it at 48 MB, and Spark fills
 * that with the classes it generates and compiles while queries run: in 17 of 20 fraud-wave runs the driver logged
 * "CodeCache is full. Compiler has been disabled" 75–110 s into the load, and every method that became hot after
 * that ran in the interpreter for the rest of the run (docs/spark-pipelines.md "Warm-up and JIT"). 240 MB is
 * HotSpot's own size with tiered compilation; only the part in use is committed. At exit the JVM prints the cache's
 * size and its highest use into the Spark log, so a run shows how much room was left.
 */
export const sparkCodeCacheFlags: readonly string[] = ['-XX:ReservedCodeCacheSize=240m', '-XX:+PrintCodeCache']

/**
 * The GC-log flag of every JVM the harness starts (brokers, Spark, Cassandra): each line stamped with the wall-clock
 * time as well as the JVM's uptime, so a pause can be set against the run's timeline.
 */
export function gcLogFlag(file: string): string {
  return `-Xlog:gc*:file=${file}:utctime,uptime,level,tags`
}

/**
 * The collector of every Spark JVM the harness starts (streaming job, batch baseline, training): G1 with a 20 ms
 * pause target. With G1's default 200 ms target the young generation grew past a gigabyte and a real-time-mode run
 * paused for 60–300 ms 15–20 times, each pause the tail of `to_engine`; with 20 ms the longest pause was 78 ms and
 * `to_engine`'s p99 halved, while fraud-wave's micro-batches showed no difference (docs/spark-pipelines.md "JVM and
 * garbage collector").
 */
export const sparkCollectorFlags: readonly string[] = ['-XX:+UseG1GC', '-XX:MaxGCPauseMillis=20']

/**
 * The collector flags and the user's JVM options (scenario `spark.jvmOptions`, given to the streaming job only) of a
 * Spark JVM, in launch order. Options that name a collector of their own (`-XX:+UseZGC`, …) replace telcobench's G1
 * flags, because the JVM refuses to start with two collectors. The user's options come last so that, for any flag
 * given twice, theirs wins.
 */
export function sparkGcAndUserFlags(jvmOptions: readonly string[] = []): string[] {
  const namesCollector = jvmOptions.some((option) => /^-XX:\+Use\w+GC$/.test(option))
  return [...(namesCollector ? [] : sparkCollectorFlags), ...jvmOptions]
}

/** The module-opening flags Spark needs when it is launched with plain `java` (spark-submit adds them itself). */
export const sparkJvmFlags: readonly string[] = [
  '-XX:+IgnoreUnrecognizedVMOptions',
  '--add-modules=jdk.incubator.vector',
  ...[
    'java.base/java.lang',
    'java.base/java.lang.invoke',
    'java.base/java.lang.reflect',
    'java.base/java.io',
    'java.base/java.net',
    'java.base/java.nio',
    'java.base/java.util',
    'java.base/java.util.concurrent',
    'java.base/java.util.concurrent.atomic',
    'java.base/jdk.internal.ref',
    'java.base/sun.nio.ch',
    'java.base/sun.nio.cs',
    'java.base/sun.security.action',
    'java.base/sun.util.calendar',
    'java.security.jgss/sun.security.krb5',
  ].map((pkg) => `--add-opens=${pkg}=ALL-UNNAMED`),
  '-Dio.netty.tryReflectionSetAccessible=true',
  '--enable-native-access=ALL-UNNAMED',
]
