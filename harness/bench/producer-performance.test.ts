import { describe, expect, it } from 'vitest'
import { parseProducerPerformance } from './producer-performance.ts'

// Output shape of Kafka 4.2's ProducerPerformance: progress lines every 5 s, then the summary.
const output = `SLF4J(W): No SLF4J providers were found.
312517 records sent, 62478.9 records/sec (5.96 MB/sec), 380.4 ms avg latency, 761.0 ms max latency.
500000 records sent, 125439.04 records/sec (11.96 MB/sec), 210.52 ms avg latency, 761.00 ms max latency, 180 ms 50th, 520 ms 95th, 700 ms 99th, 755 ms 99.9th.
`

describe('parseProducerPerformance', () => {
  it('reads the final summary line, not a progress line', () => {
    expect(parseProducerPerformance(output)).toEqual({ records: 500000, rate: 125439.04, avgLatencyMs: 210.52, maxLatencyMs: 761 })
  })

  it('says what it got when there is no summary', () => {
    expect(() => parseProducerPerformance('Exception in thread "main" org.apache.kafka.common.errors.TimeoutException')).toThrow(/no "records sent" summary[\s\S]*TimeoutException/)
  })
})
