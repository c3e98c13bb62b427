import { describe, expect, it } from 'vitest'
import { brokerProperties } from './kafka-broker.ts'

describe('brokerProperties', () => {
  it('advertises its own client listener by default', () => {
    const p = brokerProperties({ dataDir: '/d', clientPort: 9092, controllerPort: 9093, partitions: 4 })
    expect(p).toContain('advertised.listeners=PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093\n')
    expect(p).toContain('inter.broker.listener.name=PLAINTEXT\n')
  })

  it('behind a proxy: clients are sent to the proxy, its own traffic and the controller stay direct', () => {
    const p = brokerProperties({ dataDir: '/d', clientPort: 9092, controllerPort: 9093, partitions: 4, proxied: { advertisedClientPort: 7000, internalPort: 9094 } })
    expect(p).toContain('listeners=PLAINTEXT://127.0.0.1:9092,INTERNAL://127.0.0.1:9094,CONTROLLER://127.0.0.1:9093\n')
    expect(p).toContain('advertised.listeners=PLAINTEXT://127.0.0.1:7000,INTERNAL://127.0.0.1:9094,CONTROLLER://127.0.0.1:9093\n')
    expect(p).toContain('inter.broker.listener.name=INTERNAL\n')
    expect(p).toContain('listener.security.protocol.map=PLAINTEXT:PLAINTEXT,INTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT\n')
  })
})
