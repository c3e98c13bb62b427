import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { capacityFiles, readCapacity, type CapacityFile } from '../../harness/results/index.ts'
import { chartFigure } from '../html/sections.ts'
import { esc, page, table } from '../html/markup.ts'
import { renderCharts } from '../write.ts'
import { rateLatencyChart, uslChart } from './charts.ts'
import { capacityHeader, capacityRows, pointHeader, pointRows, renderCapacityMarkdown, uslLines } from './render.ts'

export { renderCapacityMarkdown } from './render.ts'

/** capacity.html: the answers, the capacity table, rate vs p99 with the SLO line, the USL curve, every point. */
export async function renderCapacityHtml(c: CapacityFile): Promise<string> {
  const charts = [rateLatencyChart(c), uslChart(c)].filter((chart) => chart !== null)
  const rendered = await renderCharts(charts)
  const cells = (rows: string[][]): string[][] => rows.map((r) => r.map((cell) => esc(cell)))
  const body = [
    `<h1>Capacity: ${esc(c.scenario)}</h1>`,
    `<p class="sub">${esc(c.capacity_id)} · ${esc(c.started_at)}${c.finished_at === null ? ' · <strong>not finished</strong>' : ''} · runtime ${esc(c.runtime)} · ${c.machine.cores} cores · load average ${esc(c.machine.load_avg_start.join(' '))} at the start · SLOs ${esc(c.search.slos.join(', '))}, lag flat, nothing lost · ${c.search.repeat} run(s) per point of ${c.search.load_wall_s} s</p>`,
    '<h2>Answers</h2>',
    c.answers.length === 0 ? '<p class="not-measured">No --target given.</p>' : `<ul id="answers">${c.answers.map((a) => `<li data-target="${a.target_eps}">${esc(a.answer)}</li>`).join('')}</ul>`,
    '<h2>Capacity per configuration</h2>',
    table(capacityHeader, cells(capacityRows(c)), 'numbers'),
    ...c.configurations.filter((k) => k.bottleneck !== null).map((k) => `<h3>${esc(k.config)}</h3><p>${esc(k.bottleneck?.summary ?? '')}</p><ul>${(k.bottleneck?.evidence ?? []).map((e) => `<li>${esc(e)}</li>`).join('')}</ul>`),
    ...rendered.map((r) => chartFigure(r, null)),
    '<h2>Scalability (USL)</h2>',
    c.scalability.length === 0 ? '<p class="not-measured">No resource knob was varied over three or more values, so no USL fit.</p>' : c.scalability.map((f) => `<p>${uslLines(f).map(esc).join('<br>')}</p>`).join(''),
    '<h2>Every point</h2>',
    table(pointHeader, cells(pointRows(c))),
  ].join('\n')
  return page(`Capacity: ${c.scenario}`, body)
}

/** Writes capacity.md and capacity.html beside capacity.json. */
export async function writeCapacityReport(dir: string): Promise<{ capacity: CapacityFile; markdown: string; html: string }> {
  const capacity = readCapacity(dir)
  const markdown = join(dir, capacityFiles.markdown)
  writeFileSync(markdown, renderCapacityMarkdown(capacity))
  const html = join(dir, capacityFiles.html)
  writeFileSync(html, await renderCapacityHtml(capacity))
  return { capacity, markdown, html }
}
