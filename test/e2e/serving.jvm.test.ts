import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import puppeteer, { type Browser } from 'puppeteer-core'
import { afterAll, describe, expect, it } from 'vitest'
import { readRun, type LiveSnapshot } from '../../harness/results/index.ts'
import { chromiumPath } from '../browser.ts'
import { processesMentioning, startCli } from '../helpers.ts'

const resultsDir = mkdtempSync(join(tmpdir(), 'telcobench-serving-'))
let browser: Browser | null = null
/** The run's progress lines, printed should the run not end in time (its folder is removed with the test's). */
const stderrLines: string[] = []
let runEnded = false
afterAll(async () => {
  if (!runEnded) console.error(`the run did not end; its last lines:\n${stderrLines.slice(-40).join('\n')}`)
  await browser?.close()
  // Should the test fail, no JVM of its run may outlive it.
  for (const pid of processesMentioning(resultsDir)) process.kill(pid, 'SIGKILL')
  rmSync(resultsDir, { recursive: true, force: true })
})

/** What the page shows: the snapshot it says it shows, and every figure it marks with data-field. */
interface PageFigures {
  seq: number
  updates: number
  chartUpdates: number
  fields: Record<string, string>
}

/** A snapshot field as the page shows it (the page's own path rules: `last.*` is the last complete second). */
function expectedValue(s: LiveSnapshot, path: string): string {
  const last = s.points.length >= 2 ? s.points[s.points.length - 2] : null
  let value: unknown
  if (path === 't_s') value = Math.max(0, Math.floor(s.t_s))
  else if (path.startsWith('last.')) value = last === null ? null : (last as unknown as Record<string, unknown>)[path.slice(5)]
  else if (path.startsWith('bills.')) {
    const [, subscriber, key] = path.split('.')
    value = s.bills?.find((b) => b.subscriber === subscriber)?.[key as 'records' | 'charge_subunits']
  } else if (path.startsWith('alerts.by_kind.')) value = s.alerts.by_kind.find((k) => k.kind === path.slice('alerts.by_kind.'.length))?.count
  else value = path.split('.').reduce<unknown>((o, k) => (o === null || o === undefined ? undefined : (o as Record<string, unknown>)[k]), s)
  if (value === null || value === undefined) return ''
  return typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean' ? String(value) : JSON.stringify(value)
}

/**
 * How long the harness may take to exit after its `report:` line. Everything is stopped and written by then; a
 * process still alive after this is held by a timer or socket nobody closed (the cassandra-driver hosts a
 * store-kill used to leave behind, docs/serving.md "Store-kill and the driver's client").
 */
const exitAfterReportMs = 30_000

describe('the serving store and the live dashboard, with the Spark driver and then Cassandra killed', () => {
  it('keeps the store exact under at-least-once after a driver kill and a store kill, shows the harness figures live, and exits', async () => {
    const chromium = chromiumPath()
    expect(chromium, 'Debian chromium is needed (.ci/run installs it)').not.toBeNull()
    let url = ''
    let runDir = ''
    let opened: Promise<{ figures: PageFigures; harness: LiveSnapshot; errors: string[] }> | null = null
    const { child, done } = startCli(['run', 'test/fixtures/serving.yaml', '--results', resultsDir, '--no-batch', '--broker-profile', 'functional', '--dashboard'], {}, (line) => {
      stderrLines.push(line)
      const dashboard = /^dashboard: (http:\/\/127\.0\.0\.1:\d+\/) /.exec(line)
      if (dashboard !== null) url = dashboard[1] ?? ''
      const output = /^\s+output\s+(\S+)$/.exec(line)
      if (output !== null) runDir = output[1] ?? ''
      if (opened === null && line.startsWith('Producing for') && url !== '') opened = watchPage(chromium ?? '', url, () => runDir)
    })
    // The run is over once `report:` is printed; a harness that lingers after it is ended and the test fails.
    let stdout = ''
    let lingered = false
    let exitWatch: NodeJS.Timeout | undefined
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString()
      if (exitWatch === undefined && /^report: /m.test(stdout)) {
        exitWatch = setTimeout(() => {
          lingered = true
          child.kill('SIGKILL')
        }, exitAfterReportMs)
      }
    })
    const r = await done
    clearTimeout(exitWatch)
    runEnded = true
    expect(lingered, `the harness printed its report but was still running ${String(exitAfterReportMs / 1000)} s later`).toBe(false)
    expect(r.exitCode, r.stderr).toBe(0)
    expect(opened, r.stderr).not.toBeNull()
    const page = await (opened as unknown as Promise<{ figures: PageFigures; harness: LiveSnapshot; errors: string[] }>)

    // The page: updated at least three times, no console error, every marked figure equal to the harness's.
    expect(page.errors).toEqual([])
    expect(page.figures.updates).toBeGreaterThanOrEqual(3)
    expect(page.figures.chartUpdates).toBeGreaterThanOrEqual(3)
    expect(Object.keys(page.figures.fields).length).toBeGreaterThan(8)
    for (const [path, shown] of Object.entries(page.figures.fields)) expect(shown, path).toBe(expectedValue(page.harness, path))
    expect(statSync(join(runDir, 'dashboard.png')).size).toBeGreaterThan(10_000)

    const { results } = readRun(runDir)
    // The driver kill and the store kill happened and both came back; nothing was lost on the way.
    expect(results.faults).toHaveLength(2)
    expect(results.faults[0]).toMatchObject({ kind: 'pipeline-crash', error: null, target: 'pipeline' })
    expect(results.faults[0]?.restarted_at_s).not.toBeNull()
    expect(results.faults[1]).toMatchObject({ kind: 'store-kill', error: null, target: 'store' })
    expect(results.faults[1]?.restarted_at_s).not.toBeNull()
    expect(results.accounting.lost).toBe(0)
    expect(results.unplanned_exits).toEqual([])
    // What an agent reads from the store: every rated record, and bills exact against the truth and the bills topic,
    // however many times the replayed batch was written (Kafka may hold duplicates; the store never double-counts).
    const serving = results.serving
    expect(serving?.read_error).toBeNull()
    expect(serving?.billing).toMatchObject({ bill_exact_match_ratio: 1, leakage_ratio: 0, overbilling_ratio: 0, billing_error_ratio: 0 })
    expect(serving?.billing?.rated_rows.missing_from_store).toBe(0)
    expect(serving?.billing?.rated_rows.not_on_topic).toBe(0)
    expect(serving?.billing?.rated_rows.in_store).toBe(results.accounting.rated_once + results.accounting.duplicated)
    expect(serving?.billing?.bills_topic.differ).toBe(0)
    // The served stream: sampled records read back from the store.
    expect(serving?.served_sampling.read_back).toBeGreaterThan(0)
    expect(results.latency['served']?.count).toBeGreaterThan(0)
    expect((JSON.parse(readFileSync(join(runDir, 'dashboard.json'), 'utf8')) as { snapshots: number }).snapshots).toBeGreaterThanOrEqual(3)
    // Nothing left behind: no JVM of the run, no Cassandra data.
    expect(processesMentioning(resultsDir)).toEqual([])
    expect(existsSync(join(runDir, 'cassandra', 'data'))).toBe(false)
  }, 1_500_000)
})

/**
 * Opens the dashboard in headless Chromium, waits for three snapshots and three chart draws, then reads the page's
 * figures together with the harness's snapshot of the same sequence number (/snapshot.json), and saves a screenshot.
 */
async function watchPage(chromium: string, url: string, runDir: () => string): Promise<{ figures: PageFigures; harness: LiveSnapshot; errors: string[] }> {
  browser = await puppeteer.launch({ executablePath: chromium, headless: true, args: ['--no-sandbox', '--disable-gpu'] })
  const page = await browser.newPage()
  await page.setViewport({ width: 1400, height: 1100 })
  const errors: string[] = []
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text())
  })
  page.on('pageerror', (e) => errors.push(String(e)))
  await page.goto(url, { waitUntil: 'domcontentloaded' })
  // Page-side code as strings: the test is compiled without the DOM types.
  await page.waitForFunction('Number(document.body.dataset.updates) >= 3 && Number(document.body.dataset.chartUpdates) >= 3', { timeout: 120_000, polling: 200 })
  for (let attempt = 0; attempt < 50; attempt++) {
    const figures = (await page.evaluate(`(() => {
      const fields = {}
      for (const el of document.querySelectorAll('[data-field]')) fields[el.dataset.field] = el.dataset.value ?? ''
      const d = document.body.dataset
      return { seq: Number(d.seq), updates: Number(d.updates), chartUpdates: Number(d.chartUpdates), fields }
    })()`)) as PageFigures
    const published = (await (await fetch(new URL('snapshot.json', url))).json()) as { seq: number; snapshot: LiveSnapshot }
    if (published.seq === figures.seq) {
      // The screenshot once the store's bills show (docs/img/dashboard.png is one), or after 90 s whatever shows.
      await page.waitForFunction('document.querySelector(\'[data-field^="bills."]\') !== null', { timeout: 90_000, polling: 500 }).catch(() => undefined)
      await page.screenshot({ path: join(runDir(), 'dashboard.png'), fullPage: true })
      await browser.close()
      browser = null
      return { figures, harness: published.snapshot, errors }
    }
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error('the page never showed the snapshot the harness had last published')
}
