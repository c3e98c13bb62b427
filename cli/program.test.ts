import { describe, expect, it } from 'vitest'
import { parseRepeat } from './options.ts'
import { buildProgram, type Handlers, type RunCliOptions } from './program.ts'

async function runOptions(argv: string[]): Promise<RunCliOptions> {
  let seen: RunCliOptions | undefined
  const unused = (): Promise<number> => Promise.reject(new Error('not this verb'))
  const handlers: Handlers = {
    run: (_, o) => {
      seen = o
      return Promise.resolve(0)
    },
    validate: unused,
    generate: unused,
    up: unused,
    down: unused,
    setup: unused,
    report: unused,
  }
  await buildProgram('0.0.0', handlers).program.parseAsync(['run', 's.yaml', ...argv], { from: 'user' })
  if (seen === undefined) throw new Error('run did not run')
  return seen
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
  })
})
