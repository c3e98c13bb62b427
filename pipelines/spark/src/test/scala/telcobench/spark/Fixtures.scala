package telcobench.spark

import java.nio.charset.StandardCharsets
import java.nio.file.{Files, Path, Paths}

/** Small builders for test records; everything goes through the real Parser. */
object Fixtures {
  val vectorsPath = "../contracts/rating-vectors.json"
  lazy val vectors = Json.parse(new String(Files.readAllBytes(Paths.get(vectorsPath)), StandardCharsets.UTF_8))
  lazy val spec: RatingSpec = RatingSpec.fromJson(vectors.get("specs").get("default"))
  lazy val settings: Settings = Settings(spec, 600000L, 7200000L, NetworkSettings(), FraudSettings())

  val T0 = 1767607200000L // 2026-01-05 10:00 UTC, a Monday, peak
  val Sub = "001010000000001"
  private var offsets = 0L

  def parse(topic: String, json: String, partition: Int = 0): Event = {
    offsets += 1
    Parser.parse(topic, partition, offsets, json.getBytes(StandardCharsets.UTF_8))
  }

  def voice(id: String, t: Long, number: String, duration: Long, sub: String = Sub, cell: String = "c1",
            imei: String = "490154203237518", seq: Int = 1, msisdn: String = ""): Event =
    parse("cdr", s"""{"id":"$id","type":"voice","subscriber":"$sub","eventTime":${t + duration * 1000},"emitNs":${t * 10},
       |"recordType":"moCallRecord","servedIMSI":"$sub","servedIMEI":"$imei",${msisdnField(msisdn)}"calledNumber":"$number",
       |"answerTime":$t,"releaseTime":${t + duration * 1000},"callDuration":$duration,"causeForTerm":${if (duration == 0) 3 else 0},
       |"callReference":"r$id","recordSequenceNumber":$seq,"cell":"$cell"}""".stripMargin)

  private def msisdnField(msisdn: String): String = if (msisdn.isEmpty) "" else s""""servedMSISDN":"$msisdn","""

  def sms(id: String, t: Long, number: String, sub: String = Sub, cell: String = "c1", msisdn: String = ""): Event =
    parse("cdr", s"""{"id":"$id","type":"sms","subscriber":"$sub","eventTime":$t,"emitNs":${t * 10},"recordType":"moSMSRecord",
       |"servedIMSI":"$sub","servedIMEI":"490154203237518",${msisdnField(msisdn)}"destinationNumber":"$number","originationTime":$t,"cell":"$cell"}""".stripMargin)

  def data(id: String, t: Long, bytes: Long, sub: String = Sub): Event =
    parse("cdr", s"""{"id":"$id","type":"data","subscriber":"$sub","eventTime":${t + 60000},"emitNs":${t * 10},"recordType":"pGWRecord",
       |"servedIMSI":"$sub","chargingID":"ch$id","recordSequenceNumber":1,"recordOpeningTime":$t,"duration":60,
       |"dataVolumeUplink":0,"dataVolumeDownlink":$bytes,"causeForRecClosing":0,"cell":"c1"}""".stripMargin)

  def pm(id: String, cell: String, t: Long, att: Long, succ: Long, prbUsed: Long = 30, prbAvail: Long = 100,
         erabRelAbn: Long = 0, avail: Long = 900): Event =
    parse("pm", s"""{"id":"$id","type":"pm","cell":"$cell","siteId":"s1","eventTime":$t,"emitNs":${t * 10},"granularitySec":900,
       |"RRC.ConnEstabAtt":$att,"RRC.ConnEstabSucc":$succ,"ERAB.EstabInitAttNbr":$succ,"ERAB.EstabInitSuccNbr":$succ,
       |"ERAB.RelAbnormalEnbAct":$erabRelAbn,"RRU.PrbUsedDl":$prbUsed,"RRU.PrbAvailDl":$prbAvail,"PDCP.VolDl":1000,
       |"PDCP.VolUl":100,"cellAvailSec":$avail}""".stripMargin)

  def alarm(id: String, cell: String, t: Long, severity: String): Event =
    parse("alarms", s"""{"id":"$id","type":"alarm","cell":"$cell","eventTime":$t,"emitNs":${t * 10},"alarmId":"a-$cell",
       |"eventType":"equipment","probableCause":"x","perceivedSeverity":"$severity","specificProblem":"Cell Unavailable"}""".stripMargin)

  /** `events` as TrainApp reads a training history (`generate`'s events.jsonl) in `dir`; returns the file's path. */
  def writeHistory(dir: Path, events: Seq[Event]): String = {
    val file = dir.resolve("events.jsonl")
    val lines = events.map { e =>
      val o = Json.obj()
      o.put("topic", e.topic).put("key", e.cell).put("sendOffsetNs", 0).put("value", e.raw)
      Json.write(o)
    }
    Files.write(file, lines.mkString("\n").getBytes(StandardCharsets.UTF_8))
    file.toString
  }

  /** Anomaly windows as the truth's anomaly.jsonl in `dir`; returns the file's path. */
  def writeAnomalies(dir: Path, windows: Seq[AnomalyWindow]): String = {
    val file = dir.resolve("anomaly.jsonl")
    val lines = windows.map { w =>
      val o = Json.obj()
      o.put("kind", w.kind).put("cell", w.cell).put("start", w.start).put("end", w.end)
      Json.write(o)
    }
    Files.write(file, lines.mkString("\n").getBytes(StandardCharsets.UTF_8))
    file.toString
  }
}
