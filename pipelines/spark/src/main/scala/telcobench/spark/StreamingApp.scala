package telcobench.spark

import java.util.concurrent.atomic.AtomicBoolean

import org.apache.spark.sql.{DataFrame, Dataset, SparkSession}
import org.apache.spark.sql.functions.{col, concat, lit}
import org.apache.spark.sql.streaming.{StreamingQuery, Trigger}

/**
 * The streaming system under test:
 *   java <opens> -cp target/telcobench-spark-0.1.0.jar:$(cat target/spark.classpath) telcobench.spark.StreamingApp --config job.json
 * Prints TELCOBENCH_READY on stdout once every query has started. SIGTERM/SIGINT stop all queries and exit 0.
 * Exit 1 when a query fails, 2 on a bad command line or config.
 */
object StreamingApp {
  def main(args: Array[String]): Unit = {
    val configPath = Args.required(args, "--config")
    val cfg =
      try JobConfig.load(configPath)
      catch {
        case e: Exception =>
          System.err.println(s"[telcobench] invalid job config $configPath: ${e.getMessage}")
          sys.exit(2)
      }
    if (cfg.trigger.kind == "real-time" && cfg.guarantee == "exactly-once") {
      System.err.println("[telcobench] trigger real-time cannot be exactly-once (RTM has no foreachBatch); use at-least-once")
      sys.exit(2)
    }
    if (cfg.trigger.kind == "real-time") {
      // RTM needs one long-running task per Kafka partition plus the micro-batch queries: more threads than cores.
      if (System.getProperty("spark.master") == null) System.setProperty("spark.master", "local[8]")
    }
    val spark = Pipelines.session(s"telcobench-${cfg.runId}", cfg.shufflePartitions, cfg.sparkConf)
    val exitCode = run(spark, cfg)
    try spark.stop() catch { case _: Exception => () }
    sys.exit(exitCode)
  }

  /** Runs until every query has terminated (available-now) or a stop signal arrives; returns the exit code. */
  def run(spark: SparkSession, cfg: JobConfig): Int = {
    val publisher = new ProgressPublisher(cfg)
    spark.streams.addListener(publisher)
    if (cfg.guarantee == "exactly-once") KafkaIo.ensureCompactedTopic(cfg, cfg.topic("eos-commits"))
    val stopRequested = new AtomicBoolean(false)
    installSignalHandlers(stopRequested)

    val queries = startQueries(spark, cfg)
    println("TELCOBENCH_READY")
    System.out.flush()
    System.err.println(s"[telcobench] started ${queries.map(_.name).mkString(", ")} trigger=${cfg.trigger.kind} " +
      s"guarantee=${cfg.guarantee}")

    while (!stopRequested.get() && queries.exists(_.isActive)) {
      if (queries.exists(q => !q.isActive && q.exception.isDefined)) stopRequested.set(true)
      else Thread.sleep(200)
    }
    val failed = queries.flatMap(q => q.exception.map(e => (q.name, e)))
    queries.foreach { q =>
      try q.stop() catch { case e: Exception => System.err.println(s"[telcobench] stopping ${q.name}: $e") }
    }
    try publisher.close() catch { case _: Exception => () }
    failed.foreach { case (name, e) => System.err.println(s"[telcobench] query $name failed: ${e.getMessage}") }
    if (failed.nonEmpty) 1 else 0
  }

  private def installSignalHandlers(stopRequested: AtomicBoolean): Unit = {
    val handler = new sun.misc.SignalHandler {
      override def handle(sig: sun.misc.Signal): Unit = {
        System.err.println(s"[telcobench] SIG${sig.getName}: stopping queries")
        stopRequested.set(true)
      }
    }
    sun.misc.Signal.handle(new sun.misc.Signal("TERM"), handler)
    sun.misc.Signal.handle(new sun.misc.Signal("INT"), handler)
  }

  def source(spark: SparkSession, cfg: JobConfig, suffixes: Seq[String], realTime: Boolean): DataFrame = {
    var reader = spark.readStream.format("kafka")
      .option("kafka.bootstrap.servers", cfg.bootstrap)
      .option("subscribe", suffixes.map(cfg.topic).mkString(","))
      .option("startingOffsets", "earliest")
    if (!realTime) reader = reader.option("maxOffsetsPerTrigger", cfg.maxOffsetsPerTrigger.toString)
    if (cfg.guarantee == "exactly-once") reader = reader.option("kafka.isolation.level", "read_committed")
    cfg.kafkaOptions.foreach { case (k, v) => reader = reader.option(s"kafka.$k", v) }
    reader.load()
  }

  private def trigger(cfg: JobConfig): Trigger = cfg.trigger.kind match {
    case "available-now" => Trigger.AvailableNow()
    case _ => Trigger.ProcessingTime(cfg.trigger.intervalMs)
  }

  def startQueries(spark: SparkSession, cfg: JobConfig): List[StreamingQuery] = {
    val s = cfg.settings
    val realTime = cfg.trigger.kind == "real-time"
    val started = List.newBuilder[StreamingQuery]
    if (cfg.queries.contains("rating")) {
      if (realTime) {
        val rt = Pipelines.ratingStateless(Pipelines.parse(source(spark, cfg, Seq("cdr"), realTime = true), cfg.topicPrefix), s)
        started += sink(rt, cfg, "rating-rt", Trigger.RealTime(cfg.trigger.checkpointIntervalMs))
        // Bills need state, which RTM in Spark 4.1 does not support: a micro-batch query keeps them.
        val bills = Pipelines.rating(Pipelines.parse(source(spark, cfg, Seq("cdr"), realTime = false), cfg.topicPrefix), s)
          .filter(r => r.topic == "bills")
        started += sink(bills, cfg, "billing", trigger(cfg))
      } else {
        val ds = Pipelines.rating(Pipelines.parse(source(spark, cfg, Seq("cdr"), realTime = false), cfg.topicPrefix), s)
        started += sink(ds, cfg, "rating", trigger(cfg))
      }
    }
    if (cfg.queries.contains("network")) {
      val ds = Pipelines.network(Pipelines.parse(source(spark, cfg, Seq("pm", "alarms"), realTime = false), cfg.topicPrefix), s)
      started += sink(ds, cfg, "network", trigger(cfg))
    }
    if (cfg.queries.contains("fraud")) {
      val ds = Pipelines.fraud(Pipelines.parse(source(spark, cfg, Seq("cdr"), realTime = false), cfg.topicPrefix), s)
      started += sink(ds, cfg, "fraud", trigger(cfg))
    }
    started.result()
  }

  def sink(ds: Dataset[OutRow], cfg: JobConfig, name: String, trig: Trigger): StreamingQuery = {
    val checkpoint = s"${cfg.checkpointDir.stripSuffix("/")}/$name"
    if (cfg.guarantee == "exactly-once") {
      ds.writeStream
        .queryName(name)
        .outputMode("update")
        .option("checkpointLocation", checkpoint)
        .trigger(trig)
        .foreachBatch(new ExactlyOnceWriter(cfg, name))
        .start()
    } else {
      var w = ds.select(concat(lit(cfg.topicPrefix), col("topic")).as("topic"), col("key"), col("value"))
        .writeStream
        .format("kafka")
        .queryName(name)
        .outputMode("update")
        .option("checkpointLocation", checkpoint)
        .option("kafka.bootstrap.servers", cfg.bootstrap)
        .option("kafka.linger.ms", cfg.kafkaOptions.getOrElse("linger.ms", "5"))
        .trigger(trig)
      cfg.kafkaOptions.foreach { case (k, v) => w = w.option(s"kafka.$k", v) }
      w.start()
    }
  }
}

/** Minimal `--flag value` command-line parsing. */
object Args {
  def get(args: Array[String], flag: String): Option[String] = {
    val i = args.indexOf(flag)
    if (i >= 0 && i + 1 < args.length) Some(args(i + 1)) else None
  }

  def required(args: Array[String], flag: String): String = get(args, flag).getOrElse {
    System.err.println(s"usage: --config <job.json> [--out <results.json>] (missing $flag)")
    sys.exit(2)
  }
}
