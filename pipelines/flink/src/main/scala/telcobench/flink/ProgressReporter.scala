package telcobench.flink

import java.net.URI
import java.net.http.{HttpClient, HttpRequest, HttpResponse}
import java.time.Duration
import java.util.Properties

import com.fasterxml.jackson.databind.JsonNode
import org.apache.kafka.clients.admin.Admin
import org.apache.kafka.clients.producer.{KafkaProducer, ProducerRecord}
import org.apache.kafka.common.serialization.StringSerializer

import telcobench.spark.{JobConfig, Json}

/**
 * Engine progress for the `progress` topic, read from the embedded cluster's REST API every progressIntervalMs:
 * one record per query (rating, network, fraud), keyed by the query name like Spark's StreamingQueryProgress and
 * sharing its field names where the meaning is the same (name, timestamp, numInputRows, inputRowsPerSecond,
 * processedRowsPerSecond), plus Flink's own: the latest completed checkpoint (id, its end-to-end duration for this
 * query's operator and the whole job, state size) and the operator's back-pressure (busy and back-pressured time
 * ratios of its busiest subtask). The `rating` record also carries Spark's `sources[].endOffset` shape: the `cdr`
 * offsets the Kafka source committed for its consumer group at the latest completed checkpoint, i.e. what the job
 * has processed for good. docs/flink-pipelines.md "Progress records".
 */
final class ProgressReporter(cfg: JobConfig, restPort: Int, jobId: String, queries: Map[String, String]) {
  private val admin = {
    val p = new Properties()
    p.put("bootstrap.servers", cfg.bootstrap)
    cfg.kafkaOptions.foreach { case (k, v) => p.put(k, v) }
    Admin.create(p)
  }

  /** `{ "<cdr topic>": { "<partition>": <next offset> } }` committed by the cdr source's group; None if unknown. */
  private def cdrCommitted(): Option[com.fasterxml.jackson.databind.node.ObjectNode] =
    try {
      val offsets = admin.listConsumerGroupOffsets(KafkaParts.groupId(cfg, Seq("cdr"))).partitionsToOffsetAndMetadata()
        .get(5, java.util.concurrent.TimeUnit.SECONDS)
      val o = Json.obj()
      val t = o.putObject(cfg.topic("cdr"))
      offsets.forEach((tp, om) => if (om != null && tp.topic() == cfg.topic("cdr")) t.put(tp.partition().toString, om.offset()))
      Some(o)
    } catch { case _: Exception => None }

  private val http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()
  private val producer = {
    val p = new Properties()
    p.put("bootstrap.servers", cfg.bootstrap)
    cfg.kafkaOptions.foreach { case (k, v) => p.put(k, v) }
    p.put("key.serializer", classOf[StringSerializer].getName)
    p.put("value.serializer", classOf[StringSerializer].getName)
    p.put("max.block.ms", "10000")
    new KafkaProducer[String, String](p)
  }
  private val topic = cfg.topic("progress")
  private var lastReadRecords = Map.empty[String, Long]
  private var lastAt = System.currentTimeMillis()
  private var lastCheckpointId = -1L
  private var batchId = 0L

  private def get(path: String): Option[JsonNode] =
    try {
      val req = HttpRequest.newBuilder(URI.create(s"http://127.0.0.1:$restPort$path")).timeout(Duration.ofSeconds(5)).GET().build()
      val res = http.send(req, HttpResponse.BodyHandlers.ofString())
      if (res.statusCode() == 200) Some(Json.parse(res.body())) else None
    } catch { case _: Exception => None }

  /** Vertex ids by name, and whether every vertex of the job is RUNNING. */
  def vertices(): (Map[String, String], Boolean) =
    get(s"/jobs/$jobId").map { j =>
      val vs = j.get("vertices")
      val list = (0 until vs.size()).map(i => vs.get(i))
      (list.map(v => v.get("name").asText() -> v.get("id").asText()).toMap,
        list.nonEmpty && list.forall(_.get("status").asText() == "RUNNING"))
    }.getOrElse((Map.empty, false))

  /** Publishes one progress record per query; quiet when the REST API does not answer (the job is restarting). */
  def publish(): Unit = {
    val job = get(s"/jobs/$jobId").orNull
    if (job == null) return
    val now = System.currentTimeMillis()
    val elapsedS = math.max(0.001, (now - lastAt) / 1000.0)
    val vs = job.get("vertices")
    val byName = (0 until vs.size()).map(i => vs.get(i)).map(v => v.get("name").asText() -> v).toMap
    val latest = get(s"/jobs/$jobId/checkpoints").map(_.path("latest").path("completed")).filter(_.isObject)
    val checkpointId = latest.map(_.path("id").asLong(-1L)).getOrElse(-1L)
    val newCheckpoint = checkpointId > lastCheckpointId
    val details = if (newCheckpoint) get(s"/jobs/$jobId/checkpoints/details/$checkpointId") else None
    queries.foreach { case (query, operatorName) =>
      byName.find(_._1.contains(operatorName)).foreach { case (_, v) =>
        val vid = v.get("id").asText()
        val read = v.path("metrics").path("read-records").asLong(0L)
        val delta = math.max(0L, read - lastReadRecords.getOrElse(query, 0L))
        lastReadRecords = lastReadRecords.updated(query, read)
        val o = Json.obj()
        o.put("name", query).put("engine", "flink").put("jobId", jobId).put("batchId", batchId)
          .put("timestamp", java.time.Instant.ofEpochMilli(now).toString)
          .put("numInputRows", delta).put("inputRowsPerSecond", delta / elapsedS).put("processedRowsPerSecond", delta / elapsedS)
        if (query == "rating") cdrCommitted().foreach { offsets =>
          o.putArray("sources").addObject().put("description", "KafkaSource[cdr]").set[com.fasterxml.jackson.databind.JsonNode]("endOffset", offsets)
        }
        if (newCheckpoint) latest.foreach { c =>
          val cp = o.putObject("checkpoint")
          cp.put("id", checkpointId).put("jobDurationMs", c.path("end_to_end_duration").asLong(0L))
            .put("stateSizeBytes", c.path("state_size").asLong(c.path("checkpointed_size").asLong(0L)))
          details.map(_.path("tasks").path(vid)).filter(_.isObject).foreach { t =>
            cp.put("durationMs", t.path("end_to_end_duration").asLong(0L))
              .put("operatorStateSizeBytes", t.path("state_size").asLong(t.path("checkpointed_size").asLong(0L)))
          }
        }
        get(s"/jobs/$jobId/vertices/$vid/backpressure").foreach { bp =>
          val subtasks = bp.path("subtasks")
          val ratios = (0 until subtasks.size()).map(i => subtasks.get(i))
          val bpo = o.putObject("backpressure")
          bpo.put("level", bp.path("backpressureLevel").asText(""))
            .put("backPressuredRatioMax", ratios.map(_.path("backPressuredRatio").asDouble(0.0)).foldLeft(0.0)(math.max))
            .put("busyRatioMax", ratios.map(_.path("busyRatio").asDouble(0.0)).foldLeft(0.0)(math.max))
        }
        producer.send(new ProducerRecord[String, String](topic, query, Json.write(o)))
      }
    }
    if (newCheckpoint) lastCheckpointId = checkpointId
    lastAt = now
    batchId += 1
  }

  def close(): Unit = {
    try producer.close(Duration.ofSeconds(5)) catch { case _: Exception => () }
    try admin.close(Duration.ofSeconds(5)) catch { case _: Exception => () }
  }
}
