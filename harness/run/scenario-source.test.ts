import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { formatIssue, validateScenarioText } from '../../generators/scenario/index.ts'
import { TelcobenchError } from '../errors.ts'
import { loadScenario } from './scenario-source.ts'
import { minimalScenarioYaml as minimal } from '../../generators/scenario/test-scenarios.ts'


const dir = mkdtempSync(join(tmpdir(), 'telcobench-source-'))
afterAll(() => {
  rmSync(dir, { recursive: true, force: true })
})

/** What `run` says about a scenario: its refusal, or "accepted". */
function refusalOfRun(text: string, overrides: string[] = []): string {
  const path = join(dir, 's.yaml')
  writeFileSync(path, text)
  try {
    loadScenario(path, { overrides })
  } catch (error) {
    if (error instanceof TelcobenchError) return error.message.replaceAll(path, 's.yaml')
    throw error
  }
  return 'accepted'
}

/** What `validate` says about the same text. */
function validateErrors(text: string, overrides: string[] = []): string[] {
  const r = validateScenarioText(text, 's.yaml', { overrides })
  return r.ok ? [] : r.errors.map(formatIssue)
}

describe('run refuses exactly what validate refuses', () => {
  it.each([
    ['an unknown threshold metric', `${minimal}thresholds:\n  lost_event: ["count==0"]\n`, []],
    ['an unknown metric set with --set', minimal, ['thresholds={ p99_latency: ["p(99)<1"] }']],
    ['a bad --set value', minimal, ['duration=soon']],
    ['a YAML syntax error', `${minimal}duration: [1h\n`, []],
  ])('%s', (_, text, overrides) => {
    const errors = validateErrors(text, overrides)
    expect(errors.length).toBeGreaterThan(0)
    expect(refusalOfRun(text, overrides)).toBe(`the scenario is invalid:\n${errors.join('\n')}`)
  })
  it('and accepts what validate accepts', () => {
    const text = `${minimal}thresholds:\n  lost_events: ["count==0"]\n  pipeline_e2e_latency_ms: ["p(99)<5000"]\n`
    expect(validateErrors(text, ['duration=2h'])).toEqual([])
    expect(refusalOfRun(text, ['duration=2h'])).toBe('accepted')
  })
  it('names an unreadable file as a usage error', () => {
    expect(() => loadScenario('/nonexistent/s.yaml', { overrides: [] })).toThrow(expect.objectContaining({ code: 'TB_USAGE', message: 'cannot read the scenario file /nonexistent/s.yaml' }) as Error)
  })
})
