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
    severity: String,
    // When the record moved (wall-clock epoch ms, -1 = not known), for the harness's latency breakdown
    // (docs/method.md "Where the time goes"): the input record's Kafka timestamp (the broker's append time: the
    // harness creates the input topics with LogAppendTime), the micro-batch's start (Spark's batch time; -1 in
    // real-time mode and on Flink; Event.BatchTimePending until the rating query's stateful step fills it in) and
    // when a task parsed it.
    appendMs: Long,
    batchMs: Long,
    pickupMs: Long) {

  def isUsage: Boolean = ok && (typ == "voice" || typ == "sms" || typ == "data")

  def timed(appendMs: Long, batchMs: Long, pickupMs: Long): Event = copy(appendMs = appendMs, batchMs = batchMs, pickupMs = pickupMs)

  def usage: Usage = Usage(typ, number, answerTime, duration, seq, originationTime, openingTime, volume)
}

object Event {
  /**
   * `batchMs` of a record read by a micro-batch query, until the rating query's stateful step sets it from
   * GroupState.getCurrentProcessingTimeMs (the micro-batch's time). Taking it from current_timestamp() in the parse
   * would put a new literal into the generated code of every micro-batch, and Spark would compile that stage's code
   * again each time (docs/spark-pipelines.md "Code generation in every task").
   */
  val BatchTimePending: Long = -2L

  def empty(topic: String, partition: Int, offset: Long, raw: String): Event =
    Event(topic, partition, offset, ok = false, "", "", raw, "", "", "", 0L, 0L, new Timestamp(0L),
      "", "", "", 0L, 0L, 0L, 0L, 0L, 0L, 0L, "", 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, "", "", -1L, -1L, -1L)
}

/** A raw Kafka record as read by the source (value as bytes). */
final case class KafkaIn(topic: String, partition: Int, offset: Long, value: Array[Byte])

/** A raw Kafka record with its Kafka timestamp (the broker's append time). */
final case class TimedKafkaIn(topic: String, partition: Int, offset: Long, value: Array[Byte], appendTs: Timestamp)

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
    evidence: List[Evidence],
    // Who raised it: "rule" (the hand-written detectors) or "ml:<model>" (a learned model, docs/ml.md).
    detector: String = Alert.RuleDetector) {

  def alertId: String = {
    val family = if (entityType == "cell") "net" else "fraud"
    val source = if (detector == Alert.RuleDetector) "" else detector.replace(':', '-') + "-"
    s"$family-$source$kind-$entity-$windowStart"
  }

  def maxEmitNs: Long = if (evidence.isEmpty) 0L else evidence.map(_.emitNs).max
}

object Alert {
  val RuleDetector: String = "rule"
}
