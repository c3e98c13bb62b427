import { describe, expect, it } from 'vitest'
import type { ScheduledEvent } from '../../generators/index.ts'
import { hotKey, hotPartitionKey, isHotSubscriber } from './hot-partition.ts'

const imsis = Array.from({ length: 20_000 }, (_, i) => `20801${String(1_000_000_000 + i * 7919)}`)

describe('hot-partition skew', () => {
  it('picks close to the asked share of subscribers, the same ones every time', () => {
    for (const share of [0.1, 0.5]) {
      const hot = imsis.filter((imsi) => isHotSubscriber(imsi, share)).length / imsis.length
      expect(Math.abs(hot - share)).toBeLessThan(0.02)
    }
    expect(imsis.filter((imsi) => isHotSubscriber(imsi, 0))).toEqual([])
    expect(imsis.every((imsi) => isHotSubscriber(imsi, 1))).toBe(true)
  })
  it('gives a hot subscriber\'s usage records the one hot key and leaves other topics alone', () => {
    const key = hotPartitionKey(0.5)
    const hotImsi = imsis.find((imsi) => isHotSubscriber(imsi, 0.5)) ?? ''
    const coldImsi = imsis.find((imsi) => !isHotSubscriber(imsi, 0.5)) ?? ''
    const event = (topic: ScheduledEvent['topic'], k: string): ScheduledEvent => ({ topic, key: k }) as ScheduledEvent
    expect(key(event('cdr', hotImsi))).toBe(hotKey)
    expect(key(event('cdr', coldImsi))).toBe(coldImsi)
    expect(key(event('pm', hotImsi))).toBe(hotImsi)
  })
})
