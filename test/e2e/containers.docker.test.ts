import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { dockerUnavailableReason } from '../../harness/runtime/containers.ts'
import { repoRoot, runCli, runInterruptedDuringLoad } from '../helpers.ts'

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

/** Containers labelled with a run id (the containers runtime labels its broker `org.telcobench.run`), any state. */
function containersOfRun(runId: string): string[] {
  const out = execFileSync('docker', ['ps', '-a', '-q', '--filter', `label=org.telcobench.run=${runId}`], { encoding: 'utf8' })
  return out.split('\n').filter((line) => line.trim() !== '')
}

const engineReason = await dockerUnavailableReason()
const compose = composeCommand()
const pluginReason = compose === null ? 'neither the docker compose plugin nor docker-compose is installed' : null
if (engineReason !== null) console.log(`containers runtime tests skipped: ${engineReason}`)
if (pluginReason !== null) console.log(`docker compose syntax check skipped: ${pluginReason}`)

const resultsDir = mkdtempSync(join(tmpdir(), 'telcobench-containers-'))
afterAll(() => {
  rmSync(resultsDir, { recursive: true, force: true })
})

/** The one run folder's name (its run id) under a results folder. */
function onlyRunId(out: string): string {
  const runs = readdirSync(out)
  expect(runs).toHaveLength(1)
  return runs[0] ?? ''
}

describe('containers runtime', () => {
  it.skipIf(pluginReason !== null)('docker compose accepts the compose file', () => {
    const [command, ...args] = compose ?? []
    execFileSync(command ?? 'docker', [...args, '-f', composeFile, 'config', '-q'], { stdio: 'pipe' })
  })

  it.skipIf(engineReason === null)('where it cannot run, --runtime containers stops before anything starts with exit 3 and says why', async () => {
    const never = join(resultsDir, 'never')
    const r = await runCli(['run', 'test/fixtures/small.yaml', '--runtime', 'containers', '--results', never])
    expect(r.exitCode).toBe(3)
    expect(r.stderr).toContain(`telcobench: the containers runtime cannot start: ${engineReason ?? ''}`)
    expect(existsSync(never)).toBe(false)
  })

  it.skipIf(engineReason !== null)('runs the quickstart end to end on Kafka in Docker and removes the container', async () => {
    const out = join(resultsDir, 'quickstart')
    const r = await runCli(['run', 'scenarios/quickstart.yaml', '--runtime', 'containers', '--results', out])
    expect(r.exitCode).toBe(0)
    const runId = onlyRunId(out)
    expect(existsSync(join(out, runId, 'logs', 'kafka.log'))).toBe(true)
    expect(containersOfRun(runId)).toEqual([])
  })

  it.skipIf(engineReason !== null)('Ctrl-C during the load stops the run with exit 130 and removes the container', async () => {
    const out = join(resultsDir, 'sigint')
    const r = await runInterruptedDuringLoad(['run', 'test/fixtures/small.yaml', '--runtime', 'containers', '--no-batch', '--results', out])
    expect(r.interrupted).toBe(true)
    expect(r.exitCode).toBe(130)
    expect(containersOfRun(onlyRunId(out))).toEqual([])
  })
})
