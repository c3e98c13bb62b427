import { execFile } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { TelcobenchError } from '../errors.ts'
import type { KafkaConnection } from '../kafka/index.ts'
import type { JavaInfo } from './java.ts'

/** The scenario's `security`: what the embedded broker enforces (docs/security.md). */
export interface SecuritySettings {
  tls: boolean
  sasl: 'scram-sha-512' | null
  acls: boolean
}

/** Who connects, each with its own SCRAM user (and its own ACLs when `acls` is on). */
export const clientRoles = ['admin', 'generator', 'engine', 'measurer', 'outsider'] as const
export type ClientRole = (typeof clientRoles)[number]

/** The per-run key material and users, made at run time in `<run>/kafka/security/` and deleted with the broker's data. */
export interface RunCredentials {
  dir: string
  /** Password of the broker's keystore and of the truststore (random per run). */
  storePassword: string
  keystore: string
  truststore: string
  /** The run's CA certificate (PEM), which every client trusts. */
  caPem: string
  users: Record<ClientRole, { username: string; password: string }>
}

/** The Kafka listener protocol of the client listener for these settings. */
export function clientProtocol(s: SecuritySettings): 'PLAINTEXT' | 'SSL' | 'SASL_SSL' {
  if (s.sasl !== null) return 'SASL_SSL'
  return s.tls ? 'SSL' : 'PLAINTEXT'
}

export function isSecured(s: SecuritySettings | undefined): s is SecuritySettings {
  return s !== undefined && (s.tls || s.sasl !== null || s.acls)
}

function keytoolOf(java: JavaInfo): string {
  return java.bin === 'java' || basename(java.bin) !== 'java' ? 'keytool' : join(dirname(java.bin), 'keytool')
}

function run(bin: string, args: string[], cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(bin, args, { cwd, timeout: 120_000 }, (error, _stdout, stderr) => {
      if (error !== null) reject(new Error(`${bin} ${args.slice(0, 2).join(' ')} failed: ${error.message}\n${stderr}`))
      else resolve()
    })
  })
}

const secret = (): string => randomBytes(18).toString('base64url')

/**
 * Makes a certificate authority for this run alone and a broker certificate it signs (for `localhost` and
 * 127.0.0.1, which clients verify), with the JDK's keytool: nothing is committed, nothing outlives the run. Also
 * draws a random password for every SCRAM user.
 */
export async function createRunCredentials(java: JavaInfo, dir: string): Promise<RunCredentials> {
  mkdirSync(dir, { recursive: true })
  const keytool = keytoolOf(java)
  const pass = secret()
  const store = (file: string): string[] => ['-keystore', file, '-storetype', 'PKCS12', '-storepass', pass]
  const san = 'SAN=dns:localhost,ip:127.0.0.1'
  const steps: string[][] = [
    ['-genkeypair', '-alias', 'ca', ...store('ca.p12'), '-keyalg', 'RSA', '-keysize', '2048', '-validity', '2', '-dname', 'CN=telcobench per-run CA', '-ext', 'bc:c'],
    ['-exportcert', '-alias', 'ca', ...store('ca.p12'), '-rfc', '-file', 'ca.pem'],
    ['-genkeypair', '-alias', 'broker', ...store('broker.p12'), '-keyalg', 'RSA', '-keysize', '2048', '-validity', '2', '-dname', 'CN=localhost', '-ext', san],
    ['-certreq', '-alias', 'broker', ...store('broker.p12'), '-file', 'broker.csr'],
    ['-gencert', '-alias', 'ca', ...store('ca.p12'), '-infile', 'broker.csr', '-outfile', 'broker.pem', '-rfc', '-validity', '2', '-ext', san, '-ext', 'KU=digitalSignature,keyEncipherment', '-ext', 'EKU=serverAuth,clientAuth'],
    ['-importcert', '-noprompt', '-alias', 'ca', '-file', 'ca.pem', ...store('broker.p12')],
    ['-importcert', '-noprompt', '-alias', 'broker', '-file', 'broker.pem', ...store('broker.p12')],
    ['-importcert', '-noprompt', '-alias', 'ca', '-file', 'ca.pem', ...store('truststore.p12')],
  ]
  try {
    for (const args of steps) await run(keytool, args, dir)
  } catch (error) {
    throw new TelcobenchError('TB_INFRA_UNAVAILABLE', 'the run could not make its TLS certificates with keytool', { cause: error, fix: 'install a full JDK 17+ (keytool comes with it) or set JAVA_HOME to one' })
  }
  const users = Object.fromEntries(clientRoles.map((role) => [role, { username: role === 'admin' ? 'admin' : `tb-${role}`, password: secret() }])) as RunCredentials['users']
  return { dir, storePassword: pass, keystore: join(dir, 'broker.p12'), truststore: join(dir, 'truststore.p12'), caPem: readFileSync(join(dir, 'ca.pem'), 'utf8'), users }
}

const scramModule = 'org.apache.kafka.common.security.scram.ScramLoginModule'
const plainModule = 'org.apache.kafka.common.security.plain.PlainLoginModule'

/**
 * The listener and security lines of a secured node (docs/security.md "The broker"). The controller listener uses
 * SASL/PLAIN with a static admin user: SCRAM users live in the metadata the controller serves, so SCRAM cannot guard
 * it, and a PLAINTEXT controller listener would make the broker's own registration anonymous, which the authorizer
 * refuses.
 */
export function securedBrokerProperties(o: { clientPort: number; controllerPort: number; settings: SecuritySettings; credentials: RunCredentials }): string[] {
  const protocol = clientProtocol(o.settings)
  const c = o.credentials
  const admin = c.users.admin
  const lines = [
    `listeners=${protocol}://127.0.0.1:${o.clientPort},CONTROLLER://127.0.0.1:${o.controllerPort}`,
    `advertised.listeners=${protocol}://127.0.0.1:${o.clientPort},CONTROLLER://127.0.0.1:${o.controllerPort}`,
    `listener.security.protocol.map=${protocol}:${protocol},CONTROLLER:SASL_PLAINTEXT`,
    `inter.broker.listener.name=${protocol}`,
    'sasl.mechanism.controller.protocol=PLAIN',
    'listener.name.controller.sasl.enabled.mechanisms=PLAIN',
    `listener.name.controller.plain.sasl.jaas.config=${plainModule} required username="${admin.username}" password="${admin.password}" user_${admin.username}="${admin.password}";`,
  ]
  if (o.settings.tls || o.settings.sasl !== null) {
    lines.push(
      'ssl.keystore.type=PKCS12',
      `ssl.keystore.location=${c.keystore}`,
      `ssl.keystore.password=${c.storePassword}`,
      `ssl.key.password=${c.storePassword}`,
      'ssl.truststore.type=PKCS12',
      `ssl.truststore.location=${c.truststore}`,
      `ssl.truststore.password=${c.storePassword}`,
      'ssl.client.auth=none',
    )
  }
  if (o.settings.sasl !== null) {
    lines.push(
      'sasl.enabled.mechanisms=SCRAM-SHA-512',
      'sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512',
      `listener.name.${protocol.toLowerCase()}.scram-sha-512.sasl.jaas.config=${scramModule} required username="${admin.username}" password="${admin.password}";`,
    )
  }
  if (o.settings.acls) {
    lines.push('authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer', `super.users=User:${admin.username}`, 'allow.everyone.if.no.acl.found=false')
  }
  return lines
}

/** `StorageTool format` arguments that create the admin SCRAM user the broker logs in to itself with. */
export function formatScramArgs(settings: SecuritySettings, credentials: RunCredentials): string[] {
  if (settings.sasl === null) return []
  const admin = credentials.users.admin
  return ['--add-scram', `SCRAM-SHA-512=[name=${admin.username},password=${admin.password}]`]
}

/** How a Node client of this role connects: the run's CA, and the role's SCRAM user when SASL is on. */
export function roleConnection(base: KafkaConnection, settings: SecuritySettings, credentials: RunCredentials, role: ClientRole): KafkaConnection {
  const conn: KafkaConnection = { ...base, clientId: `${base.clientId}-${role}` }
  if (settings.tls || settings.sasl !== null) conn.tls = { ca: credentials.caPem }
  if (settings.sasl !== null) conn.sasl = { mechanism: 'scram-sha-512', ...credentials.users[role] }
  return conn
}

/** Java client properties of the engine (Spark) on this broker: the truststore and its SCRAM user. */
export function javaClientProperties(settings: SecuritySettings, credentials: RunCredentials, role: ClientRole): Record<string, string> {
  const protocol = clientProtocol(settings)
  if (protocol === 'PLAINTEXT') return {}
  const props: Record<string, string> = {
    'security.protocol': protocol,
    'ssl.truststore.type': 'PKCS12',
    'ssl.truststore.location': credentials.truststore,
    'ssl.truststore.password': credentials.storePassword,
  }
  if (settings.sasl !== null) {
    const user = credentials.users[role]
    props['sasl.mechanism'] = 'SCRAM-SHA-512'
    props['sasl.jaas.config'] = `${scramModule} required username="${user.username}" password="${user.password}";`
  }
  return props
}

/**
 * Creates the SCRAM user of every role but the admin (made at format time) through Kafka's Admin API
 * (`alterUserScramCredentials`, which salts and hashes the password on the client), driven by Kafka's
 * ConfigCommand with the admin's client properties. One JVM per user, all at once.
 */
export async function createScramUsers(java: JavaInfo, classpath: string, bootstrap: string, settings: SecuritySettings, credentials: RunCredentials): Promise<void> {
  if (settings.sasl === null) return
  const adminConfig = join(credentials.dir, 'admin.properties')
  writeFileSync(adminConfig, Object.entries(javaClientProperties(settings, credentials, 'admin')).map(([k, v]) => `${k}=${v}`).join('\n') + '\n', { mode: 0o600 })
  const roles = clientRoles.filter((r) => r !== 'admin')
  await Promise.all(
    roles.map((role) =>
      run(java.bin, ['-Xmx128m', '-XX:TieredStopAtLevel=1', '-cp', classpath, 'kafka.admin.ConfigCommand', '--bootstrap-server', bootstrap, '--command-config', adminConfig, '--alter', '--add-config', `SCRAM-SHA-512=[iterations=4096,password=${credentials.users[role].password}]`, '--entity-type', 'users', '--entity-name', credentials.users[role].username], credentials.dir),
    ),
  ).catch((error: unknown) => {
    throw new TelcobenchError('TB_INFRA_UNAVAILABLE', 'the SCRAM users could not be created on the secured broker', { cause: error, fix: 'read the broker log in the run folder' })
  })
}
