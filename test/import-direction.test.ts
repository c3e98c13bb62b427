import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { ESLint } from 'eslint'
import { describe, expect, it } from 'vitest'

const repoRoot = fileURLToPath(new URL('..', import.meta.url))
const importRule = '@typescript-eslint/no-restricted-imports'

// The repository's own eslint.config.js, narrowed to the import-direction rule. The snippets exist only
// in memory, so the type-aware project service is switched off (only the other rules need it).
const eslint = new ESLint({
  cwd: repoRoot,
  overrideConfig: { languageOptions: { parserOptions: { projectService: false } } },
  ruleFilter: ({ ruleId }) => ruleId === importRule,
})

/** The import-direction errors ESLint reports for `code` as if it were the file at `path` (repository path). */
async function importErrors(path: string, code: string): Promise<{ line: number; message: string }[]> {
  const [result] = await eslint.lintText(code, { filePath: join(repoRoot, path) })
  if (result === undefined) throw new Error(`ESLint returned no result for ${path}`)
  const unexpected = result.messages.filter((m) => m.ruleId !== importRule)
  if (unexpected.length > 0) throw new Error(`${path}: ${unexpected.map((m) => m.message).join('; ')}`)
  return result.messages.map((m) => ({ line: m.line, message: m.message }))
}

describe('import direction (eslint.config.js)', () => {
  it('generators import nothing from harness, reports, cli or api, not even types', async () => {
    const errors = await importErrors('generators/stream/probe.ts', [
      "import { TelcobenchError } from '../../harness/errors.ts'",
      "import type { RunPlan } from '../../harness/run/plan.ts'",
      "import { render } from '../../reports/index.ts'",
      "import { main } from '../../cli/index.ts'",
      "import { runScenario } from '../../api/index.ts'",
      "import { Lane } from './lane.ts'",
      "import { z } from 'zod'",
      "import { readFileSync } from 'node:fs'",
    ].join('\n'))
    expect(errors.map((e) => e.line)).toEqual([1, 2, 3, 4, 5])
    expect(errors[0]?.message).toContain('generators are pure')
  })

  it('the results module imports no harness internals, and only types from generators', async () => {
    const errors = await importErrors('harness/results/probe.ts', [
      "import { OpenLoopPacer } from '../run/pacer.ts'",
      "import type { LatencySummary } from '../measure/histograms.ts'",
      "import { account } from '../score/accounting.ts'",
      "import type { Runtime } from '../runtime/runtime.ts'",
      "import type { KafkaClient } from '../kafka/index.ts'",
      "import { loadScenario } from '../../generators/index.ts'",
      "import { summary } from '../../reports/index.ts'",
      "import type { ScenarioPlan } from '../../generators/index.ts'",
      "import { TelcobenchError } from '../errors.ts'",
      "import { readRun } from './read.ts'",
      "import { z } from 'zod'",
    ].join('\n'))
    expect(errors.map((e) => e.line)).toEqual([1, 2, 3, 4, 5, 6, 7])
    expect(errors[0]?.message).toContain('the results module is a leaf')
  })

  it('the compare module reads runs through harness/results only: no other harness module, no generators, reports or cli', async () => {
    const errors = await importErrors('harness/compare/probe.ts', [
      "import { scoreRun } from '../score/score-run.ts'",
      "import { mergeHistograms } from '../measure/histograms.ts'",
      "import type { RunPlan } from '../run/plan.ts'",
      "import { Sfc32 } from '../../generators/random/prng.ts'",
      "import type { ResolvedScenario } from '../../generators/index.ts'",
      "import { renderComparisonJunit } from '../../reports/index.ts'",
      "import { compareCommand } from '../../cli/commands/compare.ts'",
      "import { readRun } from '../../harness/results/index.ts'",
      "import { readHistograms } from '../results/index.ts'",
      "import { percentileOfSorted } from '../stats/index.ts'",
      "import { TelcobenchError } from '../errors.ts'",
      "import { mannWhitneyU } from './rank-test.ts'",
      "import { wilcoxonRankSum } from 'simple-statistics'",
    ].join('\n'))
    expect(errors.map((e) => e.line)).toEqual([1, 2, 3, 4, 5, 6, 7])
    expect(errors[0]?.message).toContain('the compare module reads runs through harness/results only')
  })

  it('the harness imports neither reports nor cli nor api', async () => {
    const errors = await importErrors('harness/run/probe.ts', [
      "import { writeRunReport } from '../../reports/index.ts'",
      "import type { ReportRun } from '../../reports/run-data.ts'",
      "import { runCommand } from '../../cli/commands/run.ts'",
      "import { readRun as read } from '../../api/index.ts'",
      "import { readRun } from '../results/index.ts'",
      "import { OpenLoopPacer } from './pacer.ts'",
    ].join('\n'))
    expect(errors.map((e) => e.line)).toEqual([1, 2, 3, 4])
    expect(errors[0]?.message).toContain('data flows harness -> reports')
  })

  it('reports import only harness/results (and the compare entry point) from the harness, and only types from generators', async () => {
    const errors = await importErrors('reports/html/probe.ts', [
      "import { runScenario } from '../../harness/run/index.ts'",
      "import type { LatencySummary } from '../../harness/measure/histograms.ts'",
      "import { loadScenario } from '../../generators/index.ts'",
      "import { main } from '../../cli/index.ts'",
      "import { compareSides } from '../../harness/compare/compare.ts'",
      "import { readRun as read } from '../../api/index.ts'",
      "import { readRun } from '../../harness/results/index.ts'",
      "import { TelcobenchError } from '../../harness/errors.ts'",
      "import type { ScenarioPlan } from '../../generators/index.ts'",
      "import { toleranceText, type Comparison } from '../../harness/compare/index.ts'",
    ].join('\n'))
    expect(errors.map((e) => e.line)).toEqual([1, 2, 3, 4, 5, 6])
    expect(errors[0]?.message).toContain('reports read runs through harness/results/')
  })

  it('cli imports entry points only', async () => {
    const errors = await importErrors('cli/commands/probe.ts', [
      "import { LocalKafkaBroker } from '../../harness/runtime/kafka-broker.ts'",
      "import type { RunPlan } from '../../harness/run/plan.ts'",
      "import { Lane } from '../../generators/stream/lane.ts'",
      "import { generate } from '../../api/index.ts'",
      "import { runScenario } from '../../harness/run/index.ts'",
      "import { createKafkaClient } from '../../harness/kafka/index.ts'",
      "import { TelcobenchError } from '../../harness/errors.ts'",
      "import { validateScenarioText } from '../../generators/index.ts'",
      "import { loadScenario } from '../../generators/scenario/index.ts'",
      "import { installSignalHandlers } from '../signals.ts'",
    ].join('\n'))
    expect(errors.map((e) => e.line)).toEqual([1, 2, 3, 4])
    expect(errors[0]?.message).toContain('cli calls entry points only')
    expect(errors[3]?.message).toContain('cli does not import api')
  })

  it('api, the other top-level entry, imports entry points only and not cli', async () => {
    const errors = await importErrors('api/probe.ts', [
      "import { LocalKafkaBroker } from '../harness/runtime/kafka-broker.ts'",
      "import { validateScenarioFile } from '../generators/scenario/validate.ts'",
      "import { runCommand } from '../cli/commands/run.ts'",
      "import { runScenario } from '../harness/run/index.ts'",
      "import { readRun } from '../harness/results/index.ts'",
      "import { TelcobenchError } from '../harness/errors.ts'",
      "import { generateToFiles } from '../generators/index.ts'",
      "import { validateScenarioFile as validate } from '../generators/scenario/index.ts'",
    ].join('\n'))
    expect(errors.map((e) => e.line)).toEqual([1, 2, 3])
    expect(errors[0]?.message).toContain('api calls entry points only')
    expect(errors[2]?.message).toContain('api does not import cli')
  })
})
