import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { writeCapacityFile, writeEvaluationFile, type CapacityFile, type EvaluationFile } from '../../harness/results/index.ts'
import { chartMarks, chromiumPath, openOffline } from '../../test/browser.ts'
import { renderEvaluationMarkdown, writeEvaluationReport } from './index.ts'

const work = mkdtempSync(join(tmpdir(), 'telcobench-evaluation-report-'))
afterAll(() => {
  rmSync(work, { recursive: true, force: true })
})

const figure = (unit: string, values: (number | null)[], median: number | null) => ({ unit, values, n: values.filter((v) => v !== null).length, median, min: median, max: median, ci: null })

const capacity: CapacityFile = {
  schema_version: 1,
  telcobench: { version: '0.1.0', git_sha: 'abc', dirty: false },
  capacity_id: 'rating-capacity-capacity-20261130-120000-abcd',
  scenario: 'rating-capacity',
  scenario_file: 'scenarios/rating-capacity.yaml',
  started_at: '2026-11-30T12:00:00.000Z',
  finished_at: '2026-11-30T12:10:00.000Z',
  runtime: 'local',
  machine: { cores: 2, memory_gib: 24, cpu: 'test cpu', load_avg_start: [1, 1, 1], load_avg_end: [2, 2, 2] },
  search: { slos: ['rated p99<3000'], vary: {}, repeat: 1, start_eps: 1000, max_eps: 4000, resolution: 0.5, load_wall_s: 30 },
  points: [1000, 2000, 4000].map((rate) => ({ config: 'default', rate_eps: rate, verdict: rate < 4000 ? ('pass' as const) : ('fail' as const), runs: [{ folder: `default/r${rate}`, outcome: rate < 4000 ? ('pass' as const) : ('fail' as const), reasons: [], offered_eps: rate, achieved_eps: rate, p99_ms: { rated: rate / 2 + 500 }, lag_state: 'steady', lag_trend_eps: 1, schedule_delay_p99_ms: 20, produce_response_p99_ms: 30, trigger_p50_ms: { rating: 900 }, cpu_cores: { spark: 1 }, harness_cpu_ms_per_1000_events: 80, machine_busy: false }] })),
  configurations: [{ config: 'default', settings: {}, capacity_eps: 2000, limit_eps: 4000, stopped_by: 'slo', bottleneck: null, p99_at_capacity_ms: { rated: 1500 } }],
  scalability: [],
  answers: [],
}

/** Two questions: one supported with conditions over a capacity search and a run, one not measured (models not built). */
const evaluation: EvaluationFile = {
  schema_version: 1,
  telcobench: { version: '0.1.0', git_sha: '0123456789abcdef', dirty: false },
  suite_id: 'paper-quick-20261130-120000-abcd',
  suite: 'paper',
  title: 'The evaluation',
  paper: 'A. Author, "A paper", A journal',
  size: 'quick',
  suite_file: 'suite.yaml',
  suite_source: 'suites/paper.yaml',
  started_at: '2026-11-30T12:00:00.000Z',
  finished_at: '2026-11-30T12:30:00.000Z',
  interrupted: false,
  runtime: 'local',
  estimate_s: 2400,
  elapsed_s: 1800,
  provenance: { command_line: ['telcobench', 'reproduce', '--quick'], versions: { node: 'v20', java: '17', kafka: '4.2.0', spark: '4.1.1' }, machine: { cores: 2, cpu_model: 'test cpu', memory_bytes: 24 * 2 ** 30, platform: 'linux', kernel: '6' }, load_avg_start: [1, 1, 1], load_avg_end: [2, 2, 2] },
  threats: ['Two shared cores.', 'Loopback network.'],
  experiments: [
    { id: 'rq1-capacity', question: 'RQ1', title: 'capacity', kind: 'capacity', scenario: 'rating-capacity', scenario_file: '../scenarios/rating-capacity.yaml', overrides: [], engine: null, guarantee: null, batch: false, repeats: 1, capacity: { slo: ['rated p99<3000'], startRate: 1000, maxRate: 4000 }, paced_eps: null, status: 'measured', reason: null, folder: 'rq1-capacity/cap', runs: [{ folder: 'rq1-capacity/cap/default/r1000', state: 'pass', counted: true }], figures: { capacity_eps: figure('eps', [2000], 2000) }, elapsed_s: 300 },
    { id: 'rq1-latency', question: 'RQ1', title: 'latency at half', kind: 'run', scenario: 'rating-capacity', scenario_file: '../scenarios/rating-capacity.yaml', overrides: ['timeCompression=6'], engine: null, guarantee: null, batch: false, repeats: 1, capacity: null, paced_eps: 1000, status: 'measured', reason: null, folder: 'rq1-latency/set', runs: [{ folder: 'rq1-latency/set/run', state: 'passed', counted: true }], figures: { 'produce_response.p99': figure('ms', [250], 250) }, elapsed_s: 80 },
    { id: 'rq2-models', question: 'RQ2', title: 'models', kind: 'run', scenario: 'fraud-wave', scenario_file: '../scenarios/fraud-wave.yaml', overrides: [], engine: null, guarantee: null, batch: false, repeats: 1, capacity: null, paced_eps: null, status: 'not-measured', reason: 'the model detectors (issue 17) are not built', folder: null, runs: [], figures: {}, elapsed_s: null },
  ],
  questions: [
    {
      id: 'RQ1', title: 'Kafka at telecom rates', question: 'How effective is Kafka?', claim: { quote: 'It can process millions of messages per second.', where: 'Section II.6' }, experiments: ['rq1-capacity', 'rq1-latency'],
      checks: [
        { says: 'holds 1,000 ev/s', experiment: 'rq1-capacity', figure: 'capacity_eps', relative_to: null, holds: '>= 1000', condition: null, observed: 2000, outcome: 'holds', reason: null },
        { says: 'acks within 100 ms', experiment: 'rq1-latency', figure: 'produce_response.p99', relative_to: null, holds: '< 100', condition: 'with produce latency above 100 ms', observed: 250, outcome: 'fails', reason: null },
      ],
      verdict: 'supported-with-conditions', verdict_text: 'Supported with conditions: holds 1,000 ev/s; but with produce latency above 100 ms (observed 250, needed < 100).', conditions: ['with produce latency above 100 ms (observed 250, needed < 100)'],
    },
    {
      id: 'RQ2', title: 'Detection', question: 'Can Spark detect?', claim: { quote: 'Spark checks for any unusual activity.', where: 'Theme 3' }, experiments: ['rq2-models'],
      checks: [{ says: 'models find fraud', experiment: 'rq2-models', figure: 'fraud.recall', relative_to: null, holds: '>= 0.8', condition: null, observed: null, outcome: 'not-measured', reason: 'rq2-models: the model detectors (issue 17) are not built' }],
      verdict: 'not-measured', verdict_text: 'Not measured: models find fraud: rq2-models: the model detectors (issue 17) are not built.', conditions: [],
    },
  ],
}

describe('the evaluation report', () => {
  it('evaluation.md: the verdict table, per question the claim, experiments, figures and checks, the threats and the provenance', () => {
    const md = renderEvaluationMarkdown(evaluation)
    expect(md).toContain('| RQ1: Kafka at telecom rates | Supported with conditions | Supported with conditions: holds 1,000 ev/s; but with produce latency above 100 ms (observed 250, needed < 100). |')
    expect(md).toContain('| RQ2: Detection | Not measured | Not measured: models find fraud: rq2-models: the model detectors (issue 17) are not built. |')
    expect(md).toContain('> It can process millions of messages per second. (Section II.6)')
    expect(md).toContain('| rq1-capacity | capacity_eps | 2,000 ev/s | n/a (1 value) | 2,000 ev/s |')
    expect(md).toContain('| acks within 100 ms | rq1-latency · produce_response.p99 | < 100 | 250 ms | fails | condition: with produce latency above 100 ms |')
    expect(md).toContain('--set timeCompression=6 · --no-batch · paced at 1,000 ev/s')
    expect(md).toContain('- Two shared cores.')
    expect(md).toContain('Command: `telcobench reproduce --quick`.')
  })

  describe.skipIf(chromiumPath() === null)('evaluation.html in headless Chromium, network off (skipped: chromium is not installed)', () => {
    it('opens without a console error, shows each verdict and draws the capacity search\'s chart and the figures\' chart', async () => {
      const dir = join(work, 'suite')
      writeEvaluationFile(dir, evaluation)
      writeCapacityFile(join(dir, 'rq1-capacity', 'cap'), capacity)
      const { html, markdown } = await writeEvaluationReport(dir)
      expect(readFileSync(markdown, 'utf8')).toBe(renderEvaluationMarkdown(evaluation))
      const page = await openOffline(chromiumPath() ?? '', html, join(dir, 'evaluation.png'))
      expect(page.consoleMessages).toEqual([])
      expect([...page.dom.matchAll(/data-question="(RQ\d)" data-verdict="([a-z-]+)"/g)].map((m) => `${m[1] ?? ''} ${m[2] ?? ''}`)).toEqual(['RQ1 supported-with-conditions', 'RQ2 not-measured'])
      const marks = chartMarks(page.dom)
      expect([...marks.keys()]).toEqual(['rq1-capacity-rate-latency', 'RQ1-figures-ms'])
      for (const chart of marks.values()) expect(chart.paths).toBeGreaterThan(0)
      expect(page.dom).toContain('Two shared cores.')
      expect(page.screenshotBytes).toBeGreaterThan(10_000)
    }, 120_000)
  })
})
