/**
 * What the containers runtime starts, as plain data: the Kafka image, its ports and its environment. Pure, so the
 * container's settings are unit-tested without Docker, and `docker-compose.yml` (the same broker for users who run
 * the stack by hand) is checked against them (composeDrift).
 */

/** The broker image: Apache's own, the Kafka version of pipelines/pom.xml (`kafka.version`). */
export const kafkaImage = 'apache/kafka:4.2.0'
/**
 * The name the broker gives itself inside its container (and the compose service's name): the controller quorum and
 * the internal listener are addressed by it, so the same settings work under compose and under testcontainers.
 */
export const kafkaHostname = 'kafka'
/** Container ports that never leave the container: the KRaft controller and the broker's listener to itself. */
export const kafkaInnerPorts = { controller: 9093, internal: 29092 } as const
/** The client port `docker-compose.yml` publishes; the runtime publishes a free one instead (kafkaContainerSpec). */
export const composeClientPort = 9092

/**
 * The single-node settings of the local broker (docs/runtime.md "The broker", harness/runtime/kafka-broker.ts) that
 * do not depend on addresses or folders, as server.properties keys. A unit test checks that they equal the local
 * broker's, so both runtimes measure the same broker.
 */
export function sharedBrokerSettings(partitions: number): Record<string, string> {
  return {
    'process.roles': 'broker,controller',
    'node.id': '1',
    'controller.listener.names': 'CONTROLLER',
    'num.partitions': String(partitions),
    'default.replication.factor': '1',
    'min.insync.replicas': '1',
    'offsets.topic.replication.factor': '1',
    'offsets.topic.num.partitions': '4',
    'transaction.state.log.replication.factor': '1',
    'transaction.state.log.min.isr': '1',
    'transaction.state.log.num.partitions': '4',
    'share.coordinator.state.topic.replication.factor': '1',
    'share.coordinator.state.topic.min.isr': '1',
    'group.initial.rebalance.delay.ms': '0',
    'auto.create.topics.enable': 'false',
    'num.network.threads': '2',
    'num.io.threads': '4',
    'log.retention.hours': '-1',
  }
}

/** The environment variable the apache/kafka image turns into a server.properties key (`a.b` → `KAFKA_A_B`). */
export function kafkaEnvName(propertyKey: string): string {
  return `KAFKA_${propertyKey.toUpperCase().replaceAll('.', '_')}`
}

/** How clients reach the broker: the address it advertises, which must work from the host and inside the container. */
export interface ClientAddress {
  /** The Docker host as clients name it (`localhost` for a local engine). */
  host: string
  /** Published on the host and listened on inside the container, so `host:port` means the broker on both sides. */
  port: number
}

/** The broker container's environment: KRaft combined mode, one node, the shared settings, its listeners. */
export function kafkaEnvironment(client: ClientAddress, partitions: number): Record<string, string> {
  const { controller, internal } = kafkaInnerPorts
  const settings: Record<string, string> = {
    ...sharedBrokerSettings(partitions),
    listeners: `PLAINTEXT://:${client.port},CONTROLLER://:${controller},INTERNAL://:${internal}`,
    'advertised.listeners': `PLAINTEXT://${client.host}:${client.port},INTERNAL://${kafkaHostname}:${internal}`,
    'listener.security.protocol.map': 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,INTERNAL:PLAINTEXT',
    'inter.broker.listener.name': 'INTERNAL',
    'controller.quorum.voters': `1@${kafkaHostname}:${controller}`,
  }
  return Object.fromEntries(Object.entries(settings).map(([key, value]) => [kafkaEnvName(key), value]))
}

/** The container's health check: Kafka's own client asks the broker for its API versions. */
export interface HealthCheckSpec {
  test: ['CMD-SHELL', string]
  intervalS: number
  timeoutS: number
  retries: number
}

/** Readiness as docker-compose.yml declares it; 24 tries 5 s apart give a cold broker two minutes. */
export function kafkaHealthCheck(clientPort: number): HealthCheckSpec {
  return {
    test: ['CMD-SHELL', `/opt/kafka/bin/kafka-broker-api-versions.sh --bootstrap-server localhost:${clientPort} > /dev/null 2>&1`],
    intervalS: 5,
    timeoutS: 10,
    retries: 24,
  }
}

/** Everything the runtime hands to testcontainers. */
export interface KafkaContainerSpec {
  image: string
  hostname: string
  environment: Record<string, string>
  /** Host port → container port; the same number on both sides (ClientAddress). */
  ports: { host: number; container: number }[]
  healthCheck: HealthCheckSpec
}

/** The broker container for a client address and a partition count (the scenario's `pipeline.partitions`). */
export function kafkaContainerSpec(client: ClientAddress, partitions: number): KafkaContainerSpec {
  return {
    image: kafkaImage,
    hostname: kafkaHostname,
    environment: kafkaEnvironment(client, partitions),
    ports: [{ host: client.port, container: client.port }],
    healthCheck: kafkaHealthCheck(client.port),
  }
}

/** True when `port` cannot be the client port because the container uses it for something else. */
export function clashesWithInnerPorts(port: number): boolean {
  return port === kafkaInnerPorts.controller || port === kafkaInnerPorts.internal
}

/** The parts of a compose file the check reads. */
export interface ComposeFile {
  services?: Record<string, { image?: unknown; hostname?: unknown; ports?: unknown; environment?: unknown; healthcheck?: unknown }>
}

/** The versions the JVM build pins (pipelines/pom.xml properties). */
export interface PinnedVersions {
  kafka: string
  spark: string
  scalaBinary: string
}

/**
 * Every way docker-compose.yml differs from what the containers runtime starts with compose's client port
 * (composeClientPort, advertised as localhost) and 4 partitions (the scenarios' default), and from the versions the
 * JVM build pins. Empty when they agree. Each entry names the compose key, what it holds and what it should hold.
 */
export function composeDrift(compose: ComposeFile, versions: PinnedVersions): string[] {
  const drift: string[] = []
  const expected = kafkaContainerSpec({ host: 'localhost', port: composeClientPort }, 4)
  const kafka = compose.services?.['kafka']
  if (kafka === undefined) return ['services.kafka: missing']
  const differ = (key: string, actual: unknown, wanted: unknown): void => {
    if (JSON.stringify(actual) !== JSON.stringify(wanted)) drift.push(`${key}: ${JSON.stringify(actual)}, expected ${JSON.stringify(wanted)}`)
  }
  differ('services.kafka.image', kafka.image, expected.image)
  if (expected.image !== `apache/kafka:${versions.kafka}`) drift.push(`kafkaImage ${expected.image} is not Kafka ${versions.kafka} of pipelines/pom.xml`)
  differ('services.kafka.hostname', kafka.hostname, expected.hostname)
  differ('services.kafka.ports', kafka.ports, expected.ports.map((p) => `${p.host}:${p.container}`))
  const environment = (kafka.environment ?? {}) as Record<string, unknown>
  // YAML reads `1` as a number and `"false"` as a string; Docker passes both as text.
  const asText = Object.fromEntries(Object.entries(environment).map(([k, v]) => [k, String(v)]))
  for (const [name, value] of Object.entries(expected.environment)) differ(`services.kafka.environment.${name}`, asText[name], value)
  for (const name of Object.keys(asText)) if (!(name in expected.environment)) drift.push(`services.kafka.environment.${name}: not set by the containers runtime`)
  const check = expected.healthCheck
  differ('services.kafka.healthcheck', kafka.healthcheck, { test: check.test, interval: `${check.intervalS}s`, timeout: `${check.timeoutS}s`, retries: check.retries })
  differ('services.spark.image', compose.services?.['spark']?.image, `apache/spark:${versions.spark}-scala${versions.scalaBinary}-java17-ubuntu`)
  return drift
}
