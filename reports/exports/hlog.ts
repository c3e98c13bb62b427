import { HistogramLogWriter, type Histogram } from 'hdr-histogram-js'
import type { StreamHistograms } from '../../harness/results/index.ts'

/** A timestamp or max as HistogramLogWriter prints it: three decimals, padded to five characters. */
const seconds = (value: number): string => value.toFixed(3).padStart(5)

/** The tag of the line that holds the run's figures: every value sent after the warm-up, merged. */
export const afterWarmupTag = 'after-warmup'
export const warmupTag = 'warmup'

/**
 * A stream's histograms as an HdrHistogram interval log (`.hlog`, the format Java's HistogramLogWriter writes and
 * HistogramLogAnalyzer reads): untagged, one line per second of receipt after the load's start, every value
 * (warm-up included); then two tagged lines spanning the run: `Tag=after-warmup`, the merged histogram the
 * run's percentiles in results.json come from, and `Tag=warmup`, the values sent during the warm-up. Values in µs;
 * the interval max column in ms.
 */
export function hlogOf(stream: StreamHistograms, runId: string, warmupS: number): string {
  let text = ''
  const writer = new HistogramLogWriter((chunk) => {
    text += chunk
  })
  writer.outputComment(`[telcobench ${runId}: stream ${stream.name}, latency in µs from intended send time; intervals of 1 s after the load's start]`)
  writer.outputComment(`[Tag=${afterWarmupTag}: values sent after the ${warmupS} s warm-up, merged (results.json latency.${stream.name}); Tag=${warmupTag}: values sent during it]`)
  writer.outputLogFormatVersion()
  writer.outputLegend()
  // The stored interval is already in the log's compressed form: written as HistogramLogWriter writes a line, not encoded again.
  for (const { t_s, encoded, histogram } of stream.intervals) text += `${seconds(t_s)},${seconds(1)},${seconds(histogram.maxValue / 1000)},${encoded}\n`
  const endS = Math.max(warmupS, (stream.intervals.at(-1)?.t_s ?? 0) + 1)
  const tagged = (histogram: Histogram, tag: string, fromS: number): void => {
    // The writer takes the tag from the histogram; the run's histogram keeps its own afterwards.
    const own = histogram.tag
    histogram.tag = tag
    writer.outputIntervalHistogram(histogram, fromS, endS, 1000)
    histogram.tag = own
  }
  tagged(stream.whole, afterWarmupTag, warmupS)
  if (stream.warmup !== null) tagged(stream.warmup, warmupTag, 0)
  return text
}
