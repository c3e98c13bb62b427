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
  /** The Kafka sources' fetch.max.wait.ms unless the job config's kafkaOptions sets one. */
  val SourceFetchMaxWaitMs = "20"

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
    if (cfg.trigger.kind == "real-time" && cfg.store.isDefined) {
      System.err.println("[telcobench] trigger real-time cannot write a serving store (RTM has no foreachBatch); use processing-time")
      sys.exit(2)
    }
    if (cfg.trigger.kind == "real-time") {
      // RTM needs one long-running task per Kafka partition plus the micro-batch queries: more threads than cores.
      if (System.getProperty("spark.master") == null) System.setProperty("spark.master", "local[8]")
    }
    val spark = Pipelines.session(s"telcobench-${cfg.runId}", cfg.shufflePartitions, cfg.sparkConf)
    val exitCode =
      try run(spark, cfg)
      catch {
        case e: IllegalArgumentException if cfg.networkModel.isDefined || cfg.fraudModel.isDefined =>
          System.err.println(s"[telcobench] invalid model folder ${cfg.networkModel.orElse(cfg.fraudModel).get}: ${e.getMessage}")
          2
      }
    try spark.stop() catch { case _: Exception => () }
    sys.exit(exitCode)
  }

  /** Runs until every query has terminated (available-now) or a stop signal arrives; returns the exit code. */
  def run(spark: SparkSession, cfg: JobConfig): Int = {
    if (cfg.guarantee == "exactly-once") KafkaIo.ensureCompactedTopic(cfg, cfg.topic("eos-commits"))
    val stopRequested = new AtomicBoolean(false)
    installSignalHandlers(stopRequested)

    warmUpIfFirstStart(spark, cfg, () => stopRequested.get())
    if (stopRequested.get()) return 0
    cfg.store.foreach { store =>
      try CassandraStore.of(store).connect()
      catch {
        case e: Exception =>
          System.err.println(s"[telcobench] store: could not connect before the queries start (${e.getMessage}); the first batch retries")
      }
    }
    // Added after the warm-up, so the progress topic carries the measured queries only.
    val publisher = new ProgressPublisher(cfg)
    spark.streams.addListener(publisher)
    val builders = queryBuilders(spark, cfg)
    val queries = scala.collection.mutable.LinkedHashMap[String, StreamingQuery]()
    builders.foreach { case (name, build) => queries(name) = build() }
    println("TELCOBENCH_READY")
    System.out.flush()
    System.err.println(s"[telcobench] started ${queries.keys.mkString(", ")} trigger=${cfg.trigger.kind} " +
      s"guarantee=${cfg.guarantee}")

    val restarts = scala.collection.mutable.Map[String, Int]().withDefaultValue(0)
    var failedQueries = List.empty[(String, Throwable)]
    while (!stopRequested.get() && queries.values.exists(_.isActive)) {
      queries.toList.foreach { case (name, q) =>
        if (!q.isActive && q.exception.isDefined && !stopRequested.get()) {
          val e = q.exception.get
          if (SparkWorkarounds.isKafkaMetricsNpe(e) && restarts(name) < 3) {
            // SPARK-55271: the replayed batch was committed, only progress reporting failed; a restart resumes.
            restarts(name) += 1
            System.err.println(s"[telcobench] $name hit SPARK-55271 (Kafka source metrics NPE after a replayed batch); " +
              s"restarting it from its checkpoint (${restarts(name)}/3)")
            queries(name) = builders(name)()
          } else {
            failedQueries = (name, e) :: failedQueries
            stopRequested.set(true)
          }
        }
      }
      if (!stopRequested.get()) Thread.sleep(200)
    }
    queries.values.foreach { q =>
      try q.stop() catch { case e: Exception => System.err.println(s"[telcobench] stopping ${q.name}: $e") }
    }
    try publisher.close() catch { case _: Exception => () }
    CassandraStore.closeShared()
    val failed = failedQueries.reverse
    failed.foreach { case (name, e) => System.err.println(s"[telcobench] query $name failed: ${e.getMessage}") }
    if (failed.nonEmpty) 1 else 0
  }

  /**
   * Warms the JVM up with synthetic micro-batches (WarmUp) on the first start only: a driver restarted after a crash
   * resumes from its checkpoints cold, as it would in production, so recovery figures include that cost.
   */
  private def warmUpIfFirstStart(spark: SparkSession, cfg: JobConfig, stopRequested: () => Boolean): Unit = {
    val root = new org.apache.hadoop.fs.Path(cfg.checkpointDir)
    val fs = root.getFileSystem(spark.sparkContext.hadoopConfiguration)
    val firstStart = !fs.exists(root) || fs.listStatus(root).forall(q => !fs.exists(new org.apache.hadoop.fs.Path(q.getPath, "offsets")))
    if (cfg.warmUpBatches > 0 && firstStart && cfg.trigger.kind != "available-now") {
      val scratch = WarmUp.scratchDir()
      try {
        val ms = WarmUp.run(spark, cfg, cfg.warmUpBatches, recordsPerBatch = 400, scratch, stopRequested)
        System.err.println(s"[telcobench] warm-up: ${cfg.warmUpBatches} synthetic micro-batches per query in $ms ms")
      } finally WarmUp.removeScratch(scratch)
    }
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
    // A fetch that finds no new records is held by the broker for up to fetch.max.wait.ms (Kafka's default 500 ms).
    // On an input whose records come in bursts (PM counters) that showed in every micro-batch of the network query
    // (docs/spark-pipelines.md "Kafka client settings"); pipeline.kafkaOptions can set it.
    if (!cfg.kafkaOptions.contains("fetch.max.wait.ms")) reader = reader.option("kafka.fetch.max.wait.ms", StreamingApp.SourceFetchMaxWaitMs)
    if (cfg.guarantee == "exactly-once") reader = reader.option("kafka.isolation.level", "read_committed")
    cfg.kafkaOptions.foreach { case (k, v) => reader = reader.option(s"kafka.$k", v) }
    reader.load()
  }

  private def trigger(cfg: JobConfig): Trigger = cfg.trigger.kind match {
    case "available-now" => Trigger.AvailableNow()
    case _ => Trigger.ProcessingTime(cfg.trigger.intervalMs)
  }

  /**
   * One logical query's part (Pipelines.QueryPart). The models are loaded once on the driver; they travel to the
   * tasks inside the query's closure.
   */
  private def partOf(spark: SparkSession, cfg: JobConfig, query: String): Pipelines.QueryPart =
    Pipelines.partOf(query, cfg.settings,
      networkScorer = if (query == "network") cfg.networkModel.map(folder => NetworkModel.load(spark, folder)) else None,
      fraudScorer = if (query == "fraud") cfg.fraudModel.map(folder => FraudModel.load(spark, folder)) else None,
      kpis = cfg.store.isDefined)

  /**
   * One builder per Spark query (name -> start it), so a query can be restarted from its checkpoint. The logical
   * queries map onto Spark queries by `queryLayout` (QueryLayout); real-time mode keeps one query each.
   */
  def queryBuilders(spark: SparkSession, cfg: JobConfig): scala.collection.immutable.ListMap[String, () => StreamingQuery] = {
    val s = cfg.settings
    def events(suffixes: Seq[String], rt: Boolean): Dataset[Event] =
      Pipelines.parse(source(spark, cfg, suffixes, rt), cfg.topicPrefix, batchTime = !rt)
    val out = List.newBuilder[(String, () => StreamingQuery)]
    if (cfg.trigger.kind == "real-time") {
      if (cfg.queries.contains("rating")) {
        out += "rating-rt" -> (() => sink(Pipelines.ratingStateless(events(Seq("cdr"), rt = true), s), cfg, "rating-rt",
          Trigger.RealTime(cfg.trigger.checkpointIntervalMs)))
        // Bills need state, which RTM in Spark 4.1 does not support: a micro-batch query keeps them.
        out += "billing" -> (() => sink(Pipelines.rating(events(Seq("cdr"), rt = false), s).filter(r => StreamingApp.isBillOrLate(r)),
          cfg, "billing", trigger(cfg)))
      }
      cfg.queries.filter(_ != "rating").foreach { q =>
        val part = partOf(spark, cfg, q)
        out += q -> (() => sink(Pipelines.stateful(events(part.topics.toSeq.sorted, rt = false), Seq(part)), cfg, q, trigger(cfg)))
      }
    } else {
      QueryLayout.groups(cfg.queryLayout, cfg.queries).foreach { group =>
        val parts = group.map(q => partOf(spark, cfg, q))
        val topics = parts.flatMap(_.topics).distinct.sorted
        val name = QueryLayout.nameOf(group)
        out += name -> (() => sink(Pipelines.stateful(events(topics, rt = false), parts), cfg, name, trigger(cfg)))
      }
    }
    scala.collection.immutable.ListMap(out.result(): _*)
  }

  /** What the real-time mode's `billing` query writes: bills and `late` reports (rating-rt writes rated and dlq). */
  def isBillOrLate(r: OutRow): Boolean =
    r.topic == "bills" || (r.topic == "dlq" && r.value.startsWith("{\"reason\":\"late\""))

  def sink(ds: Dataset[OutRow], cfg: JobConfig, name: String, trig: Trigger): StreamingQuery = {
    val checkpoint = s"${cfg.checkpointDir.stripSuffix("/")}/$name"
    if (cfg.guarantee == "exactly-once") {
      ds.writeStream
        .queryName(name)
        .outputMode("update")
        .option("checkpointLocation", checkpoint)
        .trigger(trig)
        .foreachBatch(new ExactlyOnceWriter(cfg, name, checkpoint))
        .start()
    } else if (cfg.store.isDefined) {
      ds.writeStream
        .queryName(name)
        .outputMode("update")
        .option("checkpointLocation", checkpoint)
        .trigger(trig)
        .foreachBatch(new StoreSink(cfg, name))
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

/** Known Spark 4.1.1 problems the app works around. */
object SparkWorkarounds {
  /**
   * SPARK-55271 / apache/spark#55236: after a restart that replays an uncommitted batch, progress reporting in
   * KafkaMicroBatchStream.metrics throws a NullPointerException although the batch itself has been committed.
   */
  def isKafkaMetricsNpe(e: Throwable): Boolean = {
    var c: Throwable = e
    var found = false
    while (c != null && !found) {
      found = c.isInstanceOf[NullPointerException] && c.getStackTrace.exists(_.getClassName.contains("KafkaMicroBatchStream"))
      c = if (c.getCause eq c) null else c.getCause
    }
    found
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
