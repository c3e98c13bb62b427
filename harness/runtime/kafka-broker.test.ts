import { describe, expect, it } from 'vitest'
import { brokerProperties, brokerReadyTimeoutMs, brokerStartFailure, restartReadyTimeoutMs } from './kafka-broker.ts'

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

describe('a broker restart', () => {
  it('gets three times the start-up timeout, scaled with it: log recovery after a kill on a busy machine', () => {
    expect(restartReadyTimeoutMs(brokerReadyTimeoutMs)).toBe(180_000)
    expect(restartReadyTimeoutMs(200)).toBe(600)
  })

  it('names an unformatted data folder and a port clash from the log, nothing for an unknown cause', () => {
    const unformatted = brokerStartFailure('[2026-11-30 15:07:01,123] ERROR Exiting Kafka due to fatal exception (kafka.Kafka$)\njava.lang.RuntimeException: No readable meta.properties files found.\n', '/run/kafka/data')
    expect(unformatted?.cause).toBe('its data folder /run/kafka/data holds no meta.properties: it is not a formatted Kafka log folder (any more)')
    expect(unformatted?.fix).toContain('/run/kafka/data')
    expect(brokerStartFailure('org.apache.kafka.common.KafkaException: Socket server failed to bind to 127.0.0.1:9092: Address already in use.', '/d')?.cause).toBe('one of its ports is taken by another process')
    expect(brokerStartFailure('[2026-11-30] INFO Kafka version: 4.2.0', '/d')).toBeNull()
  })
})
