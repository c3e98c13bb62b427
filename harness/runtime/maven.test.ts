import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { ensureJvmArtifacts, mavenFailureLine, setRetryDelayMs } from './maven.ts'

const originalPath = process.env['PATH']
afterEach(() => {
  process.env['PATH'] = originalPath
})

describe('Maven resolution', () => {
  it('keeps the [ERROR] line that names what failed', () => {
    const log = '[INFO] Scanning\n\u001b[1;31m[ERROR]\u001b[m Failed to execute goal on project telcobench-spark: Could not resolve dependencies\n[ERROR] \n[ERROR] -> [Help 1]'
    expect(mavenFailureLine(log)).toContain('Could not resolve dependencies')
  })

  it('fails with one clear line after retrying when Maven cannot resolve the jars', async () => {
    const bin = mkdtempSync(join(tmpdir(), 'telcobench-fake-mvn-'))
    try {
      writeFileSync(join(bin, 'mvn'), '#!/bin/sh\necho "[ERROR] Failed to execute goal: Could not transfer artifact org.apache.spark:spark-core_2.13:4.1.1 from central: Network is unreachable"\nexit 1\n')
      chmodSync(join(bin, 'mvn'), 0o755)
      process.env['PATH'] = `${bin}:${originalPath ?? ''}`
      setRetryDelayMs(1)
      const lines: string[] = []
      await expect(ensureJvmArtifacts((l) => lines.push(l), true)).rejects.toMatchObject({
        code: 'TB_INFRA_UNAVAILABLE',
        message: expect.stringContaining('Network is unreachable') as unknown,
        fix: expect.stringContaining('npm run jvm:resolve') as unknown,
      })
      expect(lines.filter((l) => l.includes('retrying'))).toHaveLength(2)
    } finally {
      rmSync(bin, { recursive: true, force: true })
    }
  })

  it('does not retry online when the Spark sources do not compile, and says so', async () => {
    const bin = mkdtempSync(join(tmpdir(), 'telcobench-fake-mvn-'))
    try {
      writeFileSync(join(bin, 'mvn'), '#!/bin/sh\necho "[ERROR] /p/pipelines/spark/src/main/scala/telcobench/spark/BatchApp.scala:77: type mismatch;"\nexit 1\n')
      chmodSync(join(bin, 'mvn'), 0o755)
      process.env['PATH'] = `${bin}:${originalPath ?? ''}`
      const lines: string[] = []
      await expect(ensureJvmArtifacts((l) => lines.push(l), true)).rejects.toMatchObject({
        message: expect.stringContaining('do not compile: /p/pipelines/spark/src/main/scala/telcobench/spark/BatchApp.scala:77: type mismatch') as unknown,
        fix: expect.stringContaining('fix the Scala error') as unknown,
      })
      expect(lines).toHaveLength(0)
    } finally {
      rmSync(bin, { recursive: true, force: true })
    }
  })

  it('says Maven is missing when mvn is not on PATH', async () => {
    process.env['PATH'] = '/nonexistent'
    await expect(ensureJvmArtifacts(() => undefined, true)).rejects.toMatchObject({ message: expect.stringContaining('Maven (mvn) was not found') as unknown })
  })
})
