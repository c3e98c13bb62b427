package telcobench.spark

/** JSON of the records Spark writes (docs/contracts.md "Output records"). */
object Output {
  def rated(e: Event, r: Rating): OutRow = {
    val o = Json.obj()
    o.put("id", e.id).put("subscriber", e.subscriber).put("type", e.typ).put("eventTime", e.eventTime)
      .put("emitNs", e.emitNs).put("destinationClass", r.destinationClass).put("band", r.band)
      .put("billedUnits", r.billedUnits).put("chargeSubunits", r.chargeSubunits)
    if (e.appendMs >= 0) o.put("appendMs", e.appendMs)
    if (e.batchMs >= 0) o.put("batchMs", e.batchMs)
    if (e.pickupMs >= 0) o.put("pickupMs", e.pickupMs)
    OutRow("rated", e.subscriber, Json.write(o))
  }

  def bill(subscriber: String, records: Long, chargeSubunits: Long, lastEventTime: Long, maxEmitNs: Long): OutRow = {
    val o = Json.obj()
    o.put("subscriber", subscriber).put("records", records).put("chargeSubunits", chargeSubunits)
      .put("lastEventTime", lastEventTime).put("maxEmitNs", maxEmitNs)
    OutRow("bills", subscriber, Json.write(o))
  }

  def dlq(e: Event, reason: String, detail: String): OutRow = {
    val o = Json.obj()
    o.put("reason", reason).put("detail", detail).put("topic", e.topic).put("partition", e.partition)
      .put("offset", e.offset)
    if (e.id.isEmpty) o.putNull("id") else o.put("id", e.id)
    o.put("emitNs", e.emitNs).put("raw", e.raw)
    OutRow("dlq", null, Json.write(o))
  }

  def dlq(e: Event): OutRow = dlq(e, e.reason, e.detail)

  /** A PM period's counters for the serving store's cell_kpis table (never written to Kafka). */
  def kpi(e: Event): OutRow = {
    val o = Json.obj()
    o.put("cell", e.cell).put("periodStart", e.eventTime).put("granularitySec", e.granularitySec)
      .put("rrcAttempts", e.rrcAtt).put("rrcSuccesses", e.rrcSucc).put("erabAttempts", e.erabAtt)
      .put("erabSuccesses", e.erabSucc).put("erabAbnormalReleases", e.erabRelAbn).put("prbUsedDl", e.prbUsed)
      .put("prbAvailDl", e.prbAvail).put("pdcpVolume", e.pdcpVol).put("cellAvailSec", e.cellAvailSec).put("emitNs", e.emitNs)
    OutRow(StoreRows.StoreOnlyTopic, e.cell, Json.write(o))
  }

  def alert(a: Alert): OutRow = OutRow("alerts", a.entity, Json.write(alertNode(a)))

  def alertNode(a: Alert): com.fasterxml.jackson.databind.node.ObjectNode = {
    val o = Json.obj()
    o.put("alertId", a.alertId).put("kind", a.kind).put("entityType", a.entityType).put("entity", a.entity)
      .put("windowStart", a.windowStart).put("windowEnd", a.windowEnd)
      .put("score", math.round(a.score * 1000.0) / 1000.0)
    val ids = o.putArray("evidenceIds")
    a.evidence.foreach(ev => ids.add(ev.id))
    o.put("maxEmitNs", a.maxEmitNs)
    o.put("detector", a.detector)
    o
  }
}
