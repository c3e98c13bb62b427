package telcobench.spark

/** Per-subscriber running totals plus the ids still needed for de-duplication (id -> eventTime). */
final case class BillState(records: Long, chargeSubunits: Long, lastEventTime: Long, maxEmitNs: Long, seen: Map[String, Long])

object BillState {
  val empty: BillState = BillState(0L, 0L, 0L, 0L, Map.empty)
}

/**
 * Rating, de-duplication, late-record detection and running bills for one subscriber: pure, so the streaming
 * query (flatMapGroupsWithState) and the tests share it.
 *
 * `watermarkMs` is Spark's event-time watermark at the start of the micro-batch
 * (max eventTime seen in earlier batches - dedupWatermarkMs), or <= 0 before there is one.
 * A record is late when eventTime < watermark - lateThresholdMs: it is not rated, it goes to `dlq` with reason
 * `late`. An id is remembered while a copy of it could still be accepted (eventTime >= watermark - lateThresholdMs),
 * so de-duplication is exact for every record that is rated.
 */
object Billing {
  def lateCutoff(watermarkMs: Long, lateThresholdMs: Long): Long =
    if (watermarkMs <= 0L) Long.MinValue else watermarkMs - lateThresholdMs

  def step(subscriber: String, previous: BillState, events: Seq[Event], watermarkMs: Long,
           settings: Settings): (BillState, Vector[OutRow]) = {
    val cutoff = lateCutoff(watermarkMs, settings.lateThresholdMs)
    val out = Vector.newBuilder[OutRow]
    var seen = previous.seen.filter { case (_, t) => t >= cutoff }
    var records = previous.records
    var charge = previous.chargeSubunits
    var lastEventTime = previous.lastEventTime
    var maxEmitNs = previous.maxEmitNs
    var rated = 0
    val ordered = events.sortBy(e => (e.partition, e.offset))
    ordered.foreach { e =>
      if (!e.ok) out += Output.dlq(e)
      else if (e.eventTime < cutoff)
        out += Output.dlq(e, "late", s"eventTime ${e.eventTime} < watermark $watermarkMs - lateThresholdMs ${settings.lateThresholdMs}")
      else if (!seen.contains(e.id)) {
        val r = Rater.rate(settings.spec, e.usage)
        out += Output.rated(e, r)
        seen = seen.updated(e.id, e.eventTime)
        records += 1
        charge += r.chargeSubunits
        lastEventTime = math.max(lastEventTime, e.eventTime)
        maxEmitNs = math.max(maxEmitNs, e.emitNs)
        rated += 1
      }
    }
    val state = BillState(records, charge, lastEventTime, maxEmitNs, seen)
    if (rated > 0) out += Output.bill(subscriber, records, charge, lastEventTime, maxEmitNs)
    (state, out.result())
  }
}
