package telcobench.spark

import java.net.InetSocketAddress
import java.time.{Duration, Instant}
import java.util.concurrent.{CompletionStage, Semaphore, TimeUnit}

import scala.jdk.CollectionConverters._

import com.datastax.oss.driver.api.core.CqlSession
import com.datastax.oss.driver.api.core.config.{DefaultDriverOption, DriverConfigLoader}
import com.datastax.oss.driver.api.core.cql.{AsyncResultSet, BoundStatement, PreparedStatement}

/**
 * The serving store as the Spark driver writes it: one CqlSession per driver JVM, prepared idempotent INSERTs
 * (an INSERT in Cassandra is an upsert by primary key), written asynchronously with at most `MaxInFlight`
 * requests in flight. A write that fails (the node is down, a timeout) is retried every `RetryPauseMs` until it
 * succeeds or `maxOutageMs` has passed: the micro-batch waits for the store instead of failing, so a store
 * restart costs latency, never records.
 */
final class CassandraStore(cfg: StoreConfig) extends AutoCloseable {
  private var sessionOrNull: CqlSession = _
  private var statements: Map[String, PreparedStatement] = Map.empty

  /**
   * Opens the session and prepares the statements now. The streaming job calls it before its queries start: in a
   * cold driver JVM that takes seconds, and done lazily it held back the first measured micro-batch of every query.
   */
  def connect(): Unit = session()

  // Synchronized: the queries' sinks share this client and may all write their first batch at once.
  private def session(): CqlSession = synchronized {
    if (sessionOrNull == null) {
      val loader = DriverConfigLoader.programmaticBuilder()
        // The driver's default reconnection backs off to 60 s; a store that is back should be used within a second.
        .withDuration(DefaultDriverOption.RECONNECTION_BASE_DELAY, Duration.ofMillis(200))
        .withDuration(DefaultDriverOption.RECONNECTION_MAX_DELAY, Duration.ofSeconds(1))
        .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(10))
        .withBoolean(DefaultDriverOption.REQUEST_DEFAULT_IDEMPOTENCE, true)
        .build()
      val builder = CqlSession.builder().withConfigLoader(loader).withLocalDatacenter(cfg.localDatacenter).withKeyspace(cfg.keyspace)
      cfg.contactPoints.foreach { p =>
        val i = p.lastIndexOf(':')
        builder.addContactPoint(new InetSocketAddress(p.substring(0, i), p.substring(i + 1).toInt))
      }
      val s = builder.build()
      statements = CassandraStore.Cql.map { case (name, cql) => name -> s.prepare(cql) }
      sessionOrNull = s
    }
    sessionOrNull
  }

  private def bind(w: StoreWrite): BoundStatement = w match {
    case r: RatedUsageRow =>
      statements("rated").bind(r.subscriber, r.day, r.id, Instant.ofEpochMilli(r.eventTime), r.typ, r.destinationClass,
        r.band, Long.box(r.billedUnits), Long.box(r.chargeSubunits), Long.box(r.emitNs))
    case b: BillRow =>
      statements("bills").bind(b.subscriber, Long.box(b.records), Long.box(b.chargeSubunits), Instant.ofEpochMilli(b.lastEventTime),
        Long.box(b.maxEmitNs), Long.box(b.writeTimestamp))
    case a: AlertRow =>
      statements("alerts").bind(a.kind, Instant.ofEpochMilli(a.windowEnd), a.alertId, a.entityType, a.entity,
        Instant.ofEpochMilli(a.windowStart), Double.box(a.score), a.evidenceIds.asJava, Long.box(a.maxEmitNs))
    case k: KpiRow =>
      statements("kpi").bind(k.cell, Instant.ofEpochMilli(k.periodStart), Long.box(k.granularitySec), Long.box(k.rrcAttempts),
        Long.box(k.rrcSuccesses), Long.box(k.erabAttempts), Long.box(k.erabSuccesses), Long.box(k.erabAbnormalReleases),
        Long.box(k.prbUsedDl), Long.box(k.prbAvailDl), Long.box(k.pdcpVolume), Long.box(k.cellAvailSec), Long.box(k.emitNs))
  }

  /** The writes that failed, each once; empty when all succeeded. */
  private def attempt(writes: Vector[StoreWrite]): (Vector[StoreWrite], Option[Throwable]) = {
    val s = try session() catch { case e: Exception => return (writes, Some(e)) }
    val permits = new Semaphore(CassandraStore.MaxInFlight)
    val pending = writes.map { w =>
      permits.acquire()
      val stage: CompletionStage[AsyncResultSet] =
        try s.executeAsync(bind(w))
        catch { case e: Exception => java.util.concurrent.CompletableFuture.failedFuture[AsyncResultSet](e) }
      val future = stage.toCompletableFuture
      future.whenComplete((_, _) => permits.release())
      (w, future)
    }
    var firstError: Option[Throwable] = None
    val failed = pending.filter { case (_, f) =>
      try { f.get(30, TimeUnit.SECONDS); false }
      catch {
        case e: Exception =>
          if (firstError.isEmpty) firstError = Some(Option(e.getCause).getOrElse(e))
          true
      }
    }.map(_._1)
    (failed, firstError)
  }

  /** Writes every row, retrying the failed ones until the store takes them or `maxOutageMs` passes. */
  def write(writes: Vector[StoreWrite], label: String): Unit = {
    var pending = writes
    val began = System.currentTimeMillis()
    var retries = 0
    while (pending.nonEmpty) {
      val (failed, error) = attempt(pending)
      if (failed.isEmpty) {
        if (retries > 0)
          System.err.println(s"[telcobench] store: $label written after $retries retries (${System.currentTimeMillis() - began} ms)")
        pending = Vector.empty
      } else {
        val waited = System.currentTimeMillis() - began
        if (waited > cfg.maxOutageMs)
          throw new IllegalStateException(s"the serving store took no writes for ${waited / 1000} s: ${error.map(_.toString).getOrElse("")}")
        if (retries == 0)
          System.err.println(s"[telcobench] store: ${failed.size} of ${pending.size} writes of $label failed " +
            s"(${error.map(_.getClass.getSimpleName).getOrElse("")}); retrying until the store takes them")
        retries += 1
        Thread.sleep(CassandraStore.RetryPauseMs)
        pending = failed
      }
    }
  }

  override def close(): Unit = synchronized {
    if (sessionOrNull != null) {
      try sessionOrNull.close() catch { case _: Exception => () }
      sessionOrNull = null
    }
  }
}

object CassandraStore {
  /** Requests in flight per driver: 64 kept write p99 low on 2 cores where 256 made it ~0.7 s. */
  val MaxInFlight: Int = 64
  val RetryPauseMs: Long = 500L

  /** The INSERTs of docs/serving.md; the tables themselves are created by the harness (harness/serving/schema.cql). */
  val Cql: Map[String, String] = Map(
    "rated" -> ("INSERT INTO rated_usage (subscriber, day, id, event_time, type, destination_class, band, billed_units, " +
      "charge_subunits, emit_ns) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
    "bills" -> ("INSERT INTO bills (subscriber, records, charge_subunits, last_event_time, max_emit_ns) " +
      "VALUES (?, ?, ?, ?, ?) USING TIMESTAMP ?"),
    "alerts" -> ("INSERT INTO alerts (kind, window_end, alert_id, entity_type, entity, window_start, score, evidence_ids, " +
      "max_emit_ns) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"),
    "kpi" -> ("INSERT INTO cell_kpis (cell, period_start, granularity_s, rrc_attempts, rrc_successes, erab_attempts, " +
      "erab_successes, erab_abnormal_releases, prb_used_dl, prb_avail_dl, pdcp_volume, cell_avail_s, emit_ns) " +
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"))

  private var shared: Option[CassandraStore] = None

  /** The driver JVM's one store client (every query's sink shares its connections). */
  def of(cfg: StoreConfig): CassandraStore = synchronized {
    if (shared.isEmpty) shared = Some(new CassandraStore(cfg))
    shared.get
  }

  def closeShared(): Unit = synchronized {
    shared.foreach(_.close())
    shared = None
  }
}
