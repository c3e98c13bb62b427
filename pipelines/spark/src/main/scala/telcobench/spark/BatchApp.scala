package telcobench.spark

import java.io.{File, FileOutputStream}

import com.fasterxml.jackson.core.{JsonEncoding, JsonGenerator}
import org.apache.spark.sql.{Dataset, SparkSession}
import org.apache.spark.sql.functions.{col, count, lit, sum}

/**
 * The batch baseline:
 *   java <opens> -cp ... telcobench.spark.BatchApp --config job.json --out results.json
 * Reads cdr, pm and alarms earliest -> latest, de-duplicates usage by id, rates everything including late records,
 * sums bills and runs the same detectors as the streaming job, then writes one JSON file
 * (shape: docs/contracts.md "Batch baseline output").
 */
object BatchApp {
  final case class RatedCharge(id: String, subscriber: String, chargeSubunits: Long)

  def main(args: Array[String]): Unit = {
    val configPath = Args.required(args, "--config")
    val outPath = Args.required(args, "--out")
    val cfg =
      try JobConfig.load(configPath)
      catch {
        case e: Exception =>
          System.err.println(s"[telcobench] invalid job config $configPath: ${e.getMessage}")
          sys.exit(2)
      }
    val started = System.currentTimeMillis()
    val spark = Pipelines.session(s"telcobench-batch-${cfg.runId}", cfg.shufflePartitions, cfg.sparkConf)
    val code =
      try {
        val events = read(spark, cfg)
        writeResults(spark, events, cfg, outPath, started)
        0
      } catch {
        case e: Exception =>
          System.err.println(s"[telcobench] batch baseline failed: $e")
          e.printStackTrace()
          1
      }
    try spark.stop() catch { case _: Exception => () }
    sys.exit(code)
  }

  def read(spark: SparkSession, cfg: JobConfig): Dataset[Event] = {
    var reader = spark.read.format("kafka")
      .option("kafka.bootstrap.servers", cfg.bootstrap)
      .option("subscribe", Seq("cdr", "pm", "alarms").map(cfg.topic).mkString(","))
      .option("startingOffsets", "earliest")
      .option("endingOffsets", "latest")
      .option("kafka.isolation.level", "read_committed")
    cfg.kafkaOptions.foreach { case (k, v) => reader = reader.option(s"kafka.$k", v) }
    Pipelines.parse(reader.load(), cfg.topicPrefix, batchTime = false)
  }

  /** Exact duplicates (same id) removed, keeping the first copy in (partition, offset) order. */
  def dedupedUsage(events: Dataset[Event]): Dataset[Event] = {
    val spark = events.sparkSession
    import spark.implicits._
    events.filter(e => e.isUsage).groupByKey(e => e.id)
      .reduceGroups((a, b) => if (a.partition < b.partition || (a.partition == b.partition && a.offset <= b.offset)) a else b)
      .map(_._2)
  }

  def rated(usage: Dataset[Event], settings: Settings): Dataset[RatedCharge] = {
    val spark = usage.sparkSession
    import spark.implicits._
    usage.map(e => RatedCharge(e.id, e.subscriber, Rater.rate(settings.spec, e.usage).chargeSubunits))
  }

  /** The same detectors as the streaming job, each key's records in one pass, in arrival order. */
  def alerts(events: Dataset[Event], usage: Dataset[Event], settings: Settings): Dataset[String] = {
    val spark = events.sparkSession
    import spark.implicits._
    val fraud = usage.flatMap(e => Fraud.route(e, settings.spec, settings.fraud)).groupByKey(i => i.key)
      .flatMapGroups { (key, rows) =>
        Fraud.step(key, FraudKeyState.empty, rows.toVector, settings.spec, settings.fraud)._2.map(a => Output.alert(a).value)
      }
    val network = events.filter(e => e.ok && (e.typ == "pm" || e.typ == "alarm")).groupByKey(e => e.cell)
      .flatMapGroups { (cell, rows) =>
        Network.step(cell, CellState.empty, rows.toVector, settings.network)._2.map(a => Output.alert(a).value)
      }
    fraud.union(network)
  }

  def writeResults(spark: SparkSession, events: Dataset[Event], cfg: JobConfig, outPath: String, started: Long): Unit = {
    import spark.implicits._
    events.cache()
    val usage = dedupedUsage(events).cache()
    val charges = rated(usage, cfg.settings).cache()
    val inputCounts = events.groupBy(col("topic")).count().as[(String, Long)].collect().toMap
    val dlq = events.filter(e => !e.ok).groupBy(col("reason")).count().as[(String, Long)].collect().sortBy(_._1)
    val bills = charges.groupBy(col("subscriber"))
      .agg(count(lit(1)).as("records"), sum(col("chargeSubunits")).as("chargeSubunits"))
      .as[(String, Long, Long)].collect().sortBy(_._1)
    val alertJson = alerts(events, usage, cfg.settings).collect().sorted
    val ratedRows = charges.map(r => (r.id, r.chargeSubunits)).collect().sortBy(_._1)
    val acceptedUsage = events.filter(e => e.isUsage).count()
    val finishedAfterMs = System.currentTimeMillis() - started

    val file = new File(outPath)
    Option(file.getAbsoluteFile.getParentFile).foreach(_.mkdirs())
    val gen = Json.mapper.getFactory.createGenerator(new FileOutputStream(file), JsonEncoding.UTF8)
    try {
      gen.writeStartObject()
      gen.writeNumberField("finishedAfterMs", finishedAfterMs)
      gen.writeObjectFieldStart("counts")
      Seq("cdr", "pm", "alarms").foreach(t => gen.writeNumberField(t, inputCounts.getOrElse(t, 0L)))
      gen.writeNumberField("accepted", events.filter(e => e.ok).count())
      gen.writeNumberField("duplicates", acceptedUsage - ratedRows.length)
      gen.writeNumberField("rated", ratedRows.length.toLong)
      gen.writeNumberField("dlq", dlq.map(_._2).sum)
      gen.writeNumberField("bills", bills.length.toLong)
      gen.writeNumberField("alerts", alertJson.length.toLong)
      gen.writeEndObject()
      gen.writeArrayFieldStart("bills")
      bills.foreach { case (sub, records, charge) =>
        gen.writeStartObject()
        gen.writeStringField("subscriber", sub)
        gen.writeNumberField("records", records)
        gen.writeNumberField("chargeSubunits", charge)
        gen.writeEndObject()
      }
      gen.writeEndArray()
      gen.writeArrayFieldStart("rated")
      ratedRows.foreach { case (id, charge) =>
        gen.writeStartObject()
        gen.writeStringField("id", id)
        gen.writeNumberField("chargeSubunits", charge)
        gen.writeEndObject()
      }
      gen.writeEndArray()
      gen.writeArrayFieldStart("alerts")
      alertJson.foreach(a => gen.writeTree(Json.parse(a)))
      gen.writeEndArray()
      gen.writeObjectFieldStart("dlq")
      dlq.foreach { case (reason, n) => gen.writeNumberField(reason, n) }
      gen.writeEndObject()
      gen.writeEndObject()
    } finally gen.close()
    System.err.println(s"[telcobench] batch baseline: ${ratedRows.length} rated, ${bills.length} bills, " +
      s"${alertJson.length} alerts in ${finishedAfterMs} ms -> $outPath")
  }
}
