package telcobench.spark

import java.sql.Timestamp

/**
 * One input record after parsing, flat so that Spark can encode it. `ok = false` rows carry a DLQ reason.
 * Strings are "" and numbers 0 where a field does not apply to the record's type.
 */
final case class Event(
    topic: String,
    partition: Int,
    offset: Long,
    ok: Boolean,
    reason: String,
    detail: String,
    raw: String,
    id: String,
    typ: String,
    subscriber: String,
    eventTime: Long,
    emitNs: Long,
    eventTs: Timestamp,
    imei: String,
    msisdn: String,
    number: String,
    answerTime: Long,
    duration: Long,
    causeForTerm: Long,
    seq: Long,
    originationTime: Long,
    openingTime: Long,
    volume: Long,
    cell: String,
    rrcAtt: Long,
    rrcSucc: Long,
    erabAtt: Long,
    erabSucc: Long,
    erabRelAbn: Long,
    prbUsed: Long,
    prbAvail: Long,
    pdcpVol: Long,
    cellAvailSec: Long,
    granularitySec: Long,
    alarmId: String,
    severity: String) {

  def isUsage: Boolean = ok && (typ == "voice" || typ == "sms" || typ == "data")

  def usage: Usage = Usage(typ, number, answerTime, duration, seq, originationTime, openingTime, volume)
}

object Event {
  def empty(topic: String, partition: Int, offset: Long, raw: String): Event =
    Event(topic, partition, offset, ok = false, "", "", raw, "", "", "", 0L, 0L, new Timestamp(0L),
      "", "", "", 0L, 0L, 0L, 0L, 0L, 0L, 0L, "", 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, "", "")
}

/** A raw Kafka record as read by the source (value as bytes). */
final case class KafkaIn(topic: String, partition: Int, offset: Long, value: Array[Byte])

/** One output record: topic suffix (rated, bills, alerts, dlq), key (null for dlq) and JSON value. */
final case class OutRow(topic: String, key: String, value: String)

/** Evidence for an alert: the input record's id and its timing. */
final case class Evidence(id: String, eventTime: Long, emitNs: Long)

final case class Alert(
    kind: String,
    entityType: String,
    entity: String,
    windowStart: Long,
    windowEnd: Long,
    score: Double,
    evidence: List[Evidence]) {

  def alertId: String = {
    val family = if (entityType == "cell") "net" else "fraud"
    s"$family-$kind-$entity-$windowStart"
  }

  def maxEmitNs: Long = if (evidence.isEmpty) 0L else evidence.map(_.emitNs).max
}
