import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TestProject } from 'vitest/node'
import { detectJava } from '../harness/runtime/java.ts'
import { LocalKafkaBroker } from '../harness/runtime/kafka-broker.ts'
import { ensureJvmArtifacts } from '../harness/runtime/maven.ts'
import { stopAll } from '../harness/runtime/processes.ts'

declare module 'vitest' {
  export interface ProvidedContext {
    kafkaBootstrap: string
  }
}

/**
 * One real Kafka broker shared by every `*.jvm.test.ts` file (starting one per file would cost
 * seconds each on 2 cores). Tests that crash or restart a broker start their own.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const java = await detectJava()
  await ensureJvmArtifacts()
  const dir = mkdtempSync(join(tmpdir(), 'telcobench-test-kafka-'))
  const broker = new LocalKafkaBroker({ java, dir, logDir: join(dir, 'logs'), profile: 'functional' })
  try {
    await broker.start()
  } catch (error) {
    rmSync(dir, { recursive: true, force: true })
    throw error
  }
  project.provide('kafkaBootstrap', broker.bootstrap)
  return async () => {
    await broker.stop()
    await stopAll()
    rmSync(dir, { recursive: true, force: true })
  }
}
