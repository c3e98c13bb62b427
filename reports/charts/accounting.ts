import type { ReportRun } from '../run-data.ts'
import { chartConfig, chartWidth, schemaUrl, type Chart } from './common.ts'

/** The classes every generated usage record falls in exactly once, in the order the identity adds them. */
export const accountingClasses = [
  ['rated_once', 'rated once'],
  ['dlq', 'DLQ'],
  ['late_dropped', 'late-dropped'],
  ['lost', 'lost'],
  ['duplicated', 'duplicated'],
  ['unprocessed', 'unprocessed'],
] as const

/** Chart 9: the accounting identity as one stacked bar per run: rated once + DLQ + late-dropped + lost + duplicated + unprocessed = generated. */
export function accountingChart(runs: readonly ReportRun[]): Chart {
  // One run: the legend carries each class's count, so a class too small to see in the bar is still read.
  const only = runs.length === 1 ? runs[0] : undefined
  const labelOf = (key: (typeof accountingClasses)[number][0], label: string): string => (only === undefined ? label : `${label} ${only.results.accounting[key].toLocaleString('en-US')}`)
  const labels = accountingClasses.map(([key, label]) => labelOf(key, label))
  const values = runs.flatMap((r) =>
    accountingClasses.map(([key, label], order) => ({ run: r.label, class: labelOf(key, label), order, events: r.results.accounting[key], generated: r.results.accounting.generated })),
  )
  const widest = Math.max(1, ...runs.map((r) => r.results.accounting.generated))
  const totals = runs.map((r) => ({ run: r.label, generated: r.results.accounting.generated, text: `= generated ${r.results.accounting.generated.toLocaleString('en-US')}` }))
  return {
    name: 'accounting',
    title: 'Accounting identity',
    caption: 'Every usage record sent to cdr is counted once in exactly one class; the classes add up to the records generated. Lost and duplicated are the integrity failures; unprocessed records were never read by the pipeline (still in the input topic, or never sent because the broker died).',
    spec: {
      $schema: schemaUrl,
      title: 'Accounting identity (usage records)',
      width: chartWidth,
      height: { step: 36 },
      config: chartConfig,
      layer: [
        {
          data: { values },
          mark: { type: 'bar', stroke: 'white', strokeWidth: 0.5 },
          encoding: {
            y: { field: 'run', type: 'nominal', title: null, axis: runs.length > 1 ? {} : null },
            x: { field: 'events', type: 'quantitative', stack: 'zero', title: 'usage records (events)', scale: { domain: [0, widest], nice: false } },
            color: {
              field: 'class',
              type: 'nominal',
              title: null,
              sort: labels,
              scale: { domain: labels, range: ['#59a14f', '#edc948', '#b07aa1', '#e15759', '#f28e2b', '#9d7660'] },
            },
            order: { field: 'order', type: 'quantitative' },
          },
        },
        {
          data: { values: totals },
          mark: { type: 'text', align: 'right', dx: -4, color: 'white', fontWeight: 'bold' },
          encoding: { y: { field: 'run', type: 'nominal' }, x: { field: 'generated', type: 'quantitative' }, text: { field: 'text' } },
        },
      ],
    },
  }
}
