import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { readRun } from '../../harness/results/index.ts'
import { processCommandLine } from '../../harness/runtime/process-identity.ts'
import { processesMentioning, startCli } from '../helpers.ts'

const resultsDir = mkdtempSync(join(tmpdir(), 'telcobench-died-'))
afterAll(() => {
  // Should the test fail, no JVM of its run may outlive it.
  for (const pid of processesMentioning(resultsDir)) process.kill(pid, 'SIGKILL')
  rmSync(resultsDir, { recursive: true, force: true })
})

/** The bound on noticing the death: a few seconds, where the harness used to wait 60 s of silence. */
const noticeBoundMs = 3_000
/**
 * small.yaml stretched to ~67 s of load (~60 usage records/s). The driver dies 1 s after the third progress line
 * in a row (one every 10 s) that shows rated records and a small backlog: micro-batches have completed and
 * published their progress, so part of `cdr` is consumed, and records are still to come. Waiting for the backlog
 * to be small keeps the seconds before the death a pipeline that keeps up: on a slow host the first micro-batches
 * build a start-up backlog, and a death in the middle of it would rightly be judged not_sustained. Three lines
 * leave ~20 s between the warm-up and the death for the lag trend, where 10 s of a micro-batch sawtooth can
 * read as growth.
 */
const scenarioArgs = ['test/fixtures/small.yaml', '--set', 'duration=40m']
/** About 3 s of the offered load. */
const smallBacklog = 200
/** A progress line: `    1 min 10 s of 1 min 07 s · sent 4,321 · rated 2,345 · … · backlog 12 · …` (elapsed load time, records rated so far, usage records not yet accounted for). */
const progressLine = /^\s+(?:(\d+) min )?(\d+) s of .*· rated ([\d,]+) · .*· backlog ([\d,]+) ·/
const numberIn = (text: string | undefined): number => Number((text ?? '0').replaceAll(',', ''))

/** The pid of the run's Spark streaming driver, found the way an outsider would: by its command line. */
function sparkDriverPid(runFolderParent: string): number | null {
  const pid = processesMentioning(runFolderParent).find((p) => processCommandLine(p)?.includes('telcobench.spark.StreamingApp') === true)
  return pid ?? null
}

describe('the Spark driver killed from outside, no fault planned', () => {
  it('is named within seconds, fails the run with pipeline_died, and counts unread records as unprocessed, not lost', async () => {
    let killedAt = 0
    let killedPid: number | null = null
    let noticedAt = 0
    let noticeLine = ''
    let killAtLoadS = 0
    let caughtUpLinesInARow = 0
    const { done } = startCli(['run', ...scenarioArgs, '--results', resultsDir, '--no-batch', '--broker-profile', 'functional'], {}, (line) => {
      const progress = progressLine.exec(line)
      if (progress !== null) {
        const caughtUp = numberIn(progress[3]) > 0 && numberIn(progress[4]) <= smallBacklog
        caughtUpLinesInARow = caughtUp ? caughtUpLinesInARow + 1 : 0
      }
      if (progress !== null && caughtUpLinesInARow === 3 && killedAt === 0) {
        killedAt = -1
        killAtLoadS = Number(progress[1] ?? 0) * 60 + Number(progress[2]) + 1
        setTimeout(() => {
          killedPid = sparkDriverPid(resultsDir)
          killedAt = Date.now()
          if (killedPid !== null) process.kill(killedPid, 'SIGKILL')
        }, 1000)
      }
      if (noticedAt === 0 && line.includes('Spark streaming driver died at')) {
        noticedAt = Date.now()
        noticeLine = line
      }
    })
    const r = await done
    expect(killedPid, r.stderr).not.toBeNull()
    expect(noticeLine, r.stderr).toMatch(/^Spark streaming driver died at \d+ s \(signal SIGKILL\), not a planned fault$/)
    const noticeMs = noticedAt - killedAt
    console.info(`the harness named the death ${noticeMs} ms after the SIGKILL`)
    expect(noticeMs).toBeGreaterThanOrEqual(0)
    expect(noticeMs).toBeLessThan(noticeBoundMs)
    // No 60 s wait for output that cannot come.
    expect(r.stderr).toContain('Not draining: the Spark streaming driver is dead')
    expect(r.stderr).not.toContain('No output for 60 s')
    expect(r.exitCode, r.stderr).toBe(1)

    const runs = readdirSync(resultsDir)
    expect(runs).toHaveLength(1)
    const runDir = join(resultsDir, runs[0] ?? '')
    const { results } = readRun(runDir)
    expect(results.state).toBe('failed')
    expect(results.verdict.reasons[0]?.code).toBe('pipeline_died')
    expect(results.verdict.reasons[0]?.message).toMatch(/^Spark streaming driver died at \d+ s \(signal SIGKILL\), not a planned fault$/)
    expect(results.unplanned_exits).toHaveLength(1)
    expect(results.unplanned_exits[0]).toMatchObject({ process: 'spark-streaming', exit_code: null, signal: 'SIGKILL' })
    const diedAtS = results.unplanned_exits[0]?.at_s ?? 0
    expect(Math.abs(diedAtS - killAtLoadS)).toBeLessThan(2)

    // Records the dead driver never read are still in cdr: unprocessed. None of them is reported lost.
    const a = results.accounting
    console.info(`died at ${diedAtS} s; accounting ${JSON.stringify(a)}; steady state ${JSON.stringify(results.steady_state)}`)
    console.info(r.stderr.split('\n').filter((l) => /died at|Load done|Not draining|unread in the input topic|Skipping| s +sent /.test(l)).join('\n'))
    expect(a.generated).toBeGreaterThan(1000)
    // The driver had consumed and rated part of the input: its position is not simply "nothing read".
    expect(a.rated_once).toBeGreaterThan(0)
    const unreadRecords = Number(/(\d+) records were still unread in the input topic/.exec(r.stderr)?.[1] ?? NaN)
    expect(unreadRecords).toBeGreaterThan(0)
    expect(unreadRecords).toBeLessThan(a.generated)
    expect(a.lost).toBe(0)
    expect(a.unprocessed).toBeGreaterThan(0)
    expect(a.rated_once + a.dlq + a.late_dropped + a.lost + a.duplicated + a.unprocessed).toBe(a.generated)
    expect(results.verdict.reasons.map((x) => x.code)).not.toContain('lost_events')
    expect(results.verdict.reasons.map((x) => x.code)).toContain('unprocessed_events')
    // The lag that grew after the death is not read as a pipeline that does not keep up.
    expect(results.verdict.reasons.map((x) => x.code)).not.toContain('not_sustained')
    expect(results.steady_state?.to_s ?? Infinity).toBeLessThanOrEqual(Math.ceil(diedAtS))
    expect(r.stdout).toContain('[pipeline_died]')

    expect(processesMentioning(runDir)).toEqual([])
  })
})
