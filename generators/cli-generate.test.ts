import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { generateToFiles } from './cli-generate.ts'
import { GenerateInputError } from './scenario/input-error.ts'

const dirs: string[] = []
async function tempDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'tb-generate-'))
  dirs.push(d)
  return d
}
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })))
})

const ciSmoke = new URL('../scenarios/ci-smoke.yaml', import.meta.url).pathname

describe('generateToFiles', () => {
  it('writes one JSON line per event and the truth files, identical on a second run', async () => {
    const a = await tempDir()
    const result = await generateToFiles(ciSmoke, { outDir: a })
    expect(result.files).toContain('events.jsonl')
    const lines = (await readFile(join(a, 'events.jsonl'), 'utf8')).trimEnd().split('\n')
    expect(lines.length).toBe(result.events)
    const first = JSON.parse(lines[0] ?? '') as { topic: string; key: string; sendOffsetNs: number; value: string }
    expect(Object.keys(first)).toEqual(['topic', 'key', 'sendOffsetNs', 'value'])
    const summary = JSON.parse(await readFile(join(a, 'truth', 'summary.jsonl'), 'utf8')) as { events: number }
    expect(summary.events).toBe(result.events)

    const b = await tempDir()
    await generateToFiles(ciSmoke, { outDir: b })
    for (const f of result.files) expect(await readFile(join(b, f), 'utf8'), f).toBe(await readFile(join(a, f), 'utf8'))
  })

  it('refuses an invalid scenario with its formatted issues', async () => {
    const d = await tempDir()
    const bad = join(d, 'bad.yaml')
    await writeFile(bad, 'version: 2\n')
    const error = await generateToFiles(bad, { outDir: d }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(GenerateInputError)
    expect((error as GenerateInputError).issues.join('\n')).toMatch(/bad\.yaml:1:10 {2}version/)
  })
})
