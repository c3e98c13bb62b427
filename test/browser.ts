import { execFileSync, spawn } from 'node:child_process'
import { statSync } from 'node:fs'
import { pathToFileURL } from 'node:url'
import type { Results } from '../harness/results/index.ts'

/** Debian's `chromium` (or another Chromium build on the PATH); null when none is installed. */
export function chromiumPath(): string | null {
  for (const name of ['chromium', 'chromium-browser', 'google-chrome']) {
    try {
      return execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim() || null
    } catch {
      // not installed under this name
    }
  }
  return null
}

/** Flags for a headless Chromium with no network at all: every host resolves to nothing and every proxy is a dead port. */
const offlineFlags = ['--headless', '--disable-gpu', '--no-sandbox', '--no-first-run', '--disable-extensions', '--disable-background-networking', '--disable-sync', '--host-resolver-rules=MAP * ~NOTFOUND', '--proxy-server=socks5://127.0.0.1:9', '--enable-logging=stderr', '--v=0', '--hide-scrollbars']

function runChromium(binary: string, args: string[]): Promise<{ stdout: string; stderr: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, [...offlineFlags, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()))
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
    child.on('error', reject)
    child.on('exit', (code) => {
      resolve({ stdout, stderr, code })
    })
  })
}

export interface OpenedPage {
  /** The DOM after the page loaded (scripts, if any, would have run). */
  dom: string
  /** What the page wrote to the console, and every load the page's policy or the missing network refused. */
  consoleMessages: string[]
  screenshotBytes: number
}

/** Opens an HTML file in headless Chromium with the network off, dumps its DOM and saves a screenshot. */
export async function openOffline(binary: string, htmlFile: string, screenshotFile: string, width = 1200, height = 2400): Promise<OpenedPage> {
  const url = pathToFileURL(htmlFile).href
  const dumped = await runChromium(binary, ['--dump-dom', url])
  const shot = await runChromium(binary, [`--window-size=${width},${height}`, `--screenshot=${screenshotFile}`, url])
  const consoleMessages = [dumped.stderr, shot.stderr].flatMap((text) => text.split('\n').filter((line) => /CONSOLE|Refused to|net::ERR_/.test(line)))
  return { dom: dumped.stdout, consoleMessages, screenshotBytes: statSync(screenshotFile, { throwIfNoEntry: false })?.size ?? 0 }
}

/** Each chart figure of the page (`<figure data-chart=…>`) with the SVG marks it holds: paths and rects with geometry, texts. */
export function chartMarks(dom: string): Map<string, { paths: number; texts: number }> {
  const charts = new Map<string, { paths: number; texts: number }>()
  for (const figure of dom.matchAll(/<figure[^>]*data-chart="([^"]+)"[^>]*>([\s\S]*?)<\/figure>/g)) {
    const [, name = '', body = ''] = figure
    // Marks are the groups vega tags role-mark (axes, legends and titles carry other roles).
    const markGroups = [...body.matchAll(/<g[^>]*class="mark-[a-z]+ role-mark[^"]*"[^>]*>([\s\S]*?)<\/g>/g)].map((m) => m[1] ?? '')
    const paths = markGroups.reduce((n, g) => n + [...g.matchAll(/<path[^>]*\sd="([^"]+)"/g)].length + [...g.matchAll(/<rect[^>]*\swidth="[1-9]/g)].length, 0)
    const texts = markGroups.reduce((n, g) => n + [...g.matchAll(/<text[^>]*>[^<]+<\/text>/g)].length, 0)
    charts.set(name, { paths, texts })
  }
  return charts
}

/** Every headline figure of the page (`data-key`, `data-value`) that differs from results.json. */
export function headlineMismatches(dom: string, results: Results): string[] {
  const mismatches: string[] = []
  for (const m of dom.matchAll(/data-key="([^"]+)" data-value="([^"]*)"/g)) {
    const [, key = '', shown = ''] = m
    const actual = key.split('.').reduce<unknown>((o, k) => (typeof o === 'object' && o !== null ? (o as Record<string, unknown>)[k] : undefined), results)
    const expected = typeof actual === 'number' || typeof actual === 'string' || typeof actual === 'boolean' ? String(actual) : 'null'
    if (shown !== expected) mismatches.push(`${key}: page ${shown}, results.json ${expected}`)
  }
  return mismatches
}
