import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { repoRoot } from './paths.ts'
import { clashesWithInnerPorts, composeDrift, kafkaContainerSpec, kafkaEnvName, sharedBrokerSettings, type ComposeFile, type PinnedVersions } from './containers-spec.ts'
import { brokerProperties } from './kafka-broker.ts'

const readCompose = (): ComposeFile => parse(readFileSync(join(repoRoot, 'docker-compose.yml'), 'utf8')) as ComposeFile

/** The versions pipelines/pom.xml pins, read from its <properties>. */
function pomVersions(): PinnedVersions {
  const pom = readFileSync(join(repoRoot, 'pipelines', 'pom.xml'), 'utf8')
  const property = (name: string): string => new RegExp(`<${name}>([^<]+)</${name}>`).exec(pom)?.[1] ?? `(no ${name})`
  return { kafka: property('kafka.version'), spark: property('spark.version'), scalaBinary: property('scala.binary.version') }
}

describe('the containers runtime broker', () => {
  it('listens on the published port inside the container, so the advertised address works from the host and from its own health check', () => {
    const spec = kafkaContainerSpec({ host: 'localhost', port: 40123 }, 6)
    expect(spec.image).toBe('apache/kafka:4.2.0')
    expect(spec.hostname).toBe('kafka')
    expect(spec.ports).toEqual([{ host: 40123, container: 40123 }])
    expect(spec.environment['KAFKA_LISTENERS']).toBe('PLAINTEXT://:40123,CONTROLLER://:9093,INTERNAL://:29092')
    expect(spec.environment['KAFKA_ADVERTISED_LISTENERS']).toBe('PLAINTEXT://localhost:40123,INTERNAL://kafka:29092')
    expect(spec.environment['KAFKA_CONTROLLER_QUORUM_VOTERS']).toBe('1@kafka:9093')
    expect(spec.environment['KAFKA_NUM_PARTITIONS']).toBe('6')
    expect(spec.healthCheck).toEqual({ test: ['CMD-SHELL', '/opt/kafka/bin/kafka-broker-api-versions.sh --bootstrap-server localhost:40123 > /dev/null 2>&1'], intervalS: 5, timeoutS: 10, retries: 24 })
  })

  it('advertises a remote Docker host by its name', () => {
    expect(kafkaContainerSpec({ host: 'docker-host.lan', port: 40123 }, 4).environment['KAFKA_ADVERTISED_LISTENERS']).toBe('PLAINTEXT://docker-host.lan:40123,INTERNAL://kafka:29092')
  })

  it('names server.properties keys as the apache/kafka image reads them', () => {
    expect(kafkaEnvName('share.coordinator.state.topic.min.isr')).toBe('KAFKA_SHARE_COORDINATOR_STATE_TOPIC_MIN_ISR')
    expect(kafkaEnvName('node.id')).toBe('KAFKA_NODE_ID')
  })

  it('never takes the controller or internal port as the client port', () => {
    expect([9093, 29092, 9092, 40123].map(clashesWithInnerPorts)).toEqual([true, true, false, false])
  })

  it('runs the same single-node settings as the local broker, every one of them', () => {
    // Addresses and folders differ by nature between a child JVM on loopback and a container.
    const placeDependent = new Set(['listeners', 'advertised.listeners', 'listener.security.protocol.map', 'inter.broker.listener.name', 'controller.quorum.bootstrap.servers', 'log.dirs'])
    const local = Object.fromEntries(
      brokerProperties({ dataDir: '/data', clientPort: 41000, controllerPort: 41001, partitions: 7 })
        .split('\n')
        .filter((line) => line.includes('='))
        .map((line): [string, string] => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)])
        .filter(([key]) => !placeDependent.has(key)),
    )
    expect(sharedBrokerSettings(7)).toEqual(local)
  })
})

describe('docker-compose.yml', () => {
  it('starts the broker the containers runtime starts (image, hostname, ports, environment, health check) and the Spark version the jobs are built with', () => {
    expect(composeDrift(readCompose(), pomVersions())).toEqual([])
  })

  it('reports each way a compose file drifts, by key', () => {
    const compose = readCompose()
    const kafka = compose.services?.['kafka']
    if (kafka === undefined) throw new Error('docker-compose.yml has no kafka service')
    const environment = { ...(kafka.environment as Record<string, unknown>), KAFKA_NUM_IO_THREADS: 8, KAFKA_LOG_DIRS: '/var/kafka' }
    const drifted: ComposeFile = { services: { kafka: { ...kafka, image: 'apache/kafka:4.1.0', ports: ['29092:9092'], environment }, spark: { image: 'apache/spark:4.0.0' } } }
    expect(composeDrift(drifted, { kafka: '4.2.0', spark: '4.1.1', scalaBinary: '2.13' })).toEqual([
      'services.kafka.image: "apache/kafka:4.1.0", expected "apache/kafka:4.2.0"',
      'services.kafka.ports: ["29092:9092"], expected ["9092:9092"]',
      'services.kafka.environment.KAFKA_NUM_IO_THREADS: "8", expected "4"',
      'services.kafka.environment.KAFKA_LOG_DIRS: not set by the containers runtime',
      'services.spark.image: "apache/spark:4.0.0", expected "apache/spark:4.1.1-scala2.13-java17-ubuntu"',
    ])
  })

  it('reports a runtime image that is not the Kafka version the JVM build pins', () => {
    expect(composeDrift(readCompose(), { kafka: '4.3.0', spark: '4.1.1', scalaBinary: '2.13' })).toEqual(['kafkaImage apache/kafka:4.2.0 is not Kafka 4.3.0 of pipelines/pom.xml'])
  })
})
