import { describe, expect, it } from 'vitest'
import { parseRepeat } from './options.ts'
import { buildProgram, type CompareCliOptions, type Handlers, type RunCliOptions } from './program.ts'

/** Handlers that all refuse, but for `verb`, which records its arguments; the real command tree parses argv. */
async function argumentsOf<V extends keyof Handlers>(verb: V, argv: string[]): Promise<Parameters<Handlers[V]>> {
  let seen: Parameters<Handlers[V]> | undefined
  const unused = (): Promise<number> => Promise.reject(new Error('not this verb'))
  const handlers: Handlers = { run: unused, validate: unused, generate: unused, up: unused, down: unused, setup: unused, report: unused, compare: unused, capacity: unused, produce: unused, reproduce: unused, train: unused }
  handlers[verb] = ((...args: Parameters<Handlers[V]>) => {
    seen = args
    return Promise.resolve(0)
  }) as Handlers[V]
  await buildProgram('0.0.0', handlers).program.parseAsync([verb, ...argv], { from: 'user' })
  if (seen === undefined) throw new Error(`${verb} did not run`)
  return seen
}

async function runOptions(argv: string[]): Promise<RunCliOptions> {
  const [, o] = await argumentsOf('run', ['s.yaml', ...argv])
  return o
}

describe('run options', () => {
  it('pass --batch / --no-batch only when typed, so the scenario decides otherwise', async () => {
    expect((await runOptions([])).batch).toBeUndefined()
    expect((await runOptions(['--no-batch'])).batch).toBe(false)
    expect((await runOptions(['--batch'])).batch).toBe(true)
  })
  it('collect repeated --set in order, and split --bootstrap', async () => {
    const o = await runOptions(['--set', 'duration=1h', '--set', 'seed=2', '--runtime', 'external', '--bootstrap', 'a:9092, [::1]:9093'])
    expect(o.set).toEqual(['duration=1h', 'seed=2'])
    expect(o.bootstrap).toEqual(['a:9092', '[::1]:9093'])
    expect((await runOptions([])).set).toEqual([])
  })
})

describe('--repeat', () => {
  it('takes 1 to maxRepeat runs, the limit the set module enforces too', async () => {
    const { maxRepeat } = await import('../harness/sets/index.ts')
    expect((await runOptions(['--repeat', '3'])).repeat).toBe(3)
    expect((await runOptions(['--repeat', String(maxRepeat)])).repeat).toBe(maxRepeat)
    expect((await runOptions([])).repeat).toBeUndefined()
    expect(() => parseRepeat(String(maxRepeat + 1))).toThrow('Write a whole number of runs from 1 to 100')
    expect(() => parseRepeat('0')).toThrow('Write a whole number of runs from 1 to 100')
    // Loading the set module loads the run orchestration with it: seconds on a busy 2-core machine, not a hang.
  }, 30_000)
})

async function compareCall(argv: string[]): Promise<{ positional: string[]; o: CompareCliOptions }> {
  const [positional, o] = await argumentsOf('compare', argv)
  return { positional, o }
}

describe('compare options', () => {
  it('take the sides as two arguments or as --baseline/--candidate lists, and collect repeated --fail-on in order', async () => {
    expect(await compareCall(['a', 'b'])).toEqual({ positional: ['a', 'b'], o: { failOn: [] } })
    const lists = await compareCall(['--baseline', 'a1', 'a2', '--candidate', 'b1', 'b2', 'b3', '--fail-on', 'rated.p99 +10%', '--fail-on', '*.p999 +20%'])
    expect(lists).toEqual({ positional: [], o: { baseline: ['a1', 'a2'], candidate: ['b1', 'b2', 'b3'], failOn: ['rated.p99 +10%', '*.p999 +20%'] } })
  })
  it('parse the numbers of the tests', async () => {
    const { o } = await compareCall(['a', 'b', '--confidence', '0.99', '--seed', '7', '--resamples', '500', '--block', '5', '--allow-mismatch'])
    expect(o).toEqual({ failOn: [], confidence: 0.99, seed: 7, resamples: 500, block: 5, allowMismatch: true })
  })
})
