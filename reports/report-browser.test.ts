import { cpSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chartMarks, chromiumPath, headlineMismatches, openOffline } from '../test/browser.ts'
import { writeRunReport } from './index.ts'
import { fixtureRunDir } from './test-fixture.ts'

const chromium = chromiumPath()

describe.skipIf(chromium === null)('report.html in headless Chromium, network off (skipped: chromium is not installed; apt-get install chromium)', () => {
  // Made and removed inside the describe: when it is skipped, vitest runs none of the file's hooks, and a folder made
  // at the top of the file would stay in the temp directory.
  let work = ''
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'telcobench-browser-'))
  })
  afterAll(() => {
    rmSync(work, { recursive: true, force: true })
  })

  it('opens without a console error, draws all eleven charts and shows the headline numbers of results.json', async () => {
    const dir = join(work, 'run')
    cpSync(fixtureRunDir, dir, { recursive: true })
    const { run, files } = await writeRunReport(dir)
    const page = await openOffline(chromium ?? '', files.html, join(dir, 'report.png'))
    expect(page.consoleMessages).toEqual([])
    const marks = chartMarks(page.dom)
    expect([...marks.keys()]).toEqual(['throughput', 'latency', 'breakdown', 'spectrum', 'backlog', 'faults', 'availability', 'detection', 'billing', 'resources', 'accounting'])
    for (const [name, m] of marks) expect(m.paths, name).toBeGreaterThan(0)
    expect(page.dom).toContain(`data-key="accounting.generated" data-value="${run.results.accounting.generated}"`)
    expect(headlineMismatches(page.dom, run.results)).toEqual([])
    expect(page.screenshotBytes).toBeGreaterThan(50_000)
  }, 120_000)
})
