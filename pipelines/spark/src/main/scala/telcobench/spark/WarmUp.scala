package telcobench.spark

import java.nio.charset.StandardCharsets
import java.nio.file.{Files, Path}

import org.apache.spark.sql.{Encoders, SparkSession}
import org.apache.spark.sql.execution.streaming.runtime.MemoryStream
import org.apache.spark.sql.streaming.StreamingQuery

/**
 * Runs the job's own queries over a few synthetic micro-batches before the real queries start, so the measured
 * load meets a warm JVM. On the 2-core machine a cold driver spends its first 30–40 s loading about 15,000
 * classes and JIT-compiling them; its first micro-batches take 6–10 s each, and the backlog they leave behind
 * shows up in the latency of the first measured minute. The synthetic records never reach Kafka: they come from
 * MemoryStreams and go to Spark's `noop` sink, with checkpoints in a temporary folder that is removed afterwards.
 */
object WarmUp {
  /** Number of synthetic subscribers (and cells) the records are spread over. */
  private val Subscribers = 64
  private val Cells = 8

  /** Runs `batches` micro-batches of `recordsPerBatch` records through each of the job's queries; returns the wall ms. */
  def run(spark: SparkSession, cfg: JobConfig, batches: Int, recordsPerBatch: Int, scratch: Path,
          stopRequested: () => Boolean = () => false): Long = {
    val began = System.nanoTime()
    val s = cfg.settings
    val prefix = cfg.topicPrefix
    val cdrInput = MemoryStream[KafkaIn](Encoders.product[KafkaIn], spark)
    val networkInput = MemoryStream[KafkaIn](Encoders.product[KafkaIn], spark)
    // The job's own layout (QueryLayout): a shared query reads both inputs. Real-time mode's micro-batch queries
    // are warmed one each; its stateless rating-rt shares the rating query's parse and rating code.
    val layout = if (cfg.trigger.kind == "real-time") "per-query" else cfg.queryLayout
    val queries: List[StreamingQuery] = QueryLayout.groups(layout, cfg.queries).map { group =>
      val inputs = group.map(q => if (q == "network") networkInput else cdrInput).distinct
      val events = Pipelines.parse(inputs.map(_.toDS().toDF()).reduce(_ union _), prefix)
      val parts = group.map(q => Pipelines.partOf(q, s))
      val name = QueryLayout.nameOf(group)
      Pipelines.stateful(events, parts).writeStream.queryName(s"warm-up-$name").outputMode("update").format("noop")
        .option("checkpointLocation", scratch.resolve(name).toString).start()
    }
    try {
      val t0 = System.currentTimeMillis() - batches * 60000L
      (0 until batches).takeWhile(_ => !stopRequested()).foreach { b =>
        val records = (0 until recordsPerBatch).map(i => b * recordsPerBatch + i)
        cdrInput.addData(records.map(n => KafkaIn(prefix + "cdr", n % 4, n.toLong, bytes(usage(n, t0 + b * 60000L + (n % 60) * 1000L)))))
        networkInput.addData((0 until Cells).map(c => KafkaIn(prefix + "pm", c % 4, (b * Cells + c).toLong, bytes(pm(b, c, t0 + b * 60000L)))))
        queries.foreach(_.processAllAvailable())
      }
    } finally queries.foreach(q => try q.stop() catch { case _: Exception => () })
    (System.nanoTime() - began) / 1000000L
  }

  /** A temporary folder under java.io.tmpdir (the harness points that into the run folder). */
  def scratchDir(): Path = Files.createTempDirectory("telcobench-warm-up")

  def removeScratch(dir: Path): Unit = org.apache.commons.io.FileUtils.deleteQuietly(dir.toFile)

  private def bytes(json: String): Array[Byte] = json.getBytes(StandardCharsets.UTF_8)

  private def subscriber(n: Int): String = f"00101${n % Subscribers}%010d"

  /** Voice, SMS and data records in turn, to national, international and on-net numbers. */
  private[spark] def usage(n: Int, t: Long): String = {
    val sub = subscriber(n)
    val cell = s"warm-${n % Cells}"
    n % 3 match {
      case 0 =>
        val number = if (n % 2 == 0) "353861234567" else "447700900123"
        s"""{"id":"w$n","type":"voice","subscriber":"$sub","eventTime":${t + 90000},"emitNs":${t * 1000000L},"recordType":"moCallRecord",""" +
          s""""servedIMSI":"$sub","servedIMEI":"490154203237518","calledNumber":"$number","answerTime":$t,"releaseTime":${t + 90000},""" +
          s""""callDuration":90,"causeForTerm":0,"callReference":"r$n","recordSequenceNumber":1,"cell":"$cell"}"""
      case 1 =>
        s"""{"id":"w$n","type":"sms","subscriber":"$sub","eventTime":$t,"emitNs":${t * 1000000L},"recordType":"moSMSRecord",""" +
          s""""servedIMSI":"$sub","servedIMEI":"490154203237518","destinationNumber":"353861234567","originationTime":$t,"cell":"$cell"}"""
      case _ =>
        s"""{"id":"w$n","type":"data","subscriber":"$sub","eventTime":${t + 60000},"emitNs":${t * 1000000L},"recordType":"pGWRecord",""" +
          s""""servedIMSI":"$sub","chargingID":"ch$n","recordSequenceNumber":1,"recordOpeningTime":$t,"duration":60,""" +
          s""""dataVolumeUplink":1000,"dataVolumeDownlink":250000,"causeForRecClosing":0,"cell":"$cell"}"""
    }
  }

  private[spark] def pm(batch: Int, cell: Int, t: Long): String =
    s"""{"id":"wpm-$batch-$cell","type":"pm","cell":"warm-$cell","siteId":"warm","eventTime":$t,"emitNs":${t * 1000000L},""" +
      s""""granularitySec":900,"RRC.ConnEstabAtt":100,"RRC.ConnEstabSucc":99,"ERAB.EstabInitAttNbr":99,"ERAB.EstabInitSuccNbr":99,""" +
      s""""ERAB.RelAbnormalEnbAct":0,"RRU.PrbUsedDl":30,"RRU.PrbAvailDl":100,"PDCP.VolDl":1000,"PDCP.VolUl":100,"cellAvailSec":900}"""
}
