import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { dockerUnavailableReason } from '../../harness/runtime/runtime.ts'
import { repoRoot, runCli } from '../helpers.ts'

const composeFile = join(repoRoot, 'docker-compose.yml')

/** `docker compose` (the plugin) or Debian's `docker-compose`; both check syntax without an engine. */
function composeCommand(): string[] | null {
  for (const command of [['docker', 'compose'], ['docker-compose']]) {
    try {
      execFileSync(command[0] ?? '', [...command.slice(1), 'version'], { stdio: 'pipe' })
      return command
    } catch {
      // try the next one
    }
  }
  return null
}

const engineReason = await dockerUnavailableReason()
const compose = composeCommand()
const pluginReason = compose === null ? 'neither the docker compose plugin nor docker-compose is installed' : null
if (engineReason !== null) console.log(`containers runtime tests skipped: ${engineReason}`)
if (pluginReason !== null) console.log(`docker compose syntax check skipped: ${pluginReason}`)

describe('containers runtime', () => {
  it('ships a compose file with a KRaft apache/kafka 4 broker and a Spark 4 image', () => {
    const compose = parse(readFileSync(composeFile, 'utf8')) as { services: Record<string, { image: string; environment?: Record<string, unknown> }> }
    expect(compose.services['kafka']?.image).toMatch(/^apache\/kafka:4\./)
    expect(compose.services['kafka']?.environment?.['KAFKA_PROCESS_ROLES']).toBe('broker,controller')
    expect(compose.services['spark']?.image).toMatch(/^apache\/spark:4\./)
  })

  it.skipIf(pluginReason !== null)('docker compose accepts the compose file', () => {
    const [command, ...args] = compose ?? []
    execFileSync(command ?? 'docker', [...args, '-f', composeFile, 'config', '-q'], { stdio: 'pipe' })
  })

  it.skipIf(engineReason === null)('without a Docker engine, --runtime containers stops at once with exit 3 and one clear line', async () => {
    const r = await runCli(['run', 'test/fixtures/small.yaml', '--runtime', 'containers', '--results', '/tmp/telcobench-never'])
    expect(r.exitCode).toBe(3)
    expect(r.stderr).toContain('telcobench: the containers runtime needs Docker')
  })

  it.skipIf(engineReason !== null)('runs the small scenario on Kafka in Docker', async () => {
    const r = await runCli(['run', 'test/fixtures/small.yaml', '--runtime', 'containers', '--no-batch'])
    expect(r.exitCode).toBe(0)
  })
})
