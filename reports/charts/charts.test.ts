import { afterEach, describe, expect, it, vi } from 'vitest'
import { renderSvg } from '../render/svg.ts'
import { svgToPng } from '../render/png.ts'
import { fixtureRun, withFaults } from '../test-fixture.ts'
import { buildCharts, chartBuilders } from './index.ts'
import { spectrumPoints } from './spectrum.ts'

/** Marks are vega's role-mark groups; count the paths with geometry inside them (what the browser test counts too). */
function markCount(svg: string): number {
  const groups = [...svg.matchAll(/<g[^>]*class="mark-[a-z]+ role-mark[^"]*"[^>]*>([\s\S]*?)<\/g>/g)].map((m) => m[1] ?? '')
  return groups.reduce((n, g) => n + [...g.matchAll(/<path[^>]*\sd="[^"]+"/g)].length, 0)
}

/** Every axis title of a spec, however deeply its layers and panels nest. */
function axisTitles(spec: unknown): string[] {
  if (typeof spec !== 'object' || spec === null) return []
  if (Array.isArray(spec)) return spec.flatMap(axisTitles)
  const record = spec as Record<string, unknown>
  const own = ['x', 'y'].flatMap((channel) => {
    const def = (record['encoding'] as Record<string, { title?: unknown; field?: unknown } | undefined> | undefined)?.[channel]
    return def?.field !== undefined && typeof def.title === 'string' ? [def.title] : []
  })
  return [...own, ...Object.entries(record).filter(([k]) => k !== 'encoding').flatMap(([, v]) => axisTitles(v))]
}

describe('the report charts', () => {
  afterEach(() => {
    vi.restoreAllMocks()
  })

  it('are the eleven the report promises, each rendered to an SVG with its marks, without a vega-lite warning', async () => {
    const warn = vi.spyOn(console, 'warn')
    const charts = buildCharts([fixtureRun()])
    expect(charts.map((c) => c.name)).toEqual(['throughput', 'latency', 'breakdown', 'spectrum', 'backlog', 'faults', 'availability', 'detection', 'billing', 'resources', 'accounting'])
    for (const chart of charts) {
      const svg = await renderSvg(chart.spec, chart.name)
      expect(svg.startsWith('<svg'), chart.name).toBe(true)
      expect(markCount(svg), chart.name).toBeGreaterThan(0)
      // The spec carries its data: nothing to fetch.
      expect(JSON.stringify(chart.spec), chart.name).not.toMatch(/"url"\s*:/)
    }
    expect(warn).not.toHaveBeenCalled()
  }, 60_000)

  it('draw a run with nothing to detect, bill or compare: each panel that has nothing says so in a drawn box', async () => {
    const run = fixtureRun()
    const bare = { ...run, results: { ...run.results, detection: {}, billing: null, batch: null } }
    for (const chart of buildCharts([bare])) {
      const svg = await renderSvg(chart.spec, chart.name)
      expect(markCount(svg), chart.name).toBeGreaterThan(0)
    }
    const detection = buildCharts([bare]).find((c) => c.name === 'detection')
    if (detection === undefined) throw new Error('no detection chart')
    expect(await renderSvg(detection.spec, 'detection')).toContain('no fraud or anomaly in the truth, and no alert')
  }, 60_000)

  it('title every axis with its unit, and say which clock a time axis is on', () => {
    for (const chart of buildCharts([fixtureRun()])) {
      const titles = axisTitles(chart.spec)
      expect(titles.length, chart.name).toBeGreaterThan(0)
      for (const title of titles) expect(title, `${chart.name}: ${title}`).toMatch(/\(.+\)/)
      for (const title of titles.filter((t) => /time|second/.test(t) && !/percentile|latency/.test(t))) expect(title, `${chart.name}: ${title}`).toMatch(/wall|scenario/)
    }
  })

  it('draw each fault as a band on the time charts and as bars with its records lost and copied', async () => {
    const charts = buildCharts([withFaults(fixtureRun())])
    const throughput = JSON.stringify(charts.find((c) => c.name === 'throughput')?.spec)
    expect(throughput).toContain('crash-driver (pipeline-crash)')
    const faults = charts.find((c) => c.name === 'faults')
    if (faults === undefined) throw new Error('no fault chart')
    const svg = await renderSvg(faults.spec, 'faults')
    expect(svg).toContain('crash-driver (pipeline-crash)')
    expect(svg).toContain('never')
    expect(JSON.stringify(faults.spec)).toContain('"events":37')
    const died = withFaults(fixtureRun())
    const withExit = { ...died, results: { ...died.results, unplanned_exits: [{ process: 'spark-streaming', at_s: 21.5, exit_code: null, signal: 'SIGKILL' }] } }
    expect(await renderSvg(buildCharts([withExit]).find((c) => c.name === 'backlog')?.spec ?? faults.spec, 'backlog')).toContain('spark-streaming died')
  }, 30_000)

  it('draw the seconds without service and the under-replicated partitions of a replicated run; a single broker\'s panel says it was not sampled', async () => {
    const run = withFaults(fixtureRun())
    const timeline = run.timeline
    if (timeline === null) throw new Error('fixture without a timeline')
    // A cluster run's shape: produce fails and stalls for two seconds after the kill at 16 s, a node's partitions lag until 22 s.
    const points = timeline.points.map((p) => ({
      ...p,
      acked: p.t_s === 16 || p.t_s === 17 ? 0 : p.acked,
      produce_failed: p.t_s === 16 ? 12 : 0,
      under_replicated: p.t_s >= 16 && p.t_s < 22 ? 11 : 0,
    }))
    const cluster = { ...run, timeline: { ...timeline, points } }
    const chart = buildCharts([cluster]).find((c) => c.name === 'availability')
    if (chart === undefined) throw new Error('no availability chart')
    const data = JSON.stringify(chart.spec)
    expect(data).toContain('{"run":"' + cluster.label + '","state":"produce failed","what":"produce failed","from":16,"to":17}')
    expect(data).toContain('"state":"produce stalled","what":"produce stalled","from":17,"to":18}')
    expect(data).toContain('"t":16,"partitions":11}')
    const svg = await renderSvg(chart.spec, 'availability')
    expect(markCount(svg)).toBeGreaterThan(0)
    expect(svg).toContain('partitions (count)')
    expect(svg).not.toContain('not sampled')
    const single = buildCharts([fixtureRun()]).find((c) => c.name === 'availability')
    expect(await renderSvg(single?.spec ?? chart.spec, 'availability')).toContain('not sampled: the run had one broker or replication factor 1')
  }, 30_000)

  it('overlay several runs on the same axes, told apart by run', () => {
    const a = fixtureRun()
    const b = { ...fixtureRun(), label: 'second run' }
    for (const build of chartBuilders) {
      const spec = JSON.stringify(build([a, b]).spec)
      expect(spec, build.name).toContain('second run')
    }
  })

  it('rasterise to PNG where asked', async () => {
    const [first] = buildCharts([fixtureRun()])
    if (first === undefined) throw new Error('no chart')
    const png = svgToPng(await renderSvg(first.spec, first.name))
    expect(png.subarray(1, 4).toString()).toBe('PNG')
    expect(png.length).toBeGreaterThan(10_000)
  }, 30_000)

  it('plot the percentile spectrum on 1/(1−q) up to the count of values, ending at the max', () => {
    const rated = fixtureRun().histograms['rated']?.whole
    if (rated === undefined) throw new Error('fixture without a rated histogram')
    const points = spectrumPoints(rated)
    expect(points[0]).toMatchObject({ inverse: 1, percentile: 0 })
    const last = points.at(-1)
    expect(last).toMatchObject({ percentile: 100, ms: rated.maxValue / 1000 })
    expect(points.every((p, i) => i === 0 || (p.inverse > (points[i - 1]?.inverse ?? 0) && p.ms >= (points[i - 1]?.ms ?? 0)))).toBe(true)
  })
})
