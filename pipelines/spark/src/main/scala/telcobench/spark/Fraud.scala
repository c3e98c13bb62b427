package telcobench.spark

/** The facts about one usage record that the fraud rules look at. */
final case class UsageFact(
    id: String,
    typ: String,
    subscriber: String,
    eventTime: Long,
    emitNs: Long,
    number: String,
    destinationClass: String,
    durationSec: Long,
    cell: String,
    imei: String) {
  def evidence: Evidence = Evidence(id, eventTime, emitNs)
  def isVoice: Boolean = typ == "voice"
  /** When the call was answered (a voice record's eventTime is its release time). */
  def startTime: Long = eventTime - durationSec * 1000L
}

/**
 * Fraud rules. Each usage record is routed to up to four keys ([[route]]), one per [[FraudKeyKind]], and each kind
 * has its own detector and state:
 *  - subscriber (IMSI): the subscriber's own behaviour (WANGIRI bursts, IRSF, PBX, SUBSCRIPTION, new IMEI);
 *  - line (MSISDN): a new IMSI on the same number (SIMSWAP);
 *  - device (IMEI): many SIMs calling out through one device (SIMBOX);
 *  - number (called number): many subscribers calling the same international/premium number back (WANGIRI).
 * Pure: the rules run after every record, so the same input gives the same alerts whatever the micro-batch
 * boundaries. Labels are never read.
 */
object Fraud {
  private val MsPerHour = 3600000L

  def fact(e: Event, spec: RatingSpec): UsageFact = {
    val cls = if (e.typ == "data") spec.dataClass else Rater.destinationClass(spec, e.number)
    UsageFact(e.id, e.typ, e.subscriber, e.eventTime, e.emitNs, e.number, cls, e.duration, e.cell, e.imei)
  }

  private def isIntlClass(f: UsageFact): Boolean = f.destinationClass == "international"

  private def isInternational(f: UsageFact, s: FraudSettings): Boolean =
    isIntlClass(f) || isRisky(f, s)

  private def isRisky(f: UsageFact, s: FraudSettings): Boolean =
    f.destinationClass == "premium" || s.irsfPrefixes.exists(p => f.number.startsWith(p))

  private def isNational(f: UsageFact): Boolean = f.destinationClass == "national" || f.destinationClass == "onnet"

  /** The keys a usage record feeds. */
  def route(e: Event, spec: RatingSpec, s: FraudSettings): Vector[FraudInput] = {
    val f = fact(e, spec)
    val keys = Vector.newBuilder[FraudKey]
    keys += FraudKey(FraudKeyKind.Subscriber, e.subscriber)
    if (e.msisdn.nonEmpty) keys += FraudKey(FraudKeyKind.Line, e.msisdn)
    if (f.isVoice && e.imei.nonEmpty) keys += FraudKey(FraudKeyKind.Device, e.imei)
    if (f.isVoice && f.number.nonEmpty && isInternational(f, s)) keys += FraudKey(FraudKeyKind.Number, f.number)
    keys.result().map(k => FraudInput(k, e.partition, e.offset, f))
  }

  /**
   * All fraud alerts of a finite input, each key in one pass (the batch baseline and offline replays), keys in the
   * order of their kind's name (device, line, number, subscriber), then of their entity.
   */
  def detect(events: Seq[Event], spec: RatingSpec, s: FraudSettings): Vector[Alert] =
    events.filter(_.isUsage).flatMap(e => route(e, spec, s)).groupBy(_.key).toVector
      .sortBy { case (key, _) => (key.kind.toString, key.entity) }
      .flatMap { case (key, rows) => step(key, FraudKeyState.empty, rows, spec, s)._2 }

  /** Runs the key's own detector over its new inputs; the returned state holds that detector's state only. */
  def step(key: FraudKey, previous: FraudKeyState, inputs: Seq[FraudInput], spec: RatingSpec,
           s: FraudSettings): (FraudKeyState, Vector[Alert]) = {
    // A subscriber's records come from one Kafka partition, in the order they were sent.
    def inSendOrder: Seq[UsageFact] = inputs.sortBy(i => (i.partition, i.offset)).map(_.fact)
    // Line, device and number keys gather records of several subscribers (several partitions): event-time order.
    def inEventTimeOrder: Seq[UsageFact] = inputs.sortBy(i => (i.fact.eventTime, i.partition, i.offset)).map(_.fact)
    key.kind match {
      case FraudKeyKind.Subscriber =>
        val (next, alerts) =
          subscriberStep(key.entity, previous.subscriber.getOrElse(SubscriberState.empty), inSendOrder, spec, s)
        (FraudKeyState.empty.copy(subscriber = Some(next)), alerts)
      case FraudKeyKind.Line =>
        val (next, alerts) = simSwapStep(previous.line.getOrElse(SimSwapState.empty), inEventTimeOrder, s)
        (FraudKeyState.empty.copy(line = Some(next)), alerts)
      case FraudKeyKind.Device =>
        val (next, alerts) = simboxStep(previous.device.getOrElse(SimboxState.empty), inEventTimeOrder, s)
        (FraudKeyState.empty.copy(device = Some(next)), alerts)
      case FraudKeyKind.Number =>
        val (next, alerts) =
          wangiriCallbackStep(key.entity, previous.number.getOrElse(WangiriCallbackState.empty), inEventTimeOrder, s)
        (FraudKeyState.empty.copy(number = Some(next)), alerts)
    }
  }

  private def localHour(t: Long, spec: RatingSpec): Int =
    Math.floorMod(Math.floorDiv(t + spec.utcOffsetMinutes * 60000L, MsPerHour), 24L).toInt

  private def isNight(t: Long, spec: RatingSpec, s: FraudSettings): Boolean = {
    val h = localHour(t, spec)
    if (s.pbxNightFromHour <= s.pbxNightToHour) h >= s.pbxNightFromHour && h < s.pbxNightToHour
    else h >= s.pbxNightFromHour || h < s.pbxNightToHour
  }

  private def maxWindow(s: FraudSettings): Long =
    Seq(s.wangiriWindowMs, s.irsfWindowMs, s.pbxWindowMs, s.subscriptionWindowMs, s.simSwapWindowMs).max

  /** The largest number of answered calls in progress at one instant. */
  def maxConcurrent(calls: Seq[UsageFact]): Int = {
    val edges = calls.filter(_.durationSec > 0).flatMap(c => Seq((c.startTime, 1), (c.eventTime, -1)))
    // At equal times an end sorts before a start, so back-to-back calls do not count as overlapping.
    edges.sortBy(e => (e._1, e._2)).foldLeft((0, 0)) { case ((cur, best), (_, d)) =>
      val next = cur + d
      (next, math.max(best, next))
    }._2
  }

  private def alertOnce(kind: String, entityType: String, entity: String, last: Option[Long], now: Long, score: Double,
                        evidence: List[UsageFact], s: FraudSettings): Option[Alert] =
    if (evidence.isEmpty || last.exists(t => now - t < s.cooldownMs)) None
    else {
      val ev = evidence.takeRight(50)
      Some(Alert(kind, entityType, entity, ev.map(_.eventTime).min, now, math.max(0.0, math.min(1.0, score)),
        ev.map(_.evidence)))
    }

  // ---- subscriber key ----

  private def subscriberStep(subscriber: String, previous: SubscriberState, facts: Seq[UsageFact], spec: RatingSpec,
                             s: FraudSettings): (SubscriberState, Vector[Alert]) = {
    var st = previous
    val alerts = Vector.newBuilder[Alert]
    facts.foreach { f =>
      if (!st.recent.exists(_.id == f.id)) {
        val (next, raised) = onRecord(subscriber, st, f, spec, s)
        st = next
        alerts ++= raised
      }
    }
    (st, alerts.result())
  }

  private def onRecord(subscriber: String, prev: SubscriberState, f: UsageFact, spec: RatingSpec,
                       s: FraudSettings): (SubscriberState, Vector[Alert]) = {
    val firstSeen = if (prev.firstSeen == Long.MinValue) f.eventTime else math.min(prev.firstSeen, f.eventTime)
    // A new device: an established subscriber shows up on an IMEI it has never used before.
    val imeiChanged = prev.lastImei.nonEmpty && f.imei.nonEmpty && f.imei != prev.lastImei &&
      !prev.knownImeis.contains(f.imei) && prev.history >= s.simSwapMinHistory
    val horizon = f.eventTime - maxWindow(s)
    val recent = prev.recent.filter(_.eventTime > horizon) :+ f
    val isNew = f.eventTime - firstSeen <= s.subscriptionNewMs
    var st = prev.copy(
      firstSeen = firstSeen,
      recent = recent,
      lastImei = if (f.imei.nonEmpty) f.imei else prev.lastImei,
      imeiChangedAt = if (imeiChanged) f.eventTime else prev.imeiChangedAt,
      cellsAtSwap = if (imeiChanged) prev.knownCells else prev.cellsAtSwap)

    def window(ms: Long): List[UsageFact] = recent.filter(r => r.eventTime > f.eventTime - ms && r.eventTime <= f.eventTime)
    val candidates = List(
      wangiri(window(s.wangiriWindowMs), s),
      irsf(window(s.irsfWindowMs), s),
      pbx(window(s.pbxWindowMs), spec, s),
      // A line already flagged as a hacked PBX is a trunk, not a bust-out account.
      if (isNew && !prev.lastAlert.contains("PBX")) subscription(window(s.subscriptionWindowMs), s) else None,
      newDevice(st, s)).flatten

    val alerts = Vector.newBuilder[Alert]
    candidates.foreach { case (kind, score, evidence) =>
      alertOnce(kind, "subscriber", subscriber, st.lastAlert.get(kind), f.eventTime, score, evidence, s).foreach { a =>
        alerts += a
        st = st.copy(lastAlert = st.lastAlert.updated(kind, f.eventTime))
      }
    }

    // The profile learns after the rules ran, so a record is judged against history without itself.
    st = st.copy(
      knownImeis = if (f.imei.isEmpty || st.knownImeis.contains(f.imei)) st.knownImeis else (f.imei :: st.knownImeis).take(10),
      knownCells = if (f.cell.isEmpty || st.knownCells.contains(f.cell)) st.knownCells else (f.cell :: st.knownCells).take(50),
      history = st.history + 1)
    (st, alerts.result())
  }

  private type Candidate = Option[(String, Double, List[UsageFact])]

  /** A subscriber's own bursts of very short or unanswered calls to many distinct numbers (an on-net one-ring source). */
  def wangiri(w: List[UsageFact], s: FraudSettings): Candidate = {
    val short = w.filter(c => c.isVoice && c.durationSec <= s.wangiriMaxDurationSec)
    val n = short.size
    if (n < s.wangiriMinCalls) None
    else {
      val distinct = short.map(_.number).distinct.size.toDouble / n
      val intl = short.count(isIntlClass).toDouble / n
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

  /**
   * A hacked PBX: out of hours, one line carries many international calls at once. A handset holds a call or two,
   * so the load of the line (call-seconds per second of the window, in Erlang) and the peak number of calls in
   * progress are the signature, not the call count.
   */
  def pbx(w: List[UsageFact], spec: RatingSpec, s: FraudSettings): Candidate = {
    val nightIntl = w.filter(c => c.isVoice && isIntlClass(c) && isNight(c.startTime, spec, s))
    if (nightIntl.size < s.pbxMinNightCalls || !isTrunkLoad(nightIntl, s)) None
    else {
      val erlangs = erlang(nightIntl, s)
      Some(("PBX", 0.5 + 0.5 * math.min(1.0, erlangs / (2 * s.pbxMinErlangs)), nightIntl))
    }
  }

  private def erlang(calls: Seq[UsageFact], s: FraudSettings): Double =
    calls.map(_.durationSec).sum * 1000.0 / s.pbxWindowMs

  /** Many calls in progress at once and a load no single handset can carry. */
  private def isTrunkLoad(calls: Seq[UsageFact], s: FraudSettings): Boolean =
    erlang(calls, s) >= s.pbxMinErlangs && maxConcurrent(calls) >= s.pbxMinConcurrent

  /**
   * Bust-out: a subscriber first seen recently (the stream's proxy for a new activation) who at once makes many
   * answered international calls, mostly international, one at a time (a person, not a trunk: that is PBX).
   */
  def subscription(w: List[UsageFact], s: FraudSettings): Candidate = {
    val calls = w.filter(_.isVoice)
    val intl = calls.filter(c => isIntlClass(c) && c.durationSec > s.wangiriMaxDurationSec)
    if (intl.size < s.subscriptionMinCalls) None
    else {
      val share = calls.count(isIntlClass).toDouble / calls.size
      if (share >= s.subscriptionMinShare &&
        maxConcurrent(intl.filter(_.eventTime > w.last.eventTime - s.pbxWindowMs)) < s.pbxMinConcurrent)
        Some(("SUBSCRIPTION", 0.5 + 0.5 * share, intl))
      else None
    }
  }

  /** A never-seen IMEI on an established subscriber, followed within minutes by activity on new cells or abroad. */
  def newDevice(st: SubscriberState, s: FraudSettings): Candidate =
    if (st.imeiChangedAt == Long.MinValue) None
    else {
      val since = st.recent.filter(r => r.eventTime >= st.imeiChangedAt && r.eventTime - st.imeiChangedAt <= s.simSwapWindowMs)
      val unusual = since.filter(r => (r.cell.nonEmpty && !st.cellsAtSwap.contains(r.cell)) || isInternational(r, s))
      if (since.size >= s.simSwapMinEvents && unusual.size >= s.simSwapMinEvents)
        Some(("SIMSWAP", 0.6 + 0.4 * unusual.size.toDouble / since.size, since))
      else None
    }

  // ---- line key (MSISDN): SIM swap ----

  /**
   * A SIM swap: the number shows up with a new IMSI (the core check of docs/telecom-model.md §7.2) and the new SIM is used at
   * least simSwapMinEvents times within simSwapWindowMs, after the old IMSI was used at least as often. Requiring a
   * few records on both sides keeps one-off records with a stray (unprovisioned) IMSI from alerting. The alert names
   * the new IMSI.
   */
  private def simSwapStep(previous: SimSwapState, facts: Seq[UsageFact], s: FraudSettings): (SimSwapState, Vector[Alert]) = {
    var st = previous
    val alerts = Vector.newBuilder[Alert]
    facts.foreach { f =>
      if (st.imsi.isEmpty || f.subscriber == st.imsi)
        st = st.copy(imsi = f.subscriber,
          imsiIds = if (st.imsiIds.contains(f.id)) st.imsiIds else (f.id :: st.imsiIds).take(s.simSwapMinEvents),
          imei = if (f.imei.nonEmpty) f.imei else st.imei)
      else if (!st.formerImsis.contains(f.subscriber)) {
        if (st.newImsi != f.subscriber || f.eventTime - st.changedAt > s.simSwapWindowMs)
          st = st.copy(changedAt = f.eventTime, newImsi = f.subscriber,
            imeiChanged = f.imei.nonEmpty && f.imei != st.imei, sinceChange = Nil)
        if (!st.sinceChange.exists(_.id == f.id)) st = st.copy(sinceChange = (st.sinceChange :+ f).takeRight(50))
        // Distinct times: a mediation re-send repeats a record under a new id, it is not a second use of the SIM.
        if (st.sinceChange.map(_.eventTime).distinct.size >= s.simSwapMinEvents) {
          // A swapped SIM usually goes into the fraudster's own handset (a new IMEI). Without one, the old SIM must have
          // been in use: one record of a stray (unprovisioned) IMSI on the number is not a SIM to swap from.
          val oldSimInUse = st.imsiIds.size >= s.simSwapMinEvents
          val score = if (st.imeiChanged) 0.9 else 0.7
          if (st.imeiChanged || oldSimInUse) alertOnce("SIMSWAP", "subscriber", st.newImsi, st.lastAlert, f.eventTime, score, st.sinceChange, s)
            .foreach { a =>
              alerts += a
              st = st.copy(lastAlert = Some(f.eventTime))
            }
          // The new SIM is now the line's SIM; late records of the old one are not a swap back.
          st = st.copy(imsi = st.newImsi, imsiIds = st.sinceChange.map(_.id).takeRight(s.simSwapMinEvents),
            imei = if (f.imei.nonEmpty) f.imei else st.imei,
            changedAt = Long.MinValue, newImsi = "", imeiChanged = false, sinceChange = Nil,
            formerImsis = (st.imsi :: st.formerImsis).take(5))
        }
      }
    }
    (st, alerts.result())
  }

  // ---- device key (IMEI): SIM box ----

  /** Several SIMs calling out through one device within simboxImeiWindowMs, mostly to national numbers. */
  private def simboxStep(previous: SimboxState, facts: Seq[UsageFact], s: FraudSettings): (SimboxState, Vector[Alert]) = {
    var st = previous
    val alerts = Vector.newBuilder[Alert]
    facts.foreach { f =>
      if (!st.recent.exists(_.id == f.id)) {
        val recent = st.recent.filter(_.eventTime > f.eventTime - s.simboxImeiWindowMs) :+ f
        st = st.copy(recent = recent)
        val sims = recent.map(_.subscriber).distinct
        val national = recent.count(isNational).toDouble / recent.size
        if (sims.size >= s.simboxMinSimsPerImei && national >= s.simboxMinNationalRatio) {
          val score = 0.7 + 0.3 * math.min(1.0, sims.size.toDouble / (3 * s.simboxMinSimsPerImei))
          sims.foreach { sim =>
            val evidence = recent.filter(_.subscriber == sim)
            alertOnce("SIMBOX", "subscriber", sim, st.lastAlert.get(sim), f.eventTime, score, evidence, s).foreach { a =>
              alerts += a
              st = st.copy(lastAlert = st.lastAlert.updated(sim, f.eventTime))
            }
          }
        }
      }
    }
    (st, alerts.result())
  }

  // ---- number key: Wangiri callbacks ----

  /**
   * Wangiri seen from the home network: the one-ring calls are inbound (not in the MO stream), but the victims who
   * call back all dial the same few international/premium numbers. Many distinct subscribers calling one such number
   * within wangiriCallbackWindowMs raises an alert on the number.
   */
  private def wangiriCallbackStep(number: String, previous: WangiriCallbackState, facts: Seq[UsageFact],
                                  s: FraudSettings): (WangiriCallbackState, Vector[Alert]) = {
    var st = previous
    val alerts = Vector.newBuilder[Alert]
    facts.foreach { f =>
      if (!st.recent.exists(_.id == f.id)) {
        val recent = st.recent.filter(_.eventTime > f.eventTime - s.wangiriCallbackWindowMs) :+ f
        st = st.copy(recent = recent)
        val callers = recent.map(_.subscriber).distinct.size
        if (callers >= s.wangiriMinCallers) {
          val premium = if (recent.exists(isRisky(_, s))) 0.2 else 0.0
          val score = 0.6 + premium + 0.2 * math.min(1.0, callers.toDouble / (2 * s.wangiriMinCallers))
          alertOnce("WANGIRI", "number", number, st.lastAlert, f.eventTime, score, recent, s).foreach { a =>
            alerts += a
            st = st.copy(lastAlert = Some(f.eventTime))
          }
        }
      }
    }
    (st, alerts.result())
  }
}
