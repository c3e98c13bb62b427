import { existsSync, readFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'
import { jvmBuildStampFile, kafkaClasspathFile, sparkClasspathFile, sparkJobJar } from '../harness/runtime/paths.ts'
import { repoRoot } from './helpers.ts'

// The Dockerfile's structure, checked without Docker (no hadolint package for this machine's Debian; no engine to
// build with): pinned multi-stage build, non-root runtime, the right files copied, nothing copied that the build
// context leaves out.

interface Instruction {
  keyword: string
  args: string
}

interface Stage {
  image: string
  name: string | null
  instructions: Instruction[]
}

/** The Dockerfile's instructions by stage (continuation lines joined, comments dropped). */
function stages(text: string): Stage[] {
  const logical = text
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('#'))
    .join('\n')
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
  const result: Stage[] = []
  for (const line of logical) {
    const [keyword = '', ...rest] = line.split(/\s+/)
    const args = rest.join(' ')
    if (keyword.toUpperCase() === 'FROM') {
      const [image = '', as, name] = args.split(' ')
      result.push({ image, name: as?.toUpperCase() === 'AS' ? (name ?? null) : null, instructions: [] })
      continue
    }
    result.at(-1)?.instructions.push({ keyword: keyword.toUpperCase(), args })
  }
  return result
}

/** A COPY's stage (null: the build context), sources and destination. */
function copyParts(args: string): { from: string | null; sources: string[]; dest: string } {
  const words = args.split(' ')
  const from = words.find((w) => w.startsWith('--from='))?.slice('--from='.length) ?? null
  const paths = words.filter((w) => !w.startsWith('--'))
  return { from, sources: paths.slice(0, -1), dest: paths.at(-1) ?? '' }
}

const dockerfile = stages(readFileSync(join(repoRoot, 'Dockerfile'), 'utf8'))
const runtimeStage = dockerfile.at(-1)
const stageNamed = (name: string): Stage | undefined => dockerfile.find((s) => s.name === name)
const copies = (stage: Stage | undefined): ReturnType<typeof copyParts>[] => (stage?.instructions ?? []).filter((i) => i.keyword === 'COPY').map((i) => copyParts(i.args))

/** What .dockerignore lets into the build context: it ignores everything (`*`) and allows listed paths back. */
function allowedByDockerignore(): string[] {
  const lines = readFileSync(join(repoRoot, '.dockerignore'), 'utf8').split('\n').map((l) => l.trim())
  expect(lines.filter((l) => l !== '' && !l.startsWith('#'))[0]).toBe('*')
  return lines.filter((l) => l.startsWith('!')).map((l) => l.slice(1).replace(/\/$/, ''))
}

describe('Dockerfile', () => {
  it('builds in named stages (Maven, the CLI, a JRE) and runs from a fourth', () => {
    expect(dockerfile.map((s) => s.name)).toEqual(['jvm', 'cli', 'jre', null])
  })

  it('pins every base image to an exact version, never latest', () => {
    for (const { image } of dockerfile) {
      const tag = image.split(':')[1] ?? ''
      expect(tag, image).not.toBe('')
      expect(tag, image).not.toContain('latest')
      expect(tag, image).toMatch(/^\d+\.\d+\.\d+/)
    }
  })

  it('runs on Node 20 (package.json engines) with Java 17, as a user that is not root', () => {
    expect((JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { engines: { node: string } }).engines.node).toBe('>=20')
    expect(runtimeStage?.image).toMatch(/^node:20\./)
    expect(stageNamed('jre')?.image).toMatch(/^eclipse-temurin:17\./)
    expect(stageNamed('jvm')?.image).toMatch(/-eclipse-temurin-17$/)
    const users = (runtimeStage?.instructions ?? []).filter((i) => i.keyword === 'USER').map((i) => i.args)
    expect(users.at(-1)).toBe('node')
  })

  it('starts the CLI (package.json bin) and shows its help without arguments', () => {
    const bin = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { bin: Record<string, string> }).bin['telcobench']
    const entry = runtimeStage?.instructions.filter((i) => i.keyword === 'ENTRYPOINT').map((i) => JSON.parse(i.args) as string[])
    expect(entry).toEqual([['node', bin]])
    expect(runtimeStage?.instructions.find((i) => i.keyword === 'CMD')?.args).toBe('["--help"]')
  })

  it('copies into the runtime stage the JVM artifacts and the build stamp the harness checks, so it never runs Maven', () => {
    const fromJvm = copies(runtimeStage).filter((c) => c.from === 'jvm')
    for (const artifact of [kafkaClasspathFile, sparkClasspathFile, sparkJobJar, jvmBuildStampFile]) {
      const path = relative(repoRoot, artifact)
      const copy = fromJvm.find((c) => c.sources.includes(`/opt/telcobench/${path}`))
      expect(copy?.dest, path).toBe(`${dirname(path)}/`)
    }
    const build = stageNamed('jvm')?.instructions.find((i) => i.keyword === 'RUN')?.args ?? ''
    expect(build).toContain(`> ${relative(repoRoot, jvmBuildStampFile)}`)
    expect(build).toContain('-Dmaven.repo.local=/opt/m2')
    expect(fromJvm.some((c) => c.sources.includes('/opt/classpath-jars/opt/m2') && c.dest === '/opt/m2')).toBe(true)
  })

  it('copies the bundled CLI, its packages, the scenarios and the evaluation suites into the runtime stage', () => {
    const fromCli = copies(runtimeStage).filter((c) => c.from === 'cli').map((c) => c.sources.join(' '))
    expect(fromCli).toEqual(['/opt/telcobench/package.json', '/opt/telcobench/node_modules', '/opt/telcobench/dist', '/opt/telcobench/bin'])
    expect(copies(runtimeStage).filter((c) => c.from === null).map((c) => c.sources.join(' '))).toEqual(['scenarios', 'suites'])
  })

  it('gives the CLI build every source folder the bundle starts from', () => {
    const copied = copies(stageNamed('cli')).flatMap((c) => c.sources)
    for (const folder of ['api', 'cli', 'generators', 'harness', 'reports', 'bin', 'scripts']) expect(copied).toContain(folder)
  })

  it('copies from the build context only paths that exist and that .dockerignore lets in', () => {
    const allowed = allowedByDockerignore()
    const fromContext = dockerfile.flatMap((stage) => copies(stage)).filter((c) => c.from === null).flatMap((c) => c.sources)
    expect(fromContext.length).toBeGreaterThan(0)
    for (const source of fromContext) {
      expect(existsSync(join(repoRoot, source)), source).toBe(true)
      expect(allowed.some((a) => source === a || source.startsWith(`${a}/`)), source).toBe(true)
    }
  })
})
