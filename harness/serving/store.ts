import { readFileSync } from 'node:fs'
import type cassandraDriver from 'cassandra-driver'
import type { Client, types } from 'cassandra-driver'
import { TelcobenchError } from '../errors.ts'
import { cassandraSchemaFile } from '../runtime/paths.ts'

/**
 * The harness's side of the serving store (docs/serving.md): a Node cassandra-driver client that creates the run's
 * keyspace and tables, reads single rows back for the `served` latency, reads the bills at the end and the top
 * bills for the dashboard.
 */

/** Cassandra's SimpleSnitch puts a single node in this data centre. */
export const localDatacenter = 'datacenter1'

/** `tb_<yyyymmdd_hhmmss_xxxx>_<scenario>`: a valid keyspace name (letters, digits, _; at most 48) unique per run. */
export function keyspaceOf(runId: string): string {
  const m = /^(.*)-(\d{8}-\d{6}-[0-9a-f]{4})$/.exec(runId)
  const unique = (m?.[2] ?? runId).toLowerCase().replace(/[^a-z0-9]+/g, '_')
  const name = (m?.[1] ?? '').toLowerCase().replace(/[^a-z0-9]+/g, '_')
  return `tb_${unique}_${name}`.slice(0, 48).replace(/_+$/, '')
}

/** The CREATE TABLE statements of pipelines/cassandra/schema.cql, comments removed, one per entry. */
export function schemaStatements(cql: string): string[] {
  return cql
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('--'))
    .join('\n')
    .split(';')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
}

/** `host:port` → the driver's contact point and port. */
export function parseContactPoint(contactPoint: string): { host: string; port: number } {
  const i = contactPoint.lastIndexOf(':')
  const port = Number(contactPoint.slice(i + 1))
  if (i <= 0 || !Number.isInteger(port) || port <= 0 || port > 65_535) {
    throw new TelcobenchError('TB_USAGE', `"${contactPoint}" is not a Cassandra contact point`, { fix: 'give host:port of the CQL listener, e.g. --cassandra 10.0.0.5:9042' })
  }
  return { host: contactPoint.slice(0, i), port }
}

/** The driver module, loaded on first use: a run without a store never pays its ~0.3–0.7 s of loading. */
type Driver = typeof cassandraDriver
let driverModule: Driver | null = null
async function driver(): Promise<Driver> {
  driverModule ??= (await import('cassandra-driver')).default
  return driverModule
}

/** The driver's internal side of a `Host` that the workaround below needs (present in cassandra-driver 4.10.0). */
interface ClosableHost {
  shutdown?: (waitForPending: boolean) => Promise<void>
}

/**
 * Workaround for cassandra-driver 4.10.0: shuts down a `Host` that the driver dropped from its host map.
 *
 * When every known node is down (the store-kill fault on the one local node), each control-connection reconnect
 * fails to borrow a pooled connection and falls back to `_initializeConnection()` on the contact points
 * (NODEJS-632, lib/control-connection.js). Once the node is back, that path reads `system.local` with
 * `initializing = true`, builds a new `Host` for the same address and replaces the old one in the host map
 * (`_setLocalInfo`, `HostMap.set`). The old `Host` is never shut down: its 200 ms health-count interval keeps
 * running, and its pool, which reconnected on its own, keeps a connection and reschedules a reconnection every
 * 500 ms (the reconnection policy) whenever that connection drops. `Client.shutdown()` closes only the hosts still
 * in the map, so those two timers held the harness's event loop open after every store-kill run. The driver
 * shuts down hosts it removes because they left the ring (`h.shutdown(true)` in `setPeersInfo`); this does the
 * same for the replaced one, through the public `hostRemove` event. It closes the old host's connections at once
 * (`false`): the driver's drain (`true`) arms a 10.1 s check timer after it has already closed an idle connection
 * and never clears it. The new host serves every later request; a read in flight on the old connection fails and
 * is read again like any read during the outage.
 */
export function shutDownDroppedHosts(client: Client): void {
  client.on('hostRemove', (host: ClosableHost) => {
    if (typeof host.shutdown === 'function') void host.shutdown(false).catch(() => undefined)
  })
}

function newClient(cassandra: Driver, contactPoint: string, keyspace?: string): Client {
  const { host, port } = parseContactPoint(contactPoint)
  const client = new cassandra.Client({
    contactPoints: [host],
    protocolOptions: { port },
    localDataCenter: localDatacenter,
    ...(keyspace !== undefined ? { keyspace } : {}),
    // A store that was killed should be used again within a second of coming back.
    policies: { reconnection: new cassandra.policies.reconnection.ConstantReconnectionPolicy(500) },
    socketOptions: { connectTimeout: 5_000, readTimeout: 10_000 },
    // No idle heartbeats: the harness reads every 100 ms anyway.
    pooling: { heartBeatInterval: 0 },
  })
  shutDownDroppedHosts(client)
  return client
}

/** A subscriber's bill as the store holds it. */
export interface StoreBill {
  subscriber: string
  records: number
  chargeSubunits: number
}

/** The run's keyspace on a Cassandra cluster. */
export class ServingStore {
  readonly contactPoint: string
  readonly keyspace: string
  private readonly client: Client
  private readonly localDate: typeof types.LocalDate

  private constructor(contactPoint: string, keyspace: string, client: Client, localDate: typeof types.LocalDate) {
    this.contactPoint = contactPoint
    this.keyspace = keyspace
    this.client = client
    this.localDate = localDate
  }

  /** Creates the keyspace (replication factor 1 on one node, the cluster's choice otherwise) and the tables. */
  static async create(contactPoint: string, keyspace: string, replicationFactor = 1): Promise<ServingStore> {
    const cassandra = await driver()
    const admin = newClient(cassandra, contactPoint)
    try {
      await admin.connect()
      await admin.execute(`CREATE KEYSPACE IF NOT EXISTS ${keyspace} WITH replication = {'class': 'SimpleStrategy', 'replication_factor': ${replicationFactor}}`)
      for (const statement of schemaStatements(readFileSync(cassandraSchemaFile, 'utf8'))) await admin.execute(statement.replace(/CREATE TABLE IF NOT EXISTS (\w+)/, `CREATE TABLE IF NOT EXISTS ${keyspace}.$1`))
    } catch (error) {
      throw new TelcobenchError('TB_INFRA_UNAVAILABLE', `Cassandra at ${contactPoint} did not take the run's keyspace ${keyspace}: ${error instanceof Error ? error.message : String(error)}`, {
        cause: error,
        fix: 'check that --cassandra names a reachable CQL listener (host:port) and that the user may create keyspaces',
      })
    } finally {
      await admin.shutdown().catch(() => undefined)
    }
    const client = newClient(cassandra, contactPoint, keyspace)
    await client.connect()
    return new ServingStore(contactPoint, keyspace, client, cassandra.types.LocalDate)
  }

  /** The rated_usage row of one record, or null while the store does not hold it. */
  async ratedEmitNs(subscriber: string, eventTimeMs: number, id: string): Promise<bigint | null> {
    const day = this.localDate.fromString(new Date(eventTimeMs).toISOString().slice(0, 10))
    const rs = await this.client.execute('SELECT emit_ns FROM rated_usage WHERE subscriber = ? AND day = ? AND id = ?', [subscriber, day, id], { prepare: true })
    const row = rs.first() as types.Row | null
    if (row === null) return null
    const value = row.get('emit_ns') as types.Long | null
    return value === null ? null : BigInt(value.toString())
  }

  /** Every row of a query, page by page. */
  private async scan<T>(cql: string, map: (row: types.Row) => T): Promise<T[]> {
    const out: T[] = []
    let pageState: string | undefined
    do {
      const rs = await this.client.execute(cql, [], { prepare: true, fetchSize: 5000, ...(pageState !== undefined ? { pageState } : {}) })
      for (const row of rs.rows) out.push(map(row))
      pageState = rs.pageState ?? undefined
    } while (pageState !== undefined && pageState !== '')
    return out
  }

  /** Every bill in the store: what an agent would see at the end of the run. */
  async bills(): Promise<StoreBill[]> {
    return this.scan('SELECT subscriber, records, charge_subunits FROM bills', (row) => ({ subscriber: String(row.get('subscriber')), records: Number(String(row.get('records'))), chargeSubunits: Number(String(row.get('charge_subunits'))) }))
  }

  /** The ids of every rated_usage row. */
  async ratedIds(): Promise<Set<string>> {
    return new Set(await this.scan('SELECT id FROM rated_usage', (row) => String(row.get('id'))))
  }

  /** The bills of these subscribers (the dashboard's top subscribers), highest first. */
  async billsOf(subscribers: readonly string[]): Promise<{ subscriber: string; charge_subunits: number; records: number }[]> {
    if (subscribers.length === 0) return []
    const rs = await this.client.execute('SELECT subscriber, records, charge_subunits FROM bills WHERE subscriber IN ?', [subscribers], { prepare: true })
    return rs.rows.map((row) => ({ subscriber: String(row.get('subscriber')), charge_subunits: Number(String(row.get('charge_subunits'))), records: Number(String(row.get('records'))) })).sort((a, b) => b.charge_subunits - a.charge_subunits)
  }

  /** Drops the run's keyspace (a cluster the run does not own keeps nothing of it). */
  async drop(): Promise<void> {
    await this.client.execute(`DROP KEYSPACE IF EXISTS ${this.keyspace}`)
  }

  async close(): Promise<void> {
    await this.client.shutdown().catch(() => undefined)
  }
}
