import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { readSet, setFiles, type SetFile, type SetMetric, type SetRun } from '../harness/results/index.ts'
import { count, ms, percent, rate, seconds } from './format.ts'
import { paint } from './summary/terminal.ts'

/** A set of repeated runs (set.json) as the terminal and set.md show it: the runs, then each figure over them. */

/** A figure of the set in its unit: latencies in ms, rates per second, counts exact, ratios as percentages, times to detect in scenario seconds. */
export function setValue(unit: SetMetric['unit'], n: number | null): string {
  switch (unit) {
    case 'ms':
      return ms(n)
    case 'eps':
      return rate(n)
    case 'events':
      return count(n)
    case 'ratio':
      return percent(n)
    case 's':
      return seconds(n)
  }
}

const unitLabel: Record<SetMetric['unit'], string> = { ms: 'ms', eps: 'ev/s', events: 'events', ratio: '%', s: 'scenario s' }

/** `[low, high] at 96.9 %`, saying so when too few runs reach the level the set aims for. */
export function intervalText(m: SetMetric, targetLevel: number): string {
  if (m.ci === null) return m.n === 1 ? 'n/a (1 run)' : 'n/a'
  const text = `${setValue(m.unit, m.ci.low)}–${setValue(m.unit, m.ci.high)} (${(m.ci.level * 100).toFixed(1)} %)`
  return m.ci.level < targetLevel ? `${text}, too few runs for ${(targetLevel * 100).toFixed(0)} %` : text
}

function runState(r: SetRun): string {
  if (r.state === null) return `error: ${r.error ?? 'unknown'}`
  return r.counted ? r.state : `${r.state} (not counted)`
}

function machine(r: SetRun): string {
  if (r.machine_busy === null) return 'n/a'
  return r.machine_busy.busy ? `busy: ${r.machine_busy.reason}` : 'not busy'
}

/** The figure rows: name and unit, median, min–max, interval of the median, then each run's value. */
function figureRows(set: SetFile): string[][] {
  return Object.entries(set.metrics).map(([name, m]) => [
    `${name} (${unitLabel[m.unit]})`,
    setValue(m.unit, m.median),
    m.min === null || m.max === null ? 'n/a' : `${setValue(m.unit, m.min)}–${setValue(m.unit, m.max)}`,
    intervalText(m, set.ci_target_level),
    ...m.values.map((v) => setValue(m.unit, v)),
  ])
}

function mdTable(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const cell = (s: string): string => s.replace(/\|/g, '\\|')
  return [`| ${header.map(cell).join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((row) => `| ${row.map(cell).join(' | ')} |`)]
}

const counted = (set: SetFile): number => set.runs.filter((r) => r.counted).length

/** set.md: the runs and the figures over them, short enough for a pull-request comment. */
export function renderSetMarkdown(set: SetFile): string {
  const icon = set.exit_code === 0 ? '✅' : set.exit_code === 1 ? '❌' : '⚠️'
  const t = set.telcobench
  const lines = [
    `## ${icon} ${set.scenario}: ${set.runs.length} of ${set.repeat} runs, exit code ${set.exit_code}${set.interrupted ? ' (interrupted)' : ''}`,
    '',
    `Set \`${set.set_id}\` · started ${set.started_at} · telcobench ${t.version} @ \`${t.git_sha.slice(0, 12)}\`${t.dirty ? ' (uncommitted changes)' : ''} · statistics over the ${counted(set)} passed or failed runs; the interval of the median is the order-statistic one`,
    '',
    '### Runs',
    '',
    ...mdTable(['run', 'run id', 'state', 'exit code', 'machine'], set.runs.map((r) => [String(r.index), r.run_id === null ? 'n/a' : `\`${r.run_id}\``, runState(r), String(r.exit_code), machine(r)])),
    '',
    '### Figures',
    '',
    ...mdTable(['figure', 'median', 'min–max', 'interval of the median', ...set.runs.map((r) => `run ${r.index}`)], figureRows(set)),
    '',
  ]
  return lines.join('\n')
}

/** The set's block at the end of `telcobench run --repeat N`. */
export function renderSetSummary(set: SetFile, useColor: boolean): string {
  const { green, red } = paint(useColor)
  const verdict = set.exit_code === 0 ? green(`exit code ${set.exit_code}`) : red(`exit code ${set.exit_code}`)
  const lines = ['', `█ SET  ${set.scenario} (${set.set_id}) · ${set.runs.length} of ${set.repeat} runs · ${verdict}${set.interrupted ? ' · interrupted' : ''}`]
  for (const r of set.runs) {
    const busy = r.machine_busy?.busy === true ? ` · ${red('!')} machine busy: ${r.machine_busy.reason}` : ''
    lines.push(`  run ${String(r.index).padStart(3)}  ${(r.run_id ?? '').padEnd(40)} ${runState(r).padEnd(20)} exit ${r.exit_code}${busy}`)
  }
  lines.push('', `█ FIGURES over the ${counted(set)} passed or failed runs (median · min–max · order-statistic interval of the median · each run)`)
  const rows = figureRows(set)
  const widths = rows.reduce<number[]>((w, row) => row.map((cell, i) => Math.max(w[i] ?? 0, cell.length)), [])
  for (const row of rows) lines.push(`  ${row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  ')}`)
  return lines.join('\n')
}

/** Writes set.md beside set.json, reading the set through the results module. */
export function writeSetMarkdown(setDir: string): string {
  const { set } = readSet(setDir)
  const file = join(setDir, setFiles.markdown)
  writeFileSync(file, renderSetMarkdown(set))
  return file
}
