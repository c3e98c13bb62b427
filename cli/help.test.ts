import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ExitCode } from '../harness/errors.ts'
import { validateScenarioFile } from '../generators/scenario/index.ts'
import { packageRoot } from '../harness/install/index.ts'
import { examples, exitCodeMeanings, helpFooter, type Verb } from './help.ts'
import { buildProgram, type Handlers } from './program.ts'

interface Call {
  verb: Verb
  scenarios: string[]
  overrides: string[]
}

/** Parses argv with the real command tree; the handlers only record what they were given. */
async function parse(argv: readonly string[]): Promise<Call> {
  let call: Call | undefined
  const record = (verb: Verb, scenarios: string[] = [], overrides: string[] = []) => {
    call = { verb, scenarios, overrides }
    return Promise.resolve(0)
  }
  const handlers: Handlers = {
    run: (scenario, o) => record('run', [scenario], o.set),
    validate: (files, o) => record('validate', files, o.set),
    generate: (scenario) => record('generate', [scenario]),
    up: () => record('up'),
    down: () => record('down'),
    setup: () => record('setup'),
    report: () => record('report'),
    compare: () => record('compare'),
    capacity: (scenario, o) => record('capacity', [scenario], o.set),
    produce: () => record('produce'),
    reproduce: () => record('reproduce'),
    train: (scenario, o) => record('train', [scenario], o.set),
  }
  // The shell expands scenarios/*.yaml before telcobench sees it.
  const expanded = argv.flatMap((a) => (a === 'scenarios/*.yaml' ? readdirSync(join(packageRoot, 'scenarios')).filter((f) => f.endsWith('.yaml')).map((f) => `scenarios/${f}`) : [a]))
  await buildProgram('0.0.0', handlers).program.parseAsync(expanded, { from: 'user' })
  if (call === undefined) throw new Error(`no verb ran for ${argv.join(' ')}`)
  return call
}

const allExamples = Object.entries(examples).flatMap(([verb, list]) => list.map((e) => [verb, e.argv.join(' '), e.argv] as const))

describe('the examples in every verb\'s --help', () => {
  it.each(allExamples)('%s: telcobench %s parses, and its scenario validates with its --set values', async (verb, _, argv) => {
    const call = await parse(argv)
    expect(call.verb).toBe(verb)
    for (const scenario of call.scenarios) {
      const r = await validateScenarioFile(join(packageRoot, scenario), { overrides: call.overrides })
      expect(r.ok ? [] : r.errors).toEqual([])
      expect(r.warnings).toEqual([])
    }
  })
  it('every verb has one', () => {
    expect(Object.keys(examples).sort()).toEqual(['capacity', 'compare', 'down', 'generate', 'produce', 'report', 'reproduce', 'run', 'setup', 'train', 'up', 'validate'])
  })
})

describe('the exit-code table', () => {
  it('is printed under every verb\'s help, with the docs', () => {
    for (const verb of [null, ...Object.keys(examples)] as (Verb | null)[]) {
      const footer = helpFooter(verb)
      for (const [code, meaning] of Object.entries(exitCodeMeanings)) expect(footer).toContain(`  ${code.padEnd(4)} ${meaning}`)
      expect(footer).toContain(`Docs: ${join(packageRoot, 'README.md')}`)
    }
  })
  it('names the same codes as README "Exit codes" and harness/errors.ts', () => {
    const readme = readFileSync(join(packageRoot, 'README.md'), 'utf8')
    const section = readme.slice(readme.indexOf('### Exit codes'), readme.indexOf('\n## ', readme.indexOf('### Exit codes')))
    const readmeCodes = [...section.matchAll(/^\| (\d+) \|/gm)].map((m) => Number(m[1]))
    expect(readmeCodes).toEqual(Object.keys(exitCodeMeanings).map(Number))
    expect(Object.values(ExitCode).sort((a, b) => a - b)).toEqual(readmeCodes)
  })
})
