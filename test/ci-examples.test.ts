import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parse as parseYaml } from 'yaml'
import { buildProgram, type Handlers } from '../cli/program.ts'
import { packageRoot } from '../harness/install/index.ts'

const examplesDir = join(packageRoot, 'examples', 'ci')
const variables: Record<string, string> = { SCENARIO: 'scenarios/ci-smoke.yaml', REPEATS: '5' }

/** The YAML of an example, parsed strictly (a duplicate key or a syntax error throws). */
function loadExample(file: string): Record<string, unknown> {
  return parseYaml(readFileSync(join(examplesDir, file), 'utf8'), { strict: true, uniqueKeys: true }) as Record<string, unknown>
}

/** Every `node bin/telcobench.js …` command in a script text, continuation lines joined. */
function telcobenchCommands(script: string): string[] {
  const joined = script.replace(/\\\n\s*/g, ' ').replace(/\n\s+--/g, ' --')
  // The command ends where the shell's control operators begin (`|| code=$?`, `; case …`).
  return [...joined.matchAll(/node bin\/telcobench\.js ([^\n]+)/g)].map((m) => (m[1] ?? '').split(/\s*(?:\|\||&&|;|\|)\s*/)[0] ?? '')
}

/** A shell word split good enough for the examples: quotes group, $VAR and ${VAR} expand, globs stay. */
function words(command: string): string[] {
  const expanded = command.replace(/\$\{?(\w+)\}?/g, (_, name: string) => variables[name] ?? `$${name}`)
  return [...expanded.matchAll(/'([^']*)'|"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3] ?? '')
}

/** Parses argv with the real command tree; resolves to the verb that would run, or rejects on a usage error. */
async function verbOf(argv: string[]): Promise<string> {
  let verb = ''
  const record = (name: string) => () => {
    verb = name
    return Promise.resolve(0)
  }
  const handlers: Handlers = { run: record('run'), validate: record('validate'), generate: record('generate'), up: record('up'), down: record('down'), setup: record('setup'), report: record('report'), compare: record('compare'), capacity: record('capacity'), produce: record('produce'), reproduce: record('reproduce'), train: record('train') }
  const { program } = buildProgram('0.0.0', handlers)
  program.exitOverride()
  await program.parseAsync(argv, { from: 'user' })
  return verb
}

function scriptsOf(value: unknown): string[] {
  if (typeof value === 'string') return [value]
  if (Array.isArray(value)) return value.flatMap(scriptsOf)
  if (typeof value === 'object' && value !== null) return Object.values(value).flatMap(scriptsOf)
  return []
}

describe('the command check', () => {
  it('refuses a command line the CLI would refuse', async () => {
    await expect(verbOf(words("compare a b --junit x.xml --bogus"))).rejects.toThrow()
    await expect(verbOf(words('run "$SCENARIO" --repeat 0'))).rejects.toThrow()
  })
})

describe('examples/ci/github-actions.yml', () => {
  const workflow = loadExample('github-actions.yml')
  const jobs = workflow['jobs'] as Record<string, { steps: { name: string; uses?: string; run?: string; if?: string }[] }>
  const steps = jobs['gate']?.steps ?? []

  it('runs on pushes to main and on pull requests, with the steps it describes in this order', () => {
    expect(Object.keys(workflow['on'] as object)).toEqual(['push', 'pull_request'])
    const names = steps.map((s) => s.name)
    const order = ['Install telcobench and build the Spark jobs', 'Run the scenario ${{ env.REPEATS }} times', 'Store the baseline (main only)', 'Download the baseline', 'Compare with the baseline', 'Post the comparison as the step summary', 'Upload the reports']
    expect(order.map((n) => names.indexOf(n))).toEqual([...order.map((n) => names.indexOf(n))].sort((a, b) => a - b))
    expect(order.every((n) => names.includes(n))).toBe(true)
  })

  it('pins every action to a major version', () => {
    for (const s of steps.filter((x) => x.uses !== undefined)) expect(s.uses, s.name).toMatch(/^[\w-]+\/[\w-]+@v\d+$/)
  })

  it('runs telcobench commands that the real CLI accepts: setup, a repeated run and a compare with JUnit, Markdown and JSON', async () => {
    const commands = steps.flatMap((s) => telcobenchCommands(s.run ?? ''))
    expect(await Promise.all(commands.map((c) => verbOf(words(c))))).toEqual(['setup', 'run', 'compare'])
    const compare = commands.find((c) => c.startsWith('compare')) ?? ''
    for (const flag of ['--junit compare.xml', '--markdown compare.md', '--json compare.json']) expect(compare).toContain(flag)
  })
})

describe('examples/ci/gitlab-ci.yml', () => {
  const pipeline = loadExample('gitlab-ci.yml')

  it('has a baseline job on the default branch and a gate job on merge requests with a JUnit report', () => {
    expect(Object.keys(pipeline)).toEqual(['variables', '.telcobench', 'telcobench-baseline', 'telcobench-gate'])
    const gate = pipeline['telcobench-gate'] as { artifacts: { reports: { junit: string } } }
    expect(gate.artifacts.reports.junit).toBe('compare.xml')
  })

  it('runs telcobench commands that the real CLI accepts', async () => {
    const commands = scriptsOf(pipeline).flatMap(telcobenchCommands)
    expect(await Promise.all(commands.map((c) => verbOf(words(c))))).toEqual(['setup', 'run', 'run', 'compare'])
  })
})
