package telcobench.spark

import org.apache.spark.sql.SparkSession
import org.scalatest.BeforeAndAfterAll
import org.scalatest.funsuite.AnyFunSuite

import Fixtures._

/** The batch baseline's Spark steps on a local[1] session, checked against the pure streaming logic. */
class BatchSparkSpec extends AnyFunSuite with BeforeAndAfterAll {
  private var spark: SparkSession = _

  override def beforeAll(): Unit = {
    spark = SparkSession.builder().master("local[1]").appName("telcobench-test")
      .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2")
      .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
      .getOrCreate()
  }

  override def afterAll(): Unit = if (spark != null) spark.stop()

  test("batch bills equal the streaming bills for data with no late records; duplicates removed; alerts found") {
    val s = spark
    import s.implicits._
    val other = "001010000000003"
    val a1 = voice("a1", T0, "353861234567", 61)
    val usage = Seq(a1, sms("a2", T0 + 1000, "882131234"), data("a3", T0 + 2000, 12345678),
      voice("b1", T0, "4420712345", 75, sub = other), a1.copy(offset = a1.offset + 500)) ++
      (0 until 25).map(i => voice(s"w$i", T0 + i * 60000L, f"2217700$i%05d", i % 2, sub = other))
    val bad = parse("cdr", "nope")
    val pms = (0 until 11).map(i => pm(s"p$i", "c1", T0 + i * 900000L, if (i < 8) 200 else 1, if (i < 8) 200 else 1))
    val events = (usage ++ pms :+ bad).toDS()

    val deduped = BatchApp.dedupedUsage(events)
    val charges = BatchApp.rated(deduped, settings).collect()
    assert(charges.length == usage.size - 1)
    val batchBills = charges.groupBy(_.subscriber).map { case (k, v) => k -> v.map(_.chargeSubunits).sum }

    val streamingBills = usage.groupBy(_.subscriber).map { case (sub, evs) =>
      val (state, _) = Billing.step(sub, BillState.empty, evs, 0L, settings)
      sub -> state.chargeSubunits
    }
    assert(batchBills == streamingBills)
    assert(batchBills(Sub) == 3000 + 2500 + 1235) // national 61 s, premium SMS, 12 346 000 B at peak

    val kinds = BatchApp.alerts(events, deduped, settings).collect().map(j => Json.parse(j).get("kind").asText()).sorted
    assert(kinds.toSeq == Seq("SLEEPING_CELL", "WANGIRI"))
  }

  test("streaming rating query: dedup across batches, late records to dlq, running bills (MemoryStream, local[1])") {
    val s = spark
    import s.implicits._
    val input = org.apache.spark.sql.execution.streaming.runtime.MemoryStream[KafkaIn](org.apache.spark.sql.Encoders.product[KafkaIn], s)
    val kafkaLike = input.toDS().toDF()
    val out = new java.util.concurrent.ConcurrentLinkedQueue[OutRow]()
    val collect = new org.apache.spark.api.java.function.VoidFunction2[org.apache.spark.sql.Dataset[OutRow], java.lang.Long] {
      override def call(ds: org.apache.spark.sql.Dataset[OutRow], batchId: java.lang.Long): Unit = ds.collect().foreach(out.add)
    }
    val checkpoint = java.nio.file.Files.createTempDirectory("tb-spark-test").toString
    val query = Pipelines.rating(Pipelines.parse(kafkaLike, "tb.t."), settings).writeStream
      .outputMode("update").option("checkpointLocation", checkpoint).foreachBatch(collect).start()
    def kin(offset: Long, json: String): KafkaIn = KafkaIn("tb.t.cdr", 0, offset, json.getBytes("UTF-8"))
    def rec(id: String, t: Long, dur: Long): String =
      s"""{"id":"$id","type":"voice","subscriber":"$Sub","eventTime":${t + dur * 1000},"emitNs":$t,
         |"calledNumber":"353861234567","answerTime":$t,"callDuration":$dur}""".stripMargin
    try {
      val late = T0 + 10L * 3600000L
      input.addData(Seq(kin(0, rec("a", T0, 61)), kin(1, rec("a", T0, 61)), kin(2, "{bad"), kin(3, rec("b", late, 60))))
      query.processAllAvailable()
      input.addData(Seq(kin(4, rec("old", T0, 60)), kin(5, rec("b", late, 60)), kin(6, rec("c", late + 60000, 60))))
      query.processAllAvailable()
    } finally {
      query.stop()
      org.apache.commons.io.FileUtils.deleteQuietly(new java.io.File(checkpoint))
    }
    import scala.jdk.CollectionConverters._
    val rows = out.asScala.toVector
    val rated = rows.filter(_.topic == "rated").map(r => Json.parse(r.value).get("id").asText())
    assert(rated.sorted == Vector("a", "b", "c"))
    val dlq = rows.filter(_.topic == "dlq").map(r => Json.parse(r.value).get("reason").asText())
    assert(dlq.sorted == Vector("late", "malformed_json"))
    val lastBill = Json.parse(rows.filter(_.topic == "bills").last.value)
    assert(lastBill.get("records").asLong() == 3 && lastBill.get("chargeSubunits").asLong() == 3000 + 750 + 750)
  }

  /** What `build` writes for `batches` of Kafka-like rows, one micro-batch each, over a MemoryStream (local[1]). */
  private def written(batches: Seq[Seq[KafkaIn]], build: org.apache.spark.sql.DataFrame => org.apache.spark.sql.Dataset[OutRow]): Vector[OutRow] = {
    val input = org.apache.spark.sql.execution.streaming.runtime.MemoryStream[KafkaIn](org.apache.spark.sql.Encoders.product[KafkaIn], spark)
    val out = new java.util.concurrent.ConcurrentLinkedQueue[OutRow]()
    val collect = new org.apache.spark.api.java.function.VoidFunction2[org.apache.spark.sql.Dataset[OutRow], java.lang.Long] {
      override def call(ds: org.apache.spark.sql.Dataset[OutRow], batchId: java.lang.Long): Unit = ds.collect().foreach(out.add)
    }
    val checkpoint = java.nio.file.Files.createTempDirectory("tb-spark-layout").toString
    val query = build(input.toDS().toDF()).writeStream.outputMode("update").option("checkpointLocation", checkpoint)
      .foreachBatch(collect).start()
    try batches.foreach { rows => input.addData(rows); query.processAllAvailable() }
    finally {
      query.stop()
      org.apache.commons.io.FileUtils.deleteQuietly(new java.io.File(checkpoint))
    }
    import scala.jdk.CollectionConverters._
    out.asScala.toVector
  }

  test("query layout: one Spark query for rating, network and fraud writes what three write; its watermark comes from usage records alone") {
    def kin(topic: String, offset: Long, event: Event): KafkaIn = KafkaIn(s"tb.t.$topic", 0, offset, event.raw.getBytes("UTF-8"))
    val late = T0 + 10L * 3600000L
    val sims = (1 to 3).map(i => f"00101000000010$i%d")
    val simbox = (0 until 6).map { i =>
      val t = late - 1800000L + i * 120000L
      Parser.parse("cdr", 0, 100L + i, s"""{"id":"c$i","type":"voice","subscriber":"${sims(i % 3)}","eventTime":${t + 70000},"emitNs":$t,
         |"servedIMEI":"356938035643809","servedMSISDN":"35387100000${i % 3}","calledNumber":"3538600${1000 + i}",
         |"answerTime":$t,"callDuration":70,"cell":"c9"}""".stripMargin.getBytes("UTF-8"))
    }
    val a = voice("a", T0, "353861234567", 61)
    val first = Seq(kin("cdr", 0, a), kin("cdr", 1, a), KafkaIn("tb.t.cdr", 0, 2, "{bad".getBytes("UTF-8")),
      kin("cdr", 3, voice("b", late, "353861234567", 60))) ++ simbox.take(3).map(e => kin("cdr", e.offset, e)) ++
      // PM counters far ahead of the usage records: were they to move the rating watermark, "c" below would be late.
      (0 until 11).map(i => kin("pm", i, pm(s"p$i", "c1", late + 20L * 3600000L + i * 900000L, if (i < 8) 200 else 1, if (i < 8) 200 else 1)))
    val second = Seq(kin("cdr", 4, voice("old", T0, "353861234567", 60)), kin("cdr", 5, voice("b", late, "353861234567", 60)),
      kin("cdr", 6, voice("c", late + 60000, "353861234567", 60))) ++ simbox.drop(3).map(e => kin("cdr", e.offset, e))
    val parts = Seq(Pipelines.ratingPart(settings), Pipelines.networkPart(settings, None, kpis = false), Pipelines.fraudPart(settings, None))

    val shared = written(Seq(first, second), df => Pipelines.stateful(Pipelines.parse(df, "tb.t."), parts))
    val separate = parts.flatMap { part =>
      val own = Seq(first, second).map(_.filter(k => part.topics.contains(k.topic.stripPrefix("tb.t."))))
      written(own, df => Pipelines.stateful(Pipelines.parse(df, "tb.t."), Seq(part)))
    }
    def sorted(rows: Seq[OutRow]): Seq[(String, String, String)] = rows.map(r => (r.topic, String.valueOf(r.key), r.value)).sorted
    assert(sorted(shared) == sorted(separate))
    val rated = shared.filter(_.topic == "rated").map(r => Json.parse(r.value).get("id").asText())
    assert(rated.sorted == Vector("a", "b", "c") ++ simbox.map(_.id))
    assert(shared.filter(_.topic == "dlq").map(r => Json.parse(r.value).get("reason").asText()).sorted == Vector("late", "malformed_json"))
    val kinds = shared.filter(_.topic == "alerts").map(r => Json.parse(r.value).get("kind").asText()).distinct.sorted
    assert(kinds == Vector("SIMBOX", "SLEEPING_CELL"))
  }

  test("query layout: the logical queries of each Spark query") {
    val all = List("rating", "network", "fraud")
    assert(QueryLayout.groups("per-query", all) == List(List("rating"), List("network"), List("fraud")))
    assert(QueryLayout.groups("per-source", all) == List(List("rating", "fraud"), List("network")))
    assert(QueryLayout.groups("single", all) == List(all))
    assert(QueryLayout.groups("per-source", List("network", "fraud")) == List(List("network"), List("fraud")))
    assert(QueryLayout.nameOf(List("rating", "fraud")) == "rating+fraud")
    assertThrows[IllegalArgumentException](QueryLayout.groups("per-topic", all))
  }

  /** A streaming fraud query over a MemoryStream that collects what it writes; start() again resumes from its checkpoint. */
  private final class FraudQuery(checkpointPrefix: String) {
    val input = org.apache.spark.sql.execution.streaming.runtime.MemoryStream[KafkaIn](org.apache.spark.sql.Encoders.product[KafkaIn], spark)
    private val out = new java.util.concurrent.ConcurrentLinkedQueue[OutRow]()
    private val collect = new org.apache.spark.api.java.function.VoidFunction2[org.apache.spark.sql.Dataset[OutRow], java.lang.Long] {
      override def call(ds: org.apache.spark.sql.Dataset[OutRow], batchId: java.lang.Long): Unit = ds.collect().foreach(out.add)
    }
    private val checkpoint = java.nio.file.Files.createTempDirectory(checkpointPrefix).toString
    def start(): org.apache.spark.sql.streaming.StreamingQuery = Pipelines.fraud(Pipelines.parse(input.toDS().toDF(), "tb.t."), settings).writeStream
      .outputMode("update").option("checkpointLocation", checkpoint).foreachBatch(collect).start()
    def alerts: Vector[com.fasterxml.jackson.databind.JsonNode] = {
      import scala.jdk.CollectionConverters._
      out.asScala.toVector.filter(_.topic == "alerts").map(r => Json.parse(r.value))
    }
    def removeCheckpoint(): Unit = org.apache.commons.io.FileUtils.deleteQuietly(new java.io.File(checkpoint))
  }

  test("streaming fraud query: a SIM box whose SIMs sit on different partitions, over two micro-batches (MemoryStream)") {
    val s = spark
    import s.implicits._
    val fraud = new FraudQuery("tb-spark-fraud")
    import fraud.input
    val query = fraud.start()
    val sims = (1 to 3).map(i => f"00101000000010$i%d")
    def call(i: Int): KafkaIn = {
      val sim = sims(i % 3)
      val t = T0 + i * 120000L
      KafkaIn("tb.t.cdr", i % 3, i, s"""{"id":"c$i","type":"voice","subscriber":"$sim","eventTime":${t + 70000},"emitNs":$t,
         |"servedIMEI":"356938035643809","servedMSISDN":"35387100000${i % 3}","calledNumber":"3538600${1000 + i}",
         |"answerTime":$t,"callDuration":70,"cell":"c9"}""".stripMargin.getBytes("UTF-8"))
    }
    try {
      input.addData((0 until 2).map(call))
      query.processAllAvailable()
      input.addData((2 until 6).map(call))
      query.processAllAvailable()
    } finally {
      query.stop()
      fraud.removeCheckpoint()
    }
    val raised = fraud.alerts
    assert(raised.map(_.get("kind").asText()).distinct == Vector("SIMBOX"))
    assert(raised.map(_.get("entity").asText()).sorted == sims)

    val batch = BatchApp.alerts(spark.emptyDataset[Event], (0 until 6).map(i => Parser.parse("cdr", i % 3, i, call(i).value)).toDS(), settings)
      .collect().map(j => Json.parse(j).get("entity").asText()).sorted
    assert(batch.toSeq == sims)
  }

  test("streaming fraud query restarted from its checkpoint: device, line and number keys resume their state") {
    val fraud = new FraudQuery("tb-spark-fraud-restart")
    import fraud.{input, start}
    def kafka(events: Seq[Event]): Seq[KafkaIn] =
      events.map(e => KafkaIn("tb.t.cdr", Math.floorMod(e.subscriber.hashCode, 3), e.offset, e.raw.getBytes("UTF-8")))
    val M = 60000L
    val box = "356938035643809"
    val boxSims = (1 to 3).map(i => f"00101000000110$i%d")
    val boxCalls = boxSims.zipWithIndex.map { case (sim, j) => voice(s"b$j", T0 + j * 3 * M, f"3538600$j%05d", 70, sub = sim, imei = box) }
    val number = "88213585225"
    val callbacks = (1 to 3).map(i => voice(s"cb$i", T0 + i * 20 * M, number, 40, sub = f"00101000000120$i%d"))
    val msisdn = "353871000060"
    val newSim = "001010000013001"
    val line = (0 until 2).map(i => voice(s"o$i", T0 + i * 10 * M, "353861234567", 60, sub = "001010000013000", msisdn = msisdn)) ++
      (0 until 2).map(i => voice(s"n$i", T0 + 60 * M + i * 5 * M, "353861234567", 60, sub = newSim, imei = "618276700454507", msisdn = msisdn))
    val (before, after) = (Seq(boxCalls.head, callbacks.head, line(0), line(1), line(2)), boxCalls.tail ++ callbacks.tail :+ line(3))
    var query = start()
    try {
      input.addData(kafka(before))
      query.processAllAvailable()
      query.stop()
      query = start()
      input.addData(kafka(after))
      query.processAllAvailable()
    } finally {
      query.stop()
      fraud.removeCheckpoint()
    }
    val raised = fraud.alerts
      .map(a => (a.get("kind").asText(), a.get("entity").asText())).sorted
    assert(raised == (boxSims.map(("SIMBOX", _)) ++ Seq(("SIMSWAP", newSim), ("WANGIRI", number))).sorted)
    assert(raised == Fraud.detect(before ++ after, spec, settings.fraud).map(a => (a.kind, a.entity)).sorted)
  }

  test("warm-up: its synthetic records are valid usage and PM records; it runs every query and leaves nothing running") {
    val records = (0 until 6).map(n => Parser.parse("cdr", n % 4, n.toLong, WarmUp.usage(n, T0).getBytes("UTF-8")))
    assert(records.forall(_.ok), records.filterNot(_.ok).map(_.reason))
    assert(records.map(_.typ).distinct.sorted == Seq("data", "sms", "voice"))
    val (_, out) = Billing.step(records.head.subscriber, BillState.empty, records.take(1), 0L, settings)
    assert(out.count(_.topic == "rated") == 1)
    assert(Parser.parse("pm", 0, 0L, WarmUp.pm(0, 1, T0).getBytes("UTF-8")).ok)

    val spec = Json.write(vectors.get("specs").get("default"))
    val cfg = JobConfig.fromJson(Json.parse(s"""{"runId":"w","topicPrefix":"tb.w.","bootstrap":"h:1","warmUpBatches":2,"ratingSpec":$spec}"""))
    assert(cfg.warmUpBatches == 2)
    val scratch = WarmUp.scratchDir()
    val ms = try WarmUp.run(spark, cfg, cfg.warmUpBatches, recordsPerBatch = 30, scratch) finally WarmUp.removeScratch(scratch)
    assert(ms > 0)
    assert(spark.streams.active.isEmpty)
    assert(!java.nio.file.Files.exists(scratch))
    // One Spark query for all three reads both synthetic inputs.
    val single = cfg.copy(queryLayout = "single")
    val sharedScratch = WarmUp.scratchDir()
    try WarmUp.run(spark, single, 1, recordsPerBatch = 30, sharedScratch) finally WarmUp.removeScratch(sharedScratch)
    assert(spark.streams.active.isEmpty)
  }

  test("job config: defaults, detector overrides and validation") {
    val spec = Json.write(vectors.get("specs").get("default"))
    val cfg = JobConfig.fromJson(Json.parse(
      s"""{"runId":"r1","topicPrefix":"tb.r1.","bootstrap":"h:1","trigger":{"kind":"available-now"},
         |"ratingSpec":$spec,"detectors":{"fraud":{"wangiriMinCalls":5,"irsfPrefixes":["881"]},"network":{"prbHighRatio":0.9}},
         |"sparkConf":{"a.b":"c"}}""".stripMargin))
    assert(cfg.topic("cdr") == "tb.r1.cdr")
    assert(cfg.queries == List("rating", "network", "fraud"))
    assert(cfg.settings.fraud.wangiriMinCalls == 5 && cfg.settings.fraud.irsfPrefixes == List("881"))
    assert(cfg.settings.fraud.simboxMinSimsPerImei == FraudSettings().simboxMinSimsPerImei)
    assert(cfg.settings.network.prbHighRatio == 0.9)
    assert(cfg.sparkConf == Map("a.b" -> "c"))
    assert(cfg.settings.dedupWatermarkMs == 600000L && cfg.guarantee == "at-least-once")
    assert(cfg.warmUpBatches == 0 && cfg.queryLayout == "per-query")
    assertThrows[IllegalArgumentException](JobConfig.fromJson(Json.parse(s"""{"queryLayout":"per-topic","ratingSpec":$spec}""")))
    assertThrows[IllegalArgumentException](JobConfig.fromJson(Json.parse(s"""{"guarantee":"twice","ratingSpec":$spec}""")))
    assertThrows[IllegalArgumentException](JobConfig.fromJson(Json.parse(s"""{"queries":["billing"],"ratingSpec":$spec}""")))
  }

  test("parse carries the Kafka timestamp and the parse time into rated records, the rating step the batch time; no timestamp column, no timing") {
    val s = spark
    import s.implicits._
    val json = """{"id":"t1","type":"sms","subscriber":"001010000000001","eventTime":1767607200000,"emitNs":5,"recordType":"moSMSRecord","servedIMSI":"001010000000001","servedIMEI":"490154203237518","destinationNumber":"353861234567","originationTime":1767607200000,"cell":"c1"}"""
    val appendTs = new java.sql.Timestamp(1767607200123L)
    val rows = Seq(("tb.cdr", 0, 7L, json.getBytes("UTF-8"), appendTs)).toDF("topic", "partition", "offset", "value", "timestamp")
    val before = System.currentTimeMillis()
    val timed = Pipelines.parse(rows, "tb.", batchTime = false).collect().head
    assert(timed.ok, timed.detail)
    assert(timed.appendMs == 1767607200123L && timed.batchMs == -1L)
    assert(timed.pickupMs >= before && timed.pickupMs <= System.currentTimeMillis())
    val rated = Json.parse(Output.rated(timed, Rater.rate(settings.spec, timed.usage)).value)
    assert(rated.get("appendMs").asLong() == 1767607200123L && rated.get("pickupMs").asLong() == timed.pickupMs)
    assert(!rated.has("batchMs"))
    // With batchTime the rating query's stateful step sets batchMs: a micro-batch's time in a stream, the query's
    // time on a batch DataFrame.
    assert(Pipelines.parse(rows, "tb.").collect().head.batchMs == Event.BatchTimePending)
    val input = org.apache.spark.sql.execution.streaming.runtime.MemoryStream[TimedKafkaRow](org.apache.spark.sql.Encoders.product[TimedKafkaRow], s)
    val out = new java.util.concurrent.ConcurrentLinkedQueue[OutRow]()
    val collect = new org.apache.spark.api.java.function.VoidFunction2[org.apache.spark.sql.Dataset[OutRow], java.lang.Long] {
      override def call(ds: org.apache.spark.sql.Dataset[OutRow], batchId: java.lang.Long): Unit = ds.collect().foreach(out.add)
    }
    val checkpoint = java.nio.file.Files.createTempDirectory("tb-spark-test").toString
    val query = Pipelines.rating(Pipelines.parse(input.toDS().toDF(), "tb."), settings).writeStream
      .outputMode("update").option("checkpointLocation", checkpoint).foreachBatch(collect).start()
    try {
      input.addData(TimedKafkaRow("tb.cdr", 0, 7L, json.getBytes("UTF-8"), appendTs))
      query.processAllAvailable()
    } finally {
      query.stop()
      org.apache.commons.io.FileUtils.deleteQuietly(new java.io.File(checkpoint))
    }
    import scala.jdk.CollectionConverters._
    val ratedInQuery = out.asScala.toVector.filter(_.topic == "rated").map(r => Json.parse(r.value))
    assert(ratedInQuery.length == 1)
    val batchMs = ratedInQuery.head.get("batchMs").asLong()
    assert(batchMs >= before && batchMs <= ratedInQuery.head.get("pickupMs").asLong())

    val untimed = Pipelines.parse(rows.drop("timestamp"), "tb.").collect().head
    assert(untimed.appendMs == -1L && untimed.pickupMs == -1L)
    val plain = Json.parse(Output.rated(untimed, Rater.rate(settings.spec, untimed.usage)).value)
    assert(!plain.has("appendMs") && !plain.has("batchMs") && !plain.has("pickupMs"))
  }
}

/** A Kafka source's row with its timestamp column, for a MemoryStream. */
final case class TimedKafkaRow(topic: String, partition: Int, offset: Long, value: Array[Byte], timestamp: java.sql.Timestamp)
