import type { BillingScore } from '../../harness/results/index.ts'
import { percent } from '../format.ts'
import type { ReportRun } from '../run-data.ts'
import { chartConfig, panelTitle, domainFromZero, notice, schemaUrl, several, type Chart, type Layer } from './common.ts'

const panelWidth = 300

const exactness = [
  ['exact_match_ratio', 'charge exact match'],
  ['bill_exact_match_ratio', 'bill exact match (truth totals)'],
  ['bill_records_exact_match_ratio', 'bill records exact match'],
] as const
const errors = [
  ['leakage_ratio', 'leakage'],
  ['overbilling_ratio', 'overbilling'],
  ['billing_error_ratio', 'billing error'],
] as const

function panel(values: { measure: string; side: string; percent: number; text: string }[], title: string, axisTitle: string, domain: [number, number] | null): Layer[] {
  if (values.length === 0) return notice('no billing figures (no usage record was rated)', panelWidth, 60)
  return [
    {
      data: { values },
      mark: { type: 'bar' },
      encoding: {
        y: { field: 'measure', type: 'nominal', title: null },
        yOffset: { field: 'side', type: 'nominal' },
        x: { field: 'percent', type: 'quantitative', title: axisTitle, scale: domain !== null ? { domain } : domainFromZero(values.map((v) => v.percent * 1.25), 0.001) },
        color: { field: 'side', type: 'nominal', title: null, scale: { scheme: 'set2' } },
      },
    },
    {
      data: { values },
      mark: { type: 'text', align: 'left', dx: 3, fontSize: 9 },
      encoding: { y: { field: 'measure', type: 'nominal' }, yOffset: { field: 'side', type: 'nominal' }, x: { field: 'percent', type: 'quantitative' }, text: { field: 'text' }, description: { value: title } },
    },
  ]
}

/** Chart 7: billing accuracy, streaming vs batch: exact-match ratios, leakage and overbilling. */
export function billingChart(runs: readonly ReportRun[]): Chart {
  const sides = runs.flatMap((r) => {
    const prefix = several(runs) ? `${r.label} · ` : ''
    const list: { side: string; billing: BillingScore }[] = []
    if (r.results.billing !== null) list.push({ side: `${prefix}streaming`, billing: r.results.billing })
    if (r.results.batch?.state === 'scored' && r.results.batch.billing !== null) list.push({ side: `${prefix}batch`, billing: r.results.batch.billing })
    return list
  })
  const pick = (measures: typeof exactness | typeof errors): { measure: string; side: string; percent: number; text: string }[] =>
    sides.flatMap(({ side, billing }) =>
      measures.flatMap(([key, measure]) => {
        const ratio = billing[key]
        return ratio === null ? [] : [{ measure, side, percent: ratio * 100, text: percent(ratio) }]
      }),
    )
  return {
    name: 'billing',
    title: 'Billing accuracy, streaming vs batch',
    caption: 'Left: the share of rated charges equal to the truth to the sub-unit, of subscribers whose bill total equals the truth, and of subscribers whose last bill record does. Right: money missing from the bills (leakage), billed beyond the truth (overbilling) and their sum (billing error), as a share of the expected total. Streaming and the batch baseline on the same input.',
    spec: {
      $schema: schemaUrl,
      title: 'Billing: exact matches and errors',
      config: chartConfig,
      hconcat: [
        { width: panelWidth, height: sides.length === 0 ? 60 : { step: 14 }, title: panelTitle('exact matches'), layer: panel(pick(exactness), 'exact', 'share exact to the sub-unit (%)', [0, 100]) },
        { width: panelWidth, height: sides.length === 0 ? 60 : { step: 14 }, title: panelTitle('errors'), layer: panel(pick(errors), 'errors', 'share of the expected total (%)', null) },
      ],
    },
  }
}
