package telcobench.spark

import java.nio.charset.StandardCharsets
import java.sql.Timestamp

import com.fasterxml.jackson.databind.JsonNode

/**
 * Validation of input records against docs/contracts.md. Every record becomes an Event: either ok,
 * or not ok with one of the DLQ reason codes (malformed_json, schema_violation, bad_imsi,
 * negative_value, oversized, unknown_type).
 */
object Parser {
  val MaxBytes: Int = 64 * 1024
  val KnownTypes: Set[String] = Set("voice", "sms", "data", "pm", "alarm")
  private val TopicTypes: Map[String, Set[String]] =
    Map("cdr" -> Set("voice", "sms", "data"), "pm" -> Set("pm"), "alarms" -> Set("alarm"))

  private final class Reject(val reason: String, val detail: String) extends Exception(detail)

  private def reject(reason: String, detail: String): Nothing = throw new Reject(reason, detail)

  /** Parse one Kafka value read from `topicSuffix` (cdr, pm, alarms). */
  def parse(topicSuffix: String, partition: Int, offset: Long, value: Array[Byte]): Event = {
    val bytes = if (value == null) Array.emptyByteArray else value
    val raw = new String(bytes, StandardCharsets.UTF_8)
    val base = Event.empty(topicSuffix, partition, offset, raw)
    if (bytes.length > MaxBytes) base.copy(reason = "oversized", detail = s"value is ${bytes.length} bytes > $MaxBytes")
    else {
      val node: JsonNode =
        try Json.parse(raw)
        catch { case e: Exception => null }
      if (node == null || node.isMissingNode) base.copy(reason = "malformed_json", detail = "value is not JSON")
      else {
        // Best effort id/emitNs for the DLQ record, even when the record is rejected.
        val id = if (node.isObject) Json.stringField(node, "id").getOrElse("") else ""
        val emitNs = if (node.isObject) Json.longField(node, "emitNs").getOrElse(0L) else 0L
        try validated(base, node, topicSuffix)
        catch {
          case r: Reject => base.copy(reason = r.reason, detail = r.detail, id = id, emitNs = emitNs)
        }
      }
    }
  }

  private def reqLong(n: JsonNode, field: String): Long =
    Json.longField(n, field).getOrElse(reject("schema_violation", s"$field missing or not an integer"))

  private def reqString(n: JsonNode, field: String): String =
    Json.stringField(n, field).getOrElse(reject("schema_violation", s"$field missing or not a string"))

  private def optLong(n: JsonNode, field: String, default: Long): Long = {
    val v = n.get(field)
    if (v == null || v.isNull) default
    else if (Json.isIntegral(v)) v.asLong()
    else reject("schema_violation", s"$field is not an integer")
  }

  private def optString(n: JsonNode, field: String): String = {
    val v = n.get(field)
    if (v == null || v.isNull) ""
    else if (v.isTextual) v.asText()
    else reject("schema_violation", s"$field is not a string")
  }

  private def nonNegative(field: String, v: Long): Long =
    if (v < 0) reject("negative_value", s"$field = $v") else v

  private def validated(base: Event, n: JsonNode, topicSuffix: String): Event = {
    if (!n.isObject) reject("schema_violation", "value is not a JSON object")
    val id = reqString(n, "id")
    val typeNode = n.get("type")
    if (typeNode == null || !typeNode.isTextual) reject("schema_violation", "type missing or not a string")
    val typ = typeNode.asText()
    val eventTime = reqLong(n, "eventTime")
    val emitNs = reqLong(n, "emitNs")
    if (!KnownTypes.contains(typ)) reject("unknown_type", s"type '$typ'")
    TopicTypes.get(topicSuffix).foreach { allowed =>
      if (!allowed.contains(typ)) reject("schema_violation", s"type '$typ' is not allowed on topic $topicSuffix")
    }
    val e = base.copy(ok = true, id = id, typ = typ, eventTime = eventTime, emitNs = emitNs,
      eventTs = new Timestamp(eventTime), cell = optString(n, "cell"))
    typ match {
      case "voice" | "sms" | "data" =>
        val sub = Json.stringField(n, "subscriber").getOrElse(reject("schema_violation", "usage record without subscriber"))
        if (sub.length != 15 || !sub.forall(c => c >= '0' && c <= '9')) reject("bad_imsi", s"subscriber '$sub' is not 15 digits")
        val u = e.copy(subscriber = sub, imei = optString(n, "servedIMEI"),
          msisdn = optString(n, "servedMSISDN"), seq = optLong(n, "recordSequenceNumber", 1L))
        typ match {
          case "voice" =>
            val d = nonNegative("callDuration", reqLong(n, "callDuration"))
            u.copy(number = reqString(n, "calledNumber"), answerTime = optLong(n, "answerTime", eventTime - d * 1000L),
              duration = d, causeForTerm = optLong(n, "causeForTerm", 0L))
          case "sms" =>
            u.copy(number = reqString(n, "destinationNumber"), originationTime = optLong(n, "originationTime", eventTime))
          case _ =>
            val up = nonNegative("dataVolumeUplink", reqLong(n, "dataVolumeUplink"))
            val down = nonNegative("dataVolumeDownlink", reqLong(n, "dataVolumeDownlink"))
            val d = nonNegative("duration", optLong(n, "duration", 0L))
            u.copy(volume = up + down, duration = d, openingTime = optLong(n, "recordOpeningTime", eventTime - d * 1000L),
              causeForTerm = optLong(n, "causeForRecClosing", 0L))
        }
      case "pm" =>
        if (e.cell.isEmpty) reject("schema_violation", "pm record without cell")
        val gran = optLong(n, "granularitySec", 900L)
        def c(name: String): Long = nonNegative(name, optLong(n, name, 0L))
        e.copy(granularitySec = gran, rrcAtt = c("RRC.ConnEstabAtt"), rrcSucc = c("RRC.ConnEstabSucc"),
          erabAtt = c("ERAB.EstabInitAttNbr"), erabSucc = c("ERAB.EstabInitSuccNbr"),
          erabRelAbn = c("ERAB.RelAbnormalEnbAct"), prbUsed = c("RRU.PrbUsedDl"), prbAvail = c("RRU.PrbAvailDl"),
          pdcpVol = c("PDCP.VolDl") + c("PDCP.VolUl"), cellAvailSec = nonNegative("cellAvailSec", optLong(n, "cellAvailSec", gran)))
      case _ =>
        if (e.cell.isEmpty) reject("schema_violation", "alarm record without cell")
        e.copy(alarmId = optString(n, "alarmId"), severity = reqString(n, "perceivedSeverity"))
    }
  }
}
