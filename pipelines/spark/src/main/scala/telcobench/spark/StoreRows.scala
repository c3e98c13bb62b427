package telcobench.spark

import java.time.{Instant, LocalDate, ZoneOffset}

import scala.jdk.CollectionConverters._

/** One row the pipelines write to the serving store (the CQL of docs/serving.md "Tables"). */
sealed trait StoreWrite

/** rated_usage: PRIMARY KEY ((subscriber, day), id), so a replayed record overwrites itself. */
final case class RatedUsageRow(subscriber: String, day: LocalDate, id: String, eventTime: Long, typ: String,
    destinationClass: String, band: String, billedUnits: Long, chargeSubunits: Long, emitNs: Long) extends StoreWrite

/**
 * bills: PRIMARY KEY (subscriber). The running total is written whole (never incremented), with the micro-batch
 * id as the write timestamp: a replayed batch writes the same total at the same timestamp, and no older batch can
 * overwrite a newer one.
 */
final case class BillRow(subscriber: String, records: Long, chargeSubunits: Long, lastEventTime: Long, maxEmitNs: Long,
    writeTimestamp: Long) extends StoreWrite

/** alerts: PRIMARY KEY ((kind), window_end, alert_id); the alert id is deterministic, so a replay overwrites. */
final case class AlertRow(kind: String, windowEnd: Long, alertId: String, entityType: String, entity: String,
    windowStart: Long, score: Double, evidenceIds: List[String], maxEmitNs: Long) extends StoreWrite

/** cell_kpis: PRIMARY KEY ((cell), period_start), one row per PM granularity period. */
final case class KpiRow(cell: String, periodStart: Long, granularitySec: Long, rrcAttempts: Long, rrcSuccesses: Long,
    erabAttempts: Long, erabSuccesses: Long, erabAbnormalReleases: Long, prbUsedDl: Long, prbAvailDl: Long,
    pdcpVolume: Long, cellAvailSec: Long, emitNs: Long) extends StoreWrite

/**
 * The pure mapping from the pipelines' output rows to store rows: what the store holds is a function of the
 * micro-batch (its rows and its id) alone, so writing a batch twice leaves the store as writing it once.
 */
object StoreRows {
  /** The rows of the `kpi` pseudo-topic go to the store only; every other row goes to Kafka too. */
  val StoreOnlyTopic: String = "kpi"

  def day(eventTimeMs: Long): LocalDate = Instant.ofEpochMilli(eventTimeMs).atZone(ZoneOffset.UTC).toLocalDate

  /** Cassandra write timestamp of a bill written by micro-batch `batchId` (ids start at 0; timestamps must be > 0). */
  def billTimestamp(batchId: Long): Long = {
    require(batchId >= 0, s"batch id $batchId < 0")
    batchId + 1
  }

  def isForKafka(r: OutRow): Boolean = r.topic != StoreOnlyTopic

  def writes(rows: Seq[OutRow], batchId: Long): Vector[StoreWrite] = rows.iterator.flatMap(r => fromOutRow(r, batchId)).toVector

  def fromOutRow(r: OutRow, batchId: Long): Option[StoreWrite] = r.topic match {
    case "rated" =>
      val n = Json.parse(r.value)
      val eventTime = Json.longOr(n, "eventTime", 0L)
      Some(RatedUsageRow(Json.stringOr(n, "subscriber", ""), day(eventTime), Json.stringOr(n, "id", ""), eventTime,
        Json.stringOr(n, "type", ""), Json.stringOr(n, "destinationClass", ""), Json.stringOr(n, "band", ""),
        Json.longOr(n, "billedUnits", 0L), Json.longOr(n, "chargeSubunits", 0L), Json.longOr(n, "emitNs", 0L)))
    case "bills" =>
      val n = Json.parse(r.value)
      Some(BillRow(Json.stringOr(n, "subscriber", ""), Json.longOr(n, "records", 0L), Json.longOr(n, "chargeSubunits", 0L),
        Json.longOr(n, "lastEventTime", 0L), Json.longOr(n, "maxEmitNs", 0L), billTimestamp(batchId)))
    case "alerts" =>
      val n = Json.parse(r.value)
      val ids = Option(n.get("evidenceIds")).map(_.elements().asScala.map(_.asText()).toList).getOrElse(Nil)
      Some(AlertRow(Json.stringOr(n, "kind", ""), Json.longOr(n, "windowEnd", 0L), Json.stringOr(n, "alertId", ""),
        Json.stringOr(n, "entityType", ""), Json.stringOr(n, "entity", ""), Json.longOr(n, "windowStart", 0L),
        Json.doubleOr(n, "score", 0.0), ids, Json.longOr(n, "maxEmitNs", 0L)))
    case StoreOnlyTopic =>
      val n = Json.parse(r.value)
      Some(KpiRow(Json.stringOr(n, "cell", ""), Json.longOr(n, "periodStart", 0L), Json.longOr(n, "granularitySec", 0L),
        Json.longOr(n, "rrcAttempts", 0L), Json.longOr(n, "rrcSuccesses", 0L), Json.longOr(n, "erabAttempts", 0L),
        Json.longOr(n, "erabSuccesses", 0L), Json.longOr(n, "erabAbnormalReleases", 0L), Json.longOr(n, "prbUsedDl", 0L),
        Json.longOr(n, "prbAvailDl", 0L), Json.longOr(n, "pdcpVolume", 0L), Json.longOr(n, "cellAvailSec", 0L),
        Json.longOr(n, "emitNs", 0L)))
    case _ => None
  }
}
