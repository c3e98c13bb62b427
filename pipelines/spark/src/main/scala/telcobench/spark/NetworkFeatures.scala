package telcobench.spark

/** One PM period's KPIs as the learned network detector sees them (ratios, so cells of any size compare). */
final case class PeriodKpis(trafficVsMean: Double, failRatio: Double, dropRatio: Double, prbRatio: Double,
    availRatio: Double, alarmRaisesPerHour: Double)

/**
 * Per-cell state of the feature extraction: PM periods seen, the previous period's KPIs, the cell's EWMA of RRC
 * attempts, the last period processed and the alarm raises not yet counted into a period (event times).
 */
final case class FeatureState(periods: Long, previous: Option[PeriodKpis], trafficMean: Double, lastPeriod: Long,
    countedUntil: Long, pendingRaises: List[Long])

object FeatureState {
  val empty: FeatureState = FeatureState(0L, None, 0.0, Long.MinValue, Long.MinValue, Nil)
}

/** One PM period of one cell as a feature vector (in NetworkFeatures.names order), with its evidence. */
final case class PeriodFeatures(cell: String, periodStart: Long, periodEnd: Long, evidence: Evidence, features: Array[Double])

/**
 * The network model's features (docs/ml.md "Features"), computed by the same code when the history is labelled
 * for training (TrainApp) and when the streaming query scores a micro-batch, so both see identical vectors.
 *
 * Per PM period of a cell: the period's KPIs — RRC attempts relative to the cell's own EWMA, setup failure ratio
 * (RRC x E-RAB), abnormal release ratio, PRB utilisation, availability, alarm raises in the period (per hour) — and
 * each KPI's change since the cell's previous period, how many periods the cell has reported (capped), which
 * tells the model how much the traffic mean has learned yet, and the attempts per minute (log10 of 1 + them), which
 * tells it how much the ratios of a quiet period can be trusted.
 *
 * Alarms count into the PM period [periodStart, periodStart + granularity) their event time falls in. A PM record
 * is sent at its period's end, after the alarms of the period, so records are ordered by (period end for PM, event
 * time for alarms); an alarm older than the last period processed no longer counts.
 */
object NetworkFeatures {
  val names: Vector[String] = Vector(
    "traffic_vs_mean", "fail_ratio", "drop_ratio", "prb_ratio", "avail_ratio", "alarm_raises_per_hour",
    "traffic_delta", "fail_delta", "drop_delta", "prb_delta", "alarm_delta", "periods_seen", "attempts_per_min_log")

  /** EWMA weight of the newest period in the cell's traffic mean (slower than the rules' 0.25: a model baseline). */
  val trafficLambda: Double = 0.1
  /** periods_seen stops counting here (one hour of 5-minute periods). */
  val periodsCap: Int = 12
  private val maxPendingRaises = 1000

  private def ratio(num: Long, den: Long): Double = if (den <= 0) 0.0 else num.toDouble / den.toDouble

  /** Sort key: a PM record at its period's end, an alarm at its event time; alarms first on a tie. */
  private def order(e: Event): (Long, Int, Long) =
    if (e.typ == "pm") (e.eventTime + e.granularitySec * 1000L, 1, e.offset) else (e.eventTime, 0, e.offset)

  /** Folds one cell's records (any order within the batch) into the state; one PeriodFeatures per new PM period. */
  def step(cell: String, previous: FeatureState, events: Seq[Event]): (FeatureState, Vector[PeriodFeatures]) = {
    var st = previous
    val out = Vector.newBuilder[PeriodFeatures]
    events.filter(e => e.ok && (e.typ == "pm" || e.typ == "alarm")).sortBy(order).foreach { e =>
      if (e.typ == "alarm") {
        if (e.severity != "cleared" && e.eventTime >= st.countedUntil)
          st = st.copy(pendingRaises = (e.eventTime :: st.pendingRaises).take(maxPendingRaises))
      } else if (e.eventTime > st.lastPeriod) {
        val (next, row) = period(cell, st, e)
        st = next
        out += row
      }
    }
    (st, out.result())
  }

  private def period(cell: String, st: FeatureState, e: Event): (FeatureState, PeriodFeatures) = {
    val granMs = math.max(1L, e.granularitySec) * 1000L
    val start = e.eventTime
    val end = start + granMs
    val raises = st.pendingRaises.count(t => t >= start && t < end)
    val traffic = e.rrcAtt.toDouble
    val mean = if (st.periods == 0) traffic else st.trafficMean
    val setupSucc = ratio(e.rrcSucc, e.rrcAtt) * (if (e.erabAtt > 0) ratio(e.erabSucc, e.erabAtt) else 1.0)
    val kpis = PeriodKpis(
      trafficVsMean = traffic / math.max(mean, 1.0),
      failRatio = if (e.rrcAtt > 0) 1.0 - setupSucc else 0.0,
      dropRatio = ratio(e.erabRelAbn, e.erabSucc),
      prbRatio = ratio(e.prbUsed, e.prbAvail),
      availRatio = ratio(e.cellAvailSec, math.max(1L, e.granularitySec)),
      alarmRaisesPerHour = raises * 3600000.0 / granMs)
    val prev = st.previous.getOrElse(kpis)
    val features = Array(
      kpis.trafficVsMean, kpis.failRatio, kpis.dropRatio, kpis.prbRatio, kpis.availRatio, kpis.alarmRaisesPerHour,
      kpis.trafficVsMean - prev.trafficVsMean, kpis.failRatio - prev.failRatio, kpis.dropRatio - prev.dropRatio,
      kpis.prbRatio - prev.prbRatio, kpis.alarmRaisesPerHour - prev.alarmRaisesPerHour,
      math.min(st.periods, periodsCap.toLong).toDouble,
      math.log10(1.0 + traffic * 60.0 / math.max(1L, e.granularitySec)))
    val next = FeatureState(
      periods = st.periods + 1,
      previous = Some(kpis),
      trafficMean = if (st.periods == 0) traffic else mean + trafficLambda * (traffic - mean),
      lastPeriod = start,
      countedUntil = end,
      pendingRaises = st.pendingRaises.filter(_ >= end))
    (next, PeriodFeatures(cell, start, end, Evidence(e.id, e.eventTime, e.emitNs), features))
  }
}

/** An anomaly window of the ground truth (truth/anomaly.jsonl): kind, cell (ECGI) and [start, end) in epoch ms. */
final case class AnomalyWindow(kind: String, cell: String, start: Long, end: Long)

/** Labels for training: the truth's anomaly kind of a PM period, or NONE. */
object NetworkLabels {
  val None: String = "NONE"

  /** The kind of the first window on the cell that overlaps [periodStart, periodEnd), else NONE. */
  def of(cell: String, periodStart: Long, periodEnd: Long, windows: Seq[AnomalyWindow]): String =
    windows.find(w => w.cell == cell && w.start < periodEnd && w.end > periodStart).map(_.kind).getOrElse(None)

  /** Reads truth/anomaly.jsonl (docs/generators.md): one `{kind, cell, start, end, ...}` object per line. */
  def readWindows(path: String): Vector[AnomalyWindow] = {
    Json.readLines(path).map(n =>
      AnomalyWindow(Json.stringOr(n, "kind", ""), Json.stringOr(n, "cell", ""), Json.longOr(n, "start", 0L), Json.longOr(n, "end", 0L)))
  }
}
