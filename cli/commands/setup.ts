import { detectJava, ensureJvmArtifacts } from '../../harness/runtime/index.ts'

/** `telcobench setup` (npm run jvm:resolve): Java check, Maven resolution and the Spark jobs jar. */
export async function setupCommand(): Promise<number> {
  const java = await detectJava()
  console.error(`Java ${java.version} (${java.bin})`)
  await ensureJvmArtifacts()
  console.error('Kafka and Spark classpaths and the Spark jobs jar are ready (pipelines/*/target)')
  return 0
}
