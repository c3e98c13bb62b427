package telcobench.spark

/**
 * Per-subscriber state of the fraud model's feature extraction: the subscriber's usage of the last
 * [[FraudFeatures.windowMs]] of event time, the IMEIs it has used, how many IMEI changes it has shown and how many
 * records it has sent.
 */
final case class UsageFeatureState(recent: List[UsageFact], knownImeis: List[String], imeiChanges: Long, records: Long)

object UsageFeatureState {
  val empty: UsageFeatureState = UsageFeatureState(Nil, Nil, 0L, 0L)
}

/** One usage record of one subscriber as a feature vector (in FraudFeatures.names order) and the window behind it. */
final case class RecordFeatures(subscriber: String, fact: UsageFact, window: List[UsageFact], features: Array[Double])

/**
 * The fraud model's features (docs/ml.md "Fraud features"), computed by the same code when TrainApp labels the
 * history and when the fraud query scores a micro-batch.
 *
 * One vector per usage record of a subscriber (IMSI), in the order the subscriber sent them (one Kafka partition),
 * over the subscriber's records of the last hour of event time, the record included: call counts, distinct called
 * numbers, international and premium calls, the duration profile, the load of the line (Erlang, calls at once),
 * cells and IMEIs, whether the record's IMEI is one the subscriber never used before, the IMEI changes so far and
 * how established the subscriber is, and the record's own destination and duration. A record whose id is already
 * in the window (an exact duplicate) yields no vector. No feature is a rule's verdict or threshold.
 */
object FraudFeatures {
  val windowMs: Long = 3600000L
  /** A call this short was not really answered (a one-ring or a rejected call). */
  val shortCallSec: Long = 5L
  private val maxKnownImeis = 10

  val names: Vector[String] = Vector(
    "records_1h", "calls_1h", "voice_share_1h", "distinct_numbers_ratio_1h", "intl_share_1h", "premium_calls_1h",
    "short_call_share_1h", "mean_call_s_1h", "max_call_s_1h", "erlangs_1h", "max_concurrent_1h", "cells_1h",
    "imeis_1h", "new_imei", "imei_changes", "history_log", "this_intl", "this_premium", "this_call_s")

  private def isIntl(f: UsageFact): Boolean = f.destinationClass == "international"
  private def isPremium(f: UsageFact): Boolean = f.destinationClass == "premium"

  /** Folds one subscriber's new records (in send order) into the state; one RecordFeatures per new record. */
  def step(subscriber: String, previous: UsageFeatureState, facts: Seq[UsageFact]): (UsageFeatureState, Vector[RecordFeatures]) = {
    var st = previous
    val out = Vector.newBuilder[RecordFeatures]
    facts.foreach { f =>
      if (!st.recent.exists(_.id == f.id)) {
        val (next, row) = record(subscriber, st, f)
        st = next
        out += row
      }
    }
    (st, out.result())
  }

  private def record(subscriber: String, st: UsageFeatureState, f: UsageFact): (UsageFeatureState, RecordFeatures) = {
    val newImei = f.imei.nonEmpty && st.knownImeis.nonEmpty && !st.knownImeis.contains(f.imei)
    val recent = st.recent.filter(_.eventTime > f.eventTime - windowMs) :+ f
    val window = recent.filter(_.eventTime <= f.eventTime)
    val calls = window.filter(_.isVoice)
    val n = calls.size.toDouble
    def share(k: Int): Double = if (calls.isEmpty) 0.0 else k / n
    val durations = calls.map(_.durationSec.toDouble)
    val features = Array(
      window.size.toDouble,
      n,
      window.count(_.isVoice).toDouble / window.size,
      share(calls.map(_.number).distinct.size),
      share(calls.count(isIntl)),
      calls.count(isPremium).toDouble,
      share(calls.count(_.durationSec <= shortCallSec)),
      if (calls.isEmpty) 0.0 else durations.sum / n,
      if (calls.isEmpty) 0.0 else durations.max,
      durations.sum / (windowMs / 1000.0),
      Fraud.maxConcurrent(calls).toDouble,
      window.map(_.cell).filter(_.nonEmpty).distinct.size.toDouble,
      window.map(_.imei).filter(_.nonEmpty).distinct.size.toDouble,
      if (newImei) 1.0 else 0.0,
      (st.imeiChanges + (if (newImei) 1 else 0)).toDouble,
      math.log10(1.0 + st.records),
      if (f.isVoice && isIntl(f)) 1.0 else 0.0,
      if (f.isVoice && isPremium(f)) 1.0 else 0.0,
      if (f.isVoice) f.durationSec.toDouble else 0.0)
    val next = UsageFeatureState(
      recent = recent,
      knownImeis = if (f.imei.isEmpty || st.knownImeis.contains(f.imei)) st.knownImeis else (f.imei :: st.knownImeis).take(maxKnownImeis),
      imeiChanges = st.imeiChanges + (if (newImei) 1 else 0),
      records = st.records + 1)
    (next, RecordFeatures(subscriber, f, window, features))
  }
}

/**
 * A `label` truth record (truth/label.jsonl, docs/generators.md): a fraudulent or hard-negative entity over
 * [start, end] (epoch ms); `callers` are the IMSIs that called a WANGIRI number back.
 */
final case class FraudLabel(entityType: String, entity: String, kind: String, fraud: Boolean, start: Long, end: Long,
    callers: List[String])

/**
 * Labels for training the fraud model: the fraud kind of a subscriber's record, or NONE. The entity each kind's
 * truth names is what the scorer matches alerts on (harness/score/detection.ts), and the model alerts on IMSIs:
 *  - a subscriber label (SIMBOX SIM, IRSF account, PBX line, SUBSCRIPTION account, SIMSWAP's new IMSI): the
 *    subscriber's records with an event time in the label's window;
 *  - a WANGIRI number label: the records of one of its callers whose hour window holds a call to that number
 *    within the label's window (the callback, and the records right after it), since the scorer counts an alert on
 *    a caller's IMSI as finding the number;
 *  - hard negatives (`fraud: false`) and everyone else: NONE.
 */
object FraudLabels {
  val None: String = "NONE"

  def of(subscriber: String, fact: UsageFact, window: Seq[UsageFact], labels: Seq[FraudLabel]): String = {
    val own = labels.find(l => l.fraud && l.entityType == "subscriber" && l.entity == subscriber &&
      fact.eventTime >= l.start && fact.eventTime <= l.end)
    own.map(_.kind).orElse(labels.find(l => l.fraud && l.entityType == "number" && l.callers.contains(subscriber) &&
      window.exists(c => c.isVoice && c.number == l.entity && c.eventTime >= l.start && c.eventTime <= l.end)).map(_.kind))
      .getOrElse(None)
  }

  /**
   * Reads truth/label.jsonl: one `{entityType, entity, kind, fraud, start, end, details?: {callers}}` per line. The
   * generators' times can carry a fraction of a millisecond: the window is widened to whole milliseconds.
   */
  def read(path: String): Vector[FraudLabel] = {
    Json.readLines(path).map(n => FraudLabel(Json.stringOr(n, "entityType", ""), Json.stringOr(n, "entity", ""), Json.stringOr(n, "kind", ""),
      Json.boolOr(n, "fraud", false), math.floor(Json.doubleOr(n, "start", 0.0)).toLong, math.ceil(Json.doubleOr(n, "end", 0.0)).toLong,
      Json.stringList(n.get("details"), "callers")))
  }
}
