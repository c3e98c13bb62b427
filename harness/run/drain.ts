/** What the drain watches: how many events are accounted for, and when the last output arrived. */
export interface DrainSource {
  accounted(): number
  /** process.hrtime.bigint() of the last output record, 0n before the first. */
  lastOutputNs(): bigint
  /** True once the pipeline cannot produce more output (its driver or broker died and was not started again). */
  dead(): boolean
  /**
   * True once the bills are complete too: rated records can all be in while a separate billing query (real-time
   * mode's, every few seconds) has not run its last batch yet.
   */
  billsCaughtUp(): boolean
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

/**
 * Waits after the load until every expected output arrived, or no output came for `quietS`.
 * The quiet time counts from the later of the last output and the start of the drain: a pipeline that a fault
 * stopped near the end of the load (a driver killed seconds before it) gets the full quiet time to restart and
 * catch up, instead of being declared finished by silence it spent restarting. A dead pipeline ends the wait
 * once the output it wrote before it died has been read (`settleMs` without a new output): the planned faults are
 * over by now, so nobody will start it again. Once every record is accounted for, the drain also waits (at most
 * `quietS`) for the billing to read the input to its end, so that the last billing batch is not cut off.
 */
export async function drain(source: DrainSource, expected: number, quietS: number, signal: AbortSignal, settleMs = 2000): Promise<'complete' | 'quiet' | 'dead' | 'aborted'> {
  const quietNs = BigInt(Math.round(quietS * 1e9))
  const startNs = process.hrtime.bigint()
  const settleNs = BigInt(settleMs) * 1_000_000n
  let deadSinceNs: bigint | null = null
  for (;;) {
    if (signal.aborted) return 'aborted'
    if (source.accounted() >= expected) {
      const accountedNs = process.hrtime.bigint()
      while (!source.billsCaughtUp() && !source.dead() && !signal.aborted && process.hrtime.bigint() - accountedNs <= quietNs) await sleep(100)
      // Give duplicates and the bills of the last batch a moment to arrive after its progress.
      await sleep(settleMs)
      return 'complete'
    }
    const last = source.lastOutputNs()
    if (source.dead()) {
      deadSinceNs ??= process.hrtime.bigint()
      const quietSince = last > deadSinceNs ? last : deadSinceNs
      if (process.hrtime.bigint() - quietSince >= settleNs) return 'dead'
      await sleep(100)
      continue
    }
    const quietSince = last > startNs ? last : startNs
    if (process.hrtime.bigint() - quietSince > quietNs) return 'quiet'
    await sleep(250)
  }
}
