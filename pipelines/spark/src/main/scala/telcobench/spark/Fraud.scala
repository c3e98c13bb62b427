package telcobench.spark

/** The facts about one usage record that the fraud rules look at. */
final case class UsageFact(
    id: String,
    typ: String,
    eventTime: Long,
    emitNs: Long,
    number: String,
    destinationClass: String,
    durationSec: Long,
    cell: String,
    imei: String) {
  def evidence: Evidence = Evidence(id, eventTime, emitNs)
  def isVoice: Boolean = typ == "voice"
}

/** Per-subscriber fraud state: a window of recent usage, a small profile and the last alert time per kind. */
final case class FraudState(
    firstSeen: Long,
    recent: List[UsageFact],
    lastImei: String,
    knownImeis: List[String],
    imeiChangedAt: Long,
    cellsAtSwap: List[String],
    knownCells: List[String],
    history: Long,
    dayCalls: Long,
    otherCalls: Long,
    newIntlCalls: Long,
    newCalls: Long,
    lastAlert: Map[String, Long])

object FraudState {
  val empty: FraudState = FraudState(Long.MinValue, Nil, "", Nil, Long.MinValue, Nil, Nil, 0L, 0L, 0L, 0L, 0L, Map.empty)
}

/**
 * Fraud rules over per-subscriber windows of usage records. Pure: the rules are evaluated after every record, in
 * arrival order, so the same input gives the same alerts whatever the micro-batch boundaries. Labels are never read.
 */
object Fraud {
  private val MsPerHour = 3600000L

  def fact(e: Event, spec: RatingSpec): UsageFact = {
    val cls = if (e.typ == "data") spec.dataClass else Rater.destinationClass(spec, e.number)
    UsageFact(e.id, e.typ, e.eventTime, e.emitNs, e.number, cls, e.duration, e.cell, e.imei)
  }

  private def isInternational(f: UsageFact, s: FraudSettings): Boolean =
    f.destinationClass == "international" || f.destinationClass == "premium" || isRisky(f, s)

  private def isRisky(f: UsageFact, s: FraudSettings): Boolean =
    f.destinationClass == "premium" || s.irsfPrefixes.exists(p => f.number.startsWith(p))

  private def localHour(t: Long, spec: RatingSpec): Int =
    Math.floorMod(Math.floorDiv(t + spec.utcOffsetMinutes * 60000L, MsPerHour), 24L).toInt

  private def isNight(t: Long, spec: RatingSpec, s: FraudSettings): Boolean = {
    val h = localHour(t, spec)
    if (s.pbxNightFromHour <= s.pbxNightToHour) h >= s.pbxNightFromHour && h < s.pbxNightToHour
    else h >= s.pbxNightFromHour || h < s.pbxNightToHour
  }

  private def isBusinessHours(t: Long, spec: RatingSpec): Boolean = {
    val h = localHour(t, spec)
    h >= 8 && h < 18
  }

  private def maxWindow(s: FraudSettings): Long =
    Seq(s.simboxWindowMs, s.wangiriWindowMs, s.irsfWindowMs, s.pbxWindowMs, s.simSwapWindowMs).max

  def step(subscriber: String, previous: FraudState, events: Seq[Event], spec: RatingSpec,
           s: FraudSettings): (FraudState, Vector[Alert]) = {
    var st = previous
    val alerts = Vector.newBuilder[Alert]
    events.filter(_.isUsage).sortBy(e => (e.partition, e.offset)).foreach { e =>
      if (!st.recent.exists(_.id == e.id)) {
        val (next, raised) = onRecord(subscriber, st, fact(e, spec), spec, s)
        st = next
        alerts ++= raised
      }
    }
    (st, alerts.result())
  }

  private def onRecord(subscriber: String, prev: FraudState, f: UsageFact, spec: RatingSpec,
                       s: FraudSettings): (FraudState, Vector[Alert]) = {
    val firstSeen = if (prev.firstSeen == Long.MinValue) f.eventTime else math.min(prev.firstSeen, f.eventTime)
    // A swap: an established subscriber shows up on a device it has never used before.
    val imeiChanged = prev.lastImei.nonEmpty && f.imei.nonEmpty && f.imei != prev.lastImei &&
      !prev.knownImeis.contains(f.imei) && prev.history >= s.simSwapMinHistory
    val horizon = f.eventTime - maxWindow(s)
    val recent = (prev.recent.filter(_.eventTime > horizon) :+ f)
    val isNew = f.eventTime - firstSeen <= s.subscriptionNewMs
    var st = prev.copy(
      firstSeen = firstSeen,
      recent = recent,
      lastImei = if (f.imei.nonEmpty) f.imei else prev.lastImei,
      imeiChangedAt = if (imeiChanged) f.eventTime else prev.imeiChangedAt,
      cellsAtSwap = if (imeiChanged) prev.knownCells else prev.cellsAtSwap,
      newIntlCalls = prev.newIntlCalls + (if (isNew && f.isVoice && f.durationSec > s.wangiriMaxDurationSec && isInternational(f, s)) 1 else 0),
      newCalls = prev.newCalls + (if (isNew) 1 else 0))

    def window(ms: Long): List[UsageFact] = recent.filter(r => r.eventTime > f.eventTime - ms && r.eventTime <= f.eventTime)
    val candidates = List(
      simbox(window(s.simboxWindowMs), s),
      wangiri(window(s.wangiriWindowMs), s),
      irsf(window(s.irsfWindowMs), s),
      pbx(window(s.pbxWindowMs), f, prev, spec, s),
      subscription(st, isNew, s),
      simSwap(st, s)).flatten

    val alerts = Vector.newBuilder[Alert]
    candidates.foreach { case (kind, score, evidence) =>
      val cooling = st.lastAlert.get(kind).exists(t => f.eventTime - t < s.cooldownMs)
      if (!cooling && evidence.nonEmpty) {
        val ev = evidence.takeRight(50)
        alerts += Alert(kind, "subscriber", subscriber, ev.map(_.eventTime).min, f.eventTime,
          math.max(0.0, math.min(1.0, score)), ev.map(_.evidence))
        st = st.copy(lastAlert = st.lastAlert.updated(kind, f.eventTime))
      }
    }

    // The profile learns after the rules ran, so a record is judged against history without itself.
    st = st.copy(
      knownImeis = if (f.imei.isEmpty || st.knownImeis.contains(f.imei)) st.knownImeis else (f.imei :: st.knownImeis).take(10),
      knownCells = if (f.cell.isEmpty || st.knownCells.contains(f.cell)) st.knownCells else (f.cell :: st.knownCells).take(50),
      history = st.history + 1,
      dayCalls = st.dayCalls + (if (f.isVoice && isBusinessHours(f.eventTime, spec)) 1 else 0),
      otherCalls = st.otherCalls + (if (f.isVoice && !isBusinessHours(f.eventTime, spec)) 1 else 0))
    (st, alerts.result())
  }

  private type Candidate = Option[(String, Double, List[UsageFact])]

  /** Many outgoing calls to many distinct national numbers, no SMS/data, from one or two cells. */
  def simbox(w: List[UsageFact], s: FraudSettings): Candidate = {
    val calls = w.filter(_.isVoice)
    val n = calls.size
    if (n < s.simboxMinCalls) None
    else {
      val distinct = calls.map(_.number).distinct.size.toDouble / n
      val national = calls.count(c => c.destinationClass == "national" || c.destinationClass == "onnet").toDouble / n
      val other = w.count(!_.isVoice)
      val cells = calls.map(_.cell).distinct.size
      val imeis = calls.map(_.imei).distinct.size
      if (distinct >= s.simboxMinDistinctRatio && national >= s.simboxMinNationalRatio && other <= s.simboxMaxOther &&
        cells <= s.simboxMaxCells)
        Some(("SIMBOX", 0.6 + 0.2 * distinct + 0.2 * math.min(1.0, n.toDouble / (2 * s.simboxMinCalls)) - (if (imeis > 1) 0.1 else 0.0), calls))
      else None
    }
  }

  /** Bursts of very short or unanswered calls to many distinct numbers. */
  def wangiri(w: List[UsageFact], s: FraudSettings): Candidate = {
    val short = w.filter(c => c.isVoice && c.durationSec <= s.wangiriMaxDurationSec)
    val n = short.size
    if (n < s.wangiriMinCalls) None
    else {
      val distinct = short.map(_.number).distinct.size.toDouble / n
      val intl = short.count(c => c.destinationClass == "international" || c.destinationClass == "premium").toDouble / n
      if (distinct >= s.wangiriMinDistinctRatio)
        Some(("WANGIRI", 0.6 + 0.3 * intl + 0.1 * math.min(1.0, n.toDouble / (2 * s.wangiriMinCalls)), short))
      else None
    }
  }

  /** Calls to premium / high-risk international ranges adding up to a long total duration. */
  def irsf(w: List[UsageFact], s: FraudSettings): Candidate = {
    val risky = w.filter(c => c.isVoice && isRisky(c, s))
    val total = risky.map(_.durationSec).sum
    if (risky.size >= s.irsfMinCalls && total >= s.irsfMinTotalSec)
      Some(("IRSF", 0.5 + 0.5 * math.min(1.0, total.toDouble / (6 * s.irsfMinTotalSec)), risky))
    else None
  }

  /** A line that calls mostly in business hours suddenly makes many international calls at night. */
  def pbx(w: List[UsageFact], current: UsageFact, prev: FraudState, spec: RatingSpec, s: FraudSettings): Candidate = {
    // The profile is the history before this window, so the burst itself does not dilute it.
    val earlier = w.filter(c => c.isVoice && c.id != current.id)
    val dayBefore = prev.dayCalls - earlier.count(c => isBusinessHours(c.eventTime, spec))
    val otherBefore = prev.otherCalls - earlier.count(c => !isBusinessHours(c.eventTime, spec))
    val historyCalls = dayBefore + otherBefore
    val nightIntl = w.filter(c => c.isVoice && isInternational(c, s) && isNight(c.eventTime, spec, s))
    if (historyCalls < s.pbxMinHistoryCalls || nightIntl.size < s.pbxMinNightCalls) None
    else {
      val dayShare = dayBefore.toDouble / historyCalls
      if (dayShare >= s.pbxMinDayShare)
        Some(("PBX", 0.5 + 0.5 * dayShare * math.min(1.0, nightIntl.size.toDouble / (2 * s.pbxMinNightCalls)), nightIntl))
      else None
    }
  }

  /** A subscriber first seen recently whose usage is immediately mostly international / premium. */
  def subscription(st: FraudState, isNew: Boolean, s: FraudSettings): Candidate =
    if (!isNew || st.newIntlCalls < s.subscriptionMinCalls || st.newCalls == 0) None
    else {
      val share = st.newIntlCalls.toDouble / st.newCalls
      if (share >= s.subscriptionMinShare) {
        val ev = st.recent.filter(r => r.isVoice && isInternational(r, s))
        Some(("SUBSCRIPTION", 0.5 + 0.5 * share, ev))
      } else None
    }

  /** A never-seen IMEI on an established subscriber, followed within minutes by activity on new cells or abroad. */
  def simSwap(st: FraudState, s: FraudSettings): Candidate =
    if (st.imeiChangedAt == Long.MinValue) None
    else {
      val since = st.recent.filter(r => r.eventTime >= st.imeiChangedAt && r.eventTime - st.imeiChangedAt <= s.simSwapWindowMs)
      val unusual = since.filter(r => (r.cell.nonEmpty && !st.cellsAtSwap.contains(r.cell)) || isInternational(r, s))
      if (since.size >= s.simSwapMinEvents && unusual.size >= s.simSwapMinEvents)
        Some(("SIMSWAP", 0.6 + 0.4 * unusual.size.toDouble / since.size, since))
      else None
    }
}
