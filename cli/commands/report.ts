import { basename, isAbsolute, join, relative } from 'node:path'
import { writeFileSync } from 'node:fs'
import { ExitCode } from '../../harness/errors.ts'
import { markdownOf, writeChartImages, writeCompareReport, writeRunReport } from '../../reports/index.ts'
import type { ReportCliOptions } from '../program.ts'


function shown(path: string): string {
  const rel = relative(process.cwd(), path)
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path
}

/**
 * `telcobench report <run-dir...>`: renders one run's report again (into its folder, or `--out`), or several runs
 * side by side; `--format md` prints Markdown, `svg`/`png` write each chart as an image.
 */
export async function reportCommand(dirs: string[], o: ReportCliOptions): Promise<number> {
  const [first] = dirs
  if (first === undefined) return ExitCode.invalidInput
  if (o.format === 'md') {
    const markdown = markdownOf(dirs)
    if (o.out === undefined) process.stdout.write(markdown)
    else {
      writeFileSync(o.out, markdown)
      console.log(`summary: ${shown(o.out)}`)
    }
    return ExitCode.passed
  }
  if (o.format === 'svg' || o.format === 'png') {
    const outDir = o.out ?? (dirs.length === 1 ? join(first, 'charts') : `charts-${dirs.map((d) => basename(d)).join('-vs-')}`)
    for (const file of await writeChartImages(dirs, outDir, o.format)) console.log(`chart: ${shown(file)}`)
    return ExitCode.passed
  }
  if (dirs.length === 1) {
    const { files } = await writeRunReport(first, o.out !== undefined ? { htmlOut: o.out } : {})
    console.log(`summary: ${shown(files.markdown)}`)
    console.log(`report: ${shown(files.html)}`)
    return ExitCode.passed
  }
  const out = o.out ?? `compare-${dirs.map((d) => basename(d)).join('-vs-')}.html`
  console.log(`report: ${shown(await writeCompareReport(dirs, out))}`)
  return ExitCode.passed
}
