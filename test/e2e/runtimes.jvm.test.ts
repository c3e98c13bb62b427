import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, inject, it } from 'vitest'
import { createKafkaClient } from '../../harness/kafka/index.ts'
import { readRun } from '../../harness/results/index.ts'
import { canConnect } from '../../harness/runtime/ports.ts'
import { repoRoot, runCli } from '../helpers.ts'

const resultsDir = mkdtempSync(join(tmpdir(), 'telcobench-runtimes-'))
afterAll(() => {
  rmSync(resultsDir, { recursive: true, force: true })
})

describe('runtimes', () => {
  it('external: runs against an existing broker, here with one Spark query for all three (queryLayout single), and removes its topics afterwards', async () => {
    const bootstrap = inject('kafkaBootstrap')
    const r = await runCli(['run', 'test/fixtures/small.yaml', '--runtime', 'external', '--bootstrap', bootstrap, '--no-batch', '--results', resultsDir, '--set', 'pipeline.queryLayout=single'])
    const runId = readdirSync(resultsDir)[0] ?? ''
    const { results, manifest } = readRun(join(resultsDir, runId))
    expect(manifest.runtime).toMatchObject({ kind: 'external', bootstrap: [bootstrap] })
    expect(results.accounting.lost).toBe(0)
    expect(results.accounting.unprocessed).toBe(0)
    expect(results.accounting.rated_once).toBeGreaterThan(1000)
    expect(results.billing?.exact_match_ratio).toBe(1)
    expect(Object.keys(results.engine)).toEqual(['rating+network+fraud'])
    expect([0, 1, 5]).toContain(r.exitCode)
    const admin = await createKafkaClient('platformatic', { bootstrap: [bootstrap], clientId: 'test' }).admin()
    const left = (await admin.listTopics()).filter((t) => t.startsWith(`tb.${runId}.`))
    await admin.close()
    expect(left).toEqual([])
  })

  it('up keeps a broker alive for later runs and down stops it', async () => {
    const up = await runCli(['up'])
    expect(up.exitCode).toBe(0)
    const stateFile = join(repoRoot, '.telcobench', 'runtime.json')
    const state = JSON.parse(readFileSync(stateFile, 'utf8')) as { pid: number; bootstrap: string }
    const [host, port] = state.bootstrap.split(':')
    expect(await canConnect(host ?? '', Number(port))).toBe(true)
    const again = await runCli(['up'])
    expect(again.stderr).toContain('already up')
    const down = await runCli(['down'])
    expect(down.exitCode).toBe(0)
    expect(await canConnect(host ?? '', Number(port))).toBe(false)
    expect(existsSync(stateFile)).toBe(false)
    expect(() => process.kill(state.pid, 0)).toThrow()
  })
})
