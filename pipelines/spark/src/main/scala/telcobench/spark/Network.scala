package telcobench.spark

/** A learned EWMA baseline: mean and variance of one signal. */
final case class Baseline(n: Long, mean: Double, variance: Double) {
  def sd: Double = math.sqrt(math.max(variance, 0.0))

  def update(x: Double, lambda: Double): Baseline =
    if (n == 0) Baseline(1, x, 0.0)
    else {
      val diff = x - mean
      Baseline(n + 1, mean + lambda * diff, (1 - lambda) * (variance + lambda * diff * diff))
    }
}

object Baseline {
  val empty: Baseline = Baseline(0L, 0.0, 0.0)
}

/** Per-cell state: learned baselines, active alarms and the current streak of each condition. */
final case class CellState(
    lastPeriod: Long,
    traffic: Baseline,
    failRatio: Baseline,
    dropRatio: Baseline,
    activeAlarms: List[String],
    sleeping: List[Evidence],
    congestion: List[Evidence],
    kpi: List[Evidence])

object CellState {
  val empty: CellState = CellState(Long.MinValue, Baseline.empty, Baseline.empty, Baseline.empty, Nil, Nil, Nil, Nil)
}

/**
 * Network monitoring per cell from PM counters and alarms. Pure: events in, new state and alerts out.
 *
 * - SLEEPING_CELL: RRC attempts <= sleepingRatio x the cell's own EWMA baseline and more than zThreshold sigma
 *   below it, the cell reports itself available, and no alarm is active on the cell.
 * - CONGESTION: RRU.PrbUsedDl / RRU.PrbAvailDl >= prbHighRatio.
 * - KPI_DEGRADATION: setup failure ratio (RRC x E-RAB) or abnormal release ratio above both an absolute floor and
 *   the cell's learned EWMA baseline + zThreshold sigma, on a cell that is not congested in that period (a full
 *   cell's failed setups are its CONGESTION alert; those periods do not teach the failure baselines either).
 * Each condition must hold for consecutivePeriods PM periods in a row; one alert is raised per episode.
 * Baselines learn only from periods that are not anomalous, so an outage does not become the new normal.
 */
object Network {
  private def ratio(num: Long, den: Long): Double = if (den <= 0) 0.0 else num.toDouble / den.toDouble

  def step(cell: String, previous: CellState, events: Seq[Event], s: NetworkSettings): (CellState, Vector[Alert]) = {
    var st = previous
    val alerts = Vector.newBuilder[Alert]
    val ordered = events.filter(_.ok).sortBy(e => (e.eventTime, if (e.typ == "alarm") 0 else 1, e.offset))
    ordered.foreach { e =>
      if (e.typ == "alarm") {
        val others = st.activeAlarms.filterNot(_ == e.alarmId)
        st = st.copy(activeAlarms = if (e.severity == "cleared") others else (e.alarmId :: others).take(50))
      } else if (e.typ == "pm" && e.eventTime > st.lastPeriod) {
        val (next, raised) = onPeriod(cell, st, e, s)
        st = next
        alerts ++= raised
      }
    }
    (st, alerts.result())
  }

  private def onPeriod(cell: String, st: CellState, e: Event, s: NetworkSettings): (CellState, Vector[Alert]) = {
    val ev = Evidence(e.id, e.eventTime, e.emitNs)
    val traffic = e.rrcAtt.toDouble
    val available = e.cellAvailSec * 10 >= e.granularitySec * 9
    val warm = st.traffic.n >= s.minBaselinePeriods
    val mean = st.traffic.mean
    val sleepingNow = warm && available && st.activeAlarms.isEmpty && mean >= s.minBaselineTraffic &&
      traffic <= s.sleepingRatio * mean && (mean - traffic) > s.zThreshold * st.traffic.sd
    val prb = ratio(e.prbUsed, e.prbAvail)
    val congestedNow = e.prbAvail > 0 && prb >= s.prbHighRatio
    val setupSucc = ratio(e.rrcSucc, e.rrcAtt) * (if (e.erabAtt > 0) ratio(e.erabSucc, e.erabAtt) else 1.0)
    val fail = 1.0 - setupSucc
    val drop = ratio(e.erabRelAbn, e.erabSucc)
    val enough = e.rrcAtt >= s.kpiMinAttempts
    val failBad = st.failRatio.n >= s.minBaselinePeriods &&
      fail > math.max(s.kpiMinFailRatio, st.failRatio.mean + s.zThreshold * st.failRatio.sd)
    val dropBad = st.dropRatio.n >= s.minBaselinePeriods &&
      drop > math.max(s.kpiMinDropRatio, st.dropRatio.mean + s.zThreshold * st.dropRatio.sd)
    // A full cell fails setups because it is full: that is CONGESTION, its root cause, not a second alert.
    val kpiNow = enough && !congestedNow && (failBad || dropBad)

    val alerts = Vector.newBuilder[Alert]
    val periodEnd = e.eventTime + e.granularitySec * 1000L
    def streak(current: List[Evidence], now: Boolean, kind: String, score: => Double): List[Evidence] =
      if (!now) Nil
      else {
        val next = current :+ ev
        if (next.size == s.consecutivePeriods)
          alerts += Alert(kind, "cell", cell, next.head.eventTime, periodEnd, math.max(0.0, math.min(1.0, score)), next)
        val cap = math.max(24, s.consecutivePeriods + 1)
        if (next.size > cap) next.takeRight(cap) else next
      }
    val sleeping = streak(st.sleeping, sleepingNow, "SLEEPING_CELL", if (mean > 0) (mean - traffic) / mean else 1.0)
    val congestion = streak(st.congestion, congestedNow, "CONGESTION", prb)
    val kpi = streak(st.kpi, kpiNow, "KPI_DEGRADATION", math.max(fail, drop) * 2)

    val next = st.copy(
      lastPeriod = e.eventTime,
      traffic = if (sleepingNow || !available) st.traffic else st.traffic.update(traffic, s.ewmaLambda),
      failRatio = if (kpiNow || congestedNow || !enough) st.failRatio else st.failRatio.update(fail, s.ewmaLambda),
      dropRatio = if (kpiNow || congestedNow || !enough) st.dropRatio else st.dropRatio.update(drop, s.ewmaLambda),
      sleeping = sleeping,
      congestion = congestion,
      kpi = kpi)
    (next, alerts.result())
  }
}
