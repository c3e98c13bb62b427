import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { detectJava, parseJavaVersion, sparkGcAndUserFlags } from './java.ts'

const dirs: string[] = []
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

/** A JAVA_HOME whose bin/java prints the given `java -version` text. */
function fakeJavaHome(versionLine: string): string {
  const home = mkdtempSync(join(tmpdir(), 'telcobench-fake-java-'))
  dirs.push(home)
  mkdirSync(join(home, 'bin'))
  writeFileSync(join(home, 'bin', 'java'), `#!/bin/sh\necho '${versionLine}' >&2\n`)
  chmodSync(join(home, 'bin', 'java'), 0o755)
  return home
}

describe('java detection', () => {
  it('parses modern and legacy version strings', () => {
    expect(parseJavaVersion('openjdk version "17.0.15" 2025-04-15')).toEqual({ version: '17.0.15', major: 17 })
    expect(parseJavaVersion('java version "1.8.0_392"')).toEqual({ version: '1.8.0_392', major: 8 })
    expect(parseJavaVersion('openjdk version "25" 2025-09-16')).toEqual({ version: '25', major: 25 })
    expect(parseJavaVersion('garbage')).toBeNull()
  })

  it('names the cause and the fix when Java is missing', async () => {
    await expect(detectJava({ JAVA_HOME: '/nonexistent/jdk' })).rejects.toMatchObject({ code: 'TB_INFRA_UNAVAILABLE', message: expect.stringContaining('Java was not found') as unknown, fix: expect.stringContaining('JDK 17') as unknown })
  })

  it('refuses a Java older than 17', async () => {
    const home = fakeJavaHome('openjdk version "11.0.22" 2024-01-16')
    await expect(detectJava({ JAVA_HOME: home })).rejects.toMatchObject({ code: 'TB_INFRA_UNAVAILABLE', message: expect.stringContaining('Java 11.0.22 is too old') as unknown })
  })

  it('accepts Java 17', async () => {
    const home = fakeJavaHome('openjdk version "17.0.15" 2025-04-15')
    await expect(detectJava({ JAVA_HOME: home })).resolves.toMatchObject({ major: 17 })
  })
})

describe('Spark JVM options (spark.jvmOptions)', () => {
  it('keeps G1 with its 20 ms target and puts the user options after it, so a repeated flag is theirs', () => {
    expect(sparkGcAndUserFlags()).toEqual(['-XX:+UseG1GC', '-XX:MaxGCPauseMillis=20'])
    expect(sparkGcAndUserFlags(['-XX:MaxGCPauseMillis=200', '-Xmn256m'])).toEqual(['-XX:+UseG1GC', '-XX:MaxGCPauseMillis=20', '-XX:MaxGCPauseMillis=200', '-Xmn256m'])
  })

  it('drops the G1 flags when the options name a collector of their own, which the JVM would refuse beside it', () => {
    expect(sparkGcAndUserFlags(['-XX:+UseZGC'])).toEqual(['-XX:+UseZGC'])
    expect(sparkGcAndUserFlags(['-XX:+UseShenandoahGC', '-XX:ShenandoahGCHeuristics=compact'])).toEqual(['-XX:+UseShenandoahGC', '-XX:ShenandoahGCHeuristics=compact'])
    expect(sparkGcAndUserFlags(['-XX:-UseAdaptiveSizePolicy'])).toEqual(['-XX:+UseG1GC', '-XX:MaxGCPauseMillis=20', '-XX:-UseAdaptiveSizePolicy'])
  })
})
