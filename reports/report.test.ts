import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { headlines } from './headline.ts'
import { markdownOf, writeCompareReport, writeRunReport } from './index.ts'
import { renderMarkdown } from './markdown.ts'
import { researchView } from './research.ts'
import { fixtureRun, fixtureRunDir, withFaults } from './test-fixture.ts'

const work = mkdtempSync(join(tmpdir(), 'telcobench-report-'))
afterAll(() => {
  rmSync(work, { recursive: true, force: true })
})

function copyOfFixture(name: string): string {
  const dir = join(work, name)
  cpSync(fixtureRunDir, dir, { recursive: true })
  return dir
}

describe('a run\'s report', () => {
  it('writes report.html, summary.md, the chart specs, timeline.csv and the .hlog logs into the run folder', async () => {
    const dir = copyOfFixture('one')
    const { files } = await writeRunReport(dir)
    expect(files.html).toBe(join(dir, 'report.html'))
    for (const name of ['throughput', 'latency', 'spectrum', 'backlog', 'faults', 'availability', 'detection', 'billing', 'resources', 'accounting']) {
      const spec = JSON.parse(readFileSync(join(dir, 'charts', `${name}.vl.json`), 'utf8')) as { $schema: string }
      expect(spec.$schema).toContain('vega-lite')
    }
    expect(existsSync(join(dir, 'timeline.csv'))).toBe(true)
    expect(existsSync(join(dir, 'histograms', 'rated.hlog'))).toBe(true)
    const html = readFileSync(files.html, 'utf8')
    expect(html).not.toMatch(/<script|<link|<img|@import|url\(http/i)
    expect(html).toContain("default-src 'none'")
    expect(html.match(/<figure [^>]*data-chart=/g)).toHaveLength(11)
    // Opens with the verdict, then thresholds and headline numbers, the charts, the researchers' view, the manifest.
    const order = ['class="verdict', 'id="thresholds"', 'id="headline"', 'id="charts"', 'id="research"', 'id="manifest"'].map((marker) => html.indexOf(marker))
    expect(order.every((at, i) => at > 0 && (i === 0 || at > (order[i - 1] ?? 0)))).toBe(true)
    const run = fixtureRun()
    for (const h of headlines(run.results)) expect(html).toContain(`data-key="${h.key}" data-value="${h.value === null ? 'null' : String(h.value)}">${h.text.replace(/&/g, '&amp;')}<`)
    expect(html).toContain('<code>telcobench report &lt;run folder&gt;')
    expect(readFileSync(join(dir, 'summary.md'), 'utf8')).toContain('`report.html`')
  }, 60_000)

  it('answers the four research questions, saying which the run did not measure', () => {
    const answers = researchView(fixtureRun())
    expect(answers.map((a) => [a.question, a.measured])).toEqual([
      ['Ingestion rate and its latency', true],
      ['Detection quality and time', true],
      ['Streaming vs batch billing accuracy and time-to-bill', true],
      ['Integrity under faults', false],
    ])
    const withFault = researchView(withFaults(fixtureRun()))[3]
    expect(withFault?.measured).toBe(true)
    expect(withFault?.findings.join(' ')).toContain('crash-driver (pipeline-crash): lost 0, duplicate copies 37')
    for (const a of answers) expect(a.limits.length + (a.measured ? 0 : 1)).toBeGreaterThan(0)
  })

  it('summary.md holds the verdict, thresholds and key tables and stays short enough for a pull-request comment', () => {
    const run = fixtureRun()
    const md = renderMarkdown(run, 'report.html')
    expect(md.startsWith(`## ❌ quickstart: ${run.results.state.toUpperCase()}`)).toBe(true)
    expect(md).toContain('| `pipeline_e2e_latency_ms` | `p(99)<5000` |')
    expect(md).toContain('### Streaming vs batch')
    expect(md.length).toBeLessThan(8_000)
  })

  it('warns above the headline numbers when the machine was busy, in summary.md and report.html', async () => {
    const run = fixtureRun()
    const reason = 'CPU steal 8.0 % on average over the load (above 5.0 %)'
    const busy = { ...run, results: { ...run.results, machine_busy: { busy: true, reason } } }
    const warning = `machine busy: ${reason}; the figures may show that load rather than the system under test`
    expect(renderMarkdown(busy, null)).toContain(`### Headline\n\n> ⚠️ ${warning}\n\n| figure | value |`)
    expect(renderMarkdown(run, null)).not.toContain('machine busy')
    const { renderRunPage } = await import('./html/run-page.ts')
    const html = renderRunPage(busy, [], { spec: () => null, files: [] })
    expect(html).toContain(`<h2>Headline numbers</h2><p class="machine-busy" data-key="machine_busy.busy" data-value="true">⚠ ${warning}</p>`)
    expect(renderRunPage(run, [], { spec: () => null, files: [] })).not.toContain('class="machine-busy"')
  })

  it('sets several runs side by side in one page and one Markdown table', async () => {
    const a = copyOfFixture('a')
    const b = copyOfFixture('b')
    const out = join(work, 'compare.html')
    await writeCompareReport([a, b], out)
    const html = readFileSync(out, 'utf8')
    expect(html.match(/<figure [^>]*data-chart=/g)).toHaveLength(11)
    expect(html).toContain('<h1>2 runs side by side</h1>')
    const md = markdownOf([a, b])
    expect(md).toMatch(/^## 2 runs side by side\n\n\| {2}\| `quickstart-[^`]+ \(a\)` \| `quickstart-[^`]+ \(b\)` \|\n/)
    expect(md).toContain('| rated p99 (ms) |')
  }, 60_000)
})
