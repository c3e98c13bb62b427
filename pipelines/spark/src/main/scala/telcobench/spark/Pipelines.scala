package telcobench.spark

import java.sql.Timestamp

import scala.reflect.ClassTag

import org.apache.spark.sql.{DataFrame, Dataset, Encoder, Encoders, SparkSession}
import org.apache.spark.sql.functions.col
import org.apache.spark.sql.streaming.{GroupState, GroupStateTimeout, OutputMode}

/**
 * The Spark side of the logic: Kafka rows -> Events -> stateful per-key steps -> OutRows (topic suffix, key, value).
 * The per-key steps are the pure functions in Billing, Network and Fraud.
 */
object Pipelines {
  /** Group key for rejected records: they bypass state and are written to dlq as they come. */
  val DlqKeyPrefix: String = "\u0000dlq-"

  /**
   * The state of every stateful query is kept Kryo-encoded, as one binary column (KryoCodec), not as Spark's nested
   * columns: Spark 4.1 generates the source code of a state (de)serializer again in every task
   * (FlatMapGroupsWithStateExec), and for these nested case classes that took a large share of the executor's CPU in
   * every micro-batch (docs/spark-pipelines.md "Code generation in every task").
   */
  private def stateOf[S: ClassTag](state: GroupState[Array[Byte]]): Option[S] = state.getOption.map(KryoCodec.decode[S])

  private def keep[S: ClassTag](state: GroupState[Array[Byte]], value: S): Unit = state.update(KryoCodec.encode(value))

  def suffixOf(topic: String, prefix: String): String =
    if (topic.startsWith(prefix)) topic.substring(prefix.length) else topic

  /**
   * Kafka rows -> Events. Rows from the Kafka source carry their Kafka timestamp; each Event gets it and the wall
   * time its task parsed it. With `batchTime` its `batchMs` is Event.BatchTimePending, for the rating query's stateful
   * step to fill in with the micro-batch's time (real-time mode and the batch baseline have none: -1). A MemoryStream
   * of KafkaIn (the warm-up) has no timestamp.
   */
  def parse(kafkaRows: DataFrame, topicPrefix: String, batchTime: Boolean = true): Dataset[Event] = {
    val spark = kafkaRows.sparkSession
    import spark.implicits._
    if (!kafkaRows.columns.contains("timestamp")) {
      kafkaRows.select(col("topic"), col("partition"), col("offset"), col("value")).as[KafkaIn]
        .map(k => Parser.parse(suffixOf(k.topic, topicPrefix), k.partition, k.offset, k.value))
    } else {
      val batchMs = if (batchTime) Event.BatchTimePending else -1L
      kafkaRows.select(col("topic"), col("partition"), col("offset"), col("value"), col("timestamp").as("appendTs")).as[TimedKafkaIn]
        .map(k => Parser.parse(suffixOf(k.topic, topicPrefix), k.partition, k.offset, k.value).timed(k.appendTs.getTime, batchMs, System.currentTimeMillis()))
    }
  }

  /**
   * Records beside their group key and event time, the record itself Kryo-encoded (KryoCodec) in one binary column.
   * Grouped with `groupBy(key column).as`, Spark's operators then (de)serialize one small tuple per record instead of
   * an Event's 40 columns, whose serializer and deserializer Spark generates again in every task
   * (docs/spark-pipelines.md "Code generation in every task"); and no AppendColumns step computes the key.
   */
  type Keyed = (String, Timestamp, Array[Byte])

  /** One key's step: its records of this micro-batch and its state in, output rows out. */
  type KeyStep = (String, Iterator[Keyed], GroupState[Array[Byte]]) => Iterator[OutRow]

  /**
   * One logical query's share of a Spark query: the topics it reads, the keyed rows it makes of one record (given the
   * tag to put before each key), whether it needs an event-time watermark on those rows, and its per-key step.
   * Several parts can share one Spark query and one stateful operator (`stateful`, docs/spark-pipelines.md
   * "Query layout").
   */
  final case class QueryPart(name: String, topics: Set[String], watermarkMs: Option[Long],
                             keys: (Event, String) => Iterator[Keyed], step: KeyStep)

  private val keyedEncoder: Encoder[Keyed] = Encoders.tuple(Encoders.STRING, Encoders.TIMESTAMP, Encoders.BINARY)

  /**
   * The time column of a part without a watermark: its rows share the column with a part that has one (rating), and
   * a row at the epoch never raises the maximum event time the watermark is computed from. Without an event-time
   * timeout Spark does not drop rows behind the watermark, so these rows are not affected by it.
   */
  private val NoEventTime = new Timestamp(0L)

  private def recordsOf[V: ClassTag](rows: Iterator[Keyed]): Vector[V] = rows.map(r => KryoCodec.decode[V](r._3)).toVector

  private def fraudKeyText(key: FraudKey): String = s"${key.kind}:${key.entity}"

  private def dlqKey(e: Event): String = DlqKeyPrefix + e.topic + "-" + e.partition

  /** The tag before every key of the part at `index` of a Spark query: its keys never meet another part's. */
  private def tagOf(index: Int): String = s"$index|"

  /**
   * The Spark query over `events` that runs `parts` in one stateful operator: one flatMap turns each record into the
   * keyed rows of every part that reads its topic (each part's keys behind its own tag), the rows of all parts are
   * shuffled and sorted together, and each key's rows go to its part's step with its part's state. Only the part
   * with a watermark (rating) puts event times in the time column, so the watermark comes from usage records alone,
   * as in a query of its own. One Kafka scan and one parse serve every part.
   */
  def stateful(events: Dataset[Event], parts: Seq[QueryPart]): Dataset[OutRow] = {
    require(parts.nonEmpty, "a Spark query needs at least one part")
    val watermarks = parts.flatMap(_.watermarkMs).distinct
    require(watermarks.size <= 1, s"parts ${parts.map(_.name).mkString(", ")} ask for different watermarks")
    val spark = events.sparkSession
    import spark.implicits._
    val keyers = parts.zipWithIndex.map { case (part, index) => (part.topics, tagOf(index), part.keys) }
    val keyed = events.flatMap { e =>
      keyers.iterator.filter { case (topics, _, _) => topics.contains(e.topic) }.flatMap { case (_, tag, keys) => keys(e, tag) }
    }(keyedEncoder)
    val timed = watermarks.headOption.fold(keyed)(ms => keyed.withWatermark("_2", s"$ms milliseconds"))
    val steps: Map[String, KeyStep] = parts.zipWithIndex.map { case (part, index) => tagOf(index) -> part.step }.toMap
    val func = (taggedKey: String, rows: Iterator[Keyed], state: GroupState[Array[Byte]]) => {
      val bar = taggedKey.indexOf('|')
      steps(taggedKey.substring(0, bar + 1))(taggedKey.substring(bar + 1), rows, state)
    }
    timed.groupBy(col("_1")).as[String, Keyed](Encoders.STRING, keyedEncoder)
      .flatMapGroupsWithState(OutputMode.Update(), GroupStateTimeout.NoTimeout())(func)(Encoders.BINARY, newProductEncoder[OutRow])
  }

  /** cdr -> rated + bills + dlq (including `late`). Stateful: BillState per subscriber. */
  def ratingPart(settings: Settings): QueryPart = {
    val step: KeyStep = (key, rows, state) =>
      if (key.startsWith(DlqKeyPrefix)) recordsOf[Event](rows).iterator.map(e => Output.dlq(e))
      else {
        val batchMs = state.getCurrentProcessingTimeMs()
        val batch = recordsOf[Event](rows).map(e => if (e.batchMs == Event.BatchTimePending) e.copy(batchMs = batchMs) else e)
        val previous = stateOf[BillState](state).getOrElse(BillState.empty)
        val (next, out) = Billing.step(key, previous, batch, state.getCurrentWatermarkMs(), settings)
        keep(state, next)
        out.iterator
      }
    QueryPart("rating", QueryLayout.topicsOf("rating"), Some(settings.dedupWatermarkMs),
      (e, tag) => Iterator((tag + (if (e.ok) e.subscriber else dlqKey(e)), e.eventTs, KryoCodec.encode(e))), step)
  }

  def rating(events: Dataset[Event], settings: Settings): Dataset[OutRow] = stateful(events, Seq(ratingPart(settings)))

  /** cdr -> rated + dlq, stateless (no de-duplication, no bills, no late check): the real-time-mode path. */
  def ratingStateless(events: Dataset[Event], settings: Settings): Dataset[OutRow] = {
    val spark = events.sparkSession
    import spark.implicits._
    events.map { e =>
      if (e.ok) Output.rated(e, Rater.rate(settings.spec, e.usage)) else Output.dlq(e)
    }
  }

  /**
   * pm + alarms -> alerts (network kinds) + dlq. Stateful: CellState per cell. With `kpis` (a serving store is on)
   * each valid PM record also yields a `kpi` row for the store's cell_kpis table. With a learned model (docs/ml.md)
   * one state per cell holds both detectors' state, and the model's alerts (detector `ml:<model>`) go to the same
   * topic as the rules'.
   */
  def networkPart(settings: Settings, scorer: Option[NetworkScorer], kpis: Boolean): QueryPart = {
    def kpiRows(batch: Vector[Event]): Iterator[OutRow] =
      if (kpis) batch.iterator.filter(e => e.ok && e.typ == "pm").map(Output.kpi) else Iterator.empty
    val step: KeyStep = scorer match {
      case None => (key, rows, state) =>
        if (key.startsWith(DlqKeyPrefix)) recordsOf[Event](rows).iterator.map(e => Output.dlq(e))
        else {
          val previous = stateOf[CellState](state).getOrElse(CellState.empty)
          val batch = recordsOf[Event](rows)
          val (next, alerts) = Network.step(key, previous, batch, settings.network)
          keep(state, next)
          alerts.iterator.map(Output.alert) ++ kpiRows(batch)
        }
      case Some(model) => (key, rows, state) =>
        if (key.startsWith(DlqKeyPrefix)) recordsOf[Event](rows).iterator.map(e => Output.dlq(e))
        else {
          val previous = stateOf[NetworkKeyState](state).getOrElse(NetworkKeyState(CellState.empty, MlCellState.empty))
          val batch = recordsOf[Event](rows)
          val (rule, ruleAlerts) = Network.step(key, previous.rule, batch, settings.network)
          val (ml, mlAlerts) = MlNetwork.step(key, previous.ml, batch, model)
          keep(state, NetworkKeyState(rule, ml))
          (ruleAlerts ++ mlAlerts).iterator.map(Output.alert) ++ kpiRows(batch)
        }
    }
    QueryPart("network", QueryLayout.topicsOf("network"), None,
      (e, tag) => Iterator((tag + (if (e.ok) e.cell else dlqKey(e)), NoEventTime, KryoCodec.encode(e))), step)
  }

  /**
   * cdr -> alerts (fraud kinds). Rejected records are left to the rating query's dlq. Each usage record is routed to
   * its subscriber, line, device and (international) called-number keys (Fraud.route); the stateful operator keeps a
   * FraudKeyState per key, which holds the state of the key kind's own detector. Only the small UsageFact is
   * shuffled, not the raw record. With a learned model (docs/ml.md "Fraud model") the state of a subscriber key also
   * holds the model's, which scores the key's records in the same call; its alerts (detector `ml:<model>`) go to the
   * same topic as the rules'.
   */
  def fraudPart(settings: Settings, scorer: Option[FraudScorer]): QueryPart = {
    val step: KeyStep = scorer match {
      case None => (_, rows, state) =>
        val batch = recordsOf[FraudInput](rows)
        val key = batch.head.key // without a timeout Spark calls this only for keys with records
        val previous = stateOf[FraudKeyState](state).getOrElse(FraudKeyState.empty)
        val (next, alerts) = Fraud.step(key, previous, batch, settings.spec, settings.fraud)
        keep(state, next)
        alerts.iterator.map(Output.alert)
      case Some(model) => (_, rows, state) =>
        val batch = recordsOf[FraudInput](rows)
        val key = batch.head.key
        val previous = stateOf[FraudModelKeyState](state).getOrElse(FraudModelKeyState(FraudKeyState.empty, None))
        val (rule, ruleAlerts) = Fraud.step(key, previous.rule, batch, settings.spec, settings.fraud)
        val (ml, mlAlerts): (Option[MlSubscriberState], Vector[Alert]) =
          if (key.kind != FraudKeyKind.Subscriber) (None, Vector.empty)
          else {
            // A subscriber's records come from one Kafka partition, in the order they were sent.
            val facts = batch.sortBy(i => (i.partition, i.offset)).map(_.fact)
            val (next, alerts) = MlFraud.step(key.entity, previous.ml.getOrElse(MlSubscriberState.empty), facts, model)
            (Some(next), alerts)
          }
        keep(state, FraudModelKeyState(rule, ml))
        (ruleAlerts ++ mlAlerts).iterator.map(Output.alert)
    }
    val keys = (e: Event, tag: String) =>
      if (!e.isUsage) Iterator.empty
      else Fraud.route(e, settings.spec, settings.fraud).iterator.map(i => (tag + fraudKeyText(i.key), NoEventTime, KryoCodec.encode(i)))
    QueryPart("fraud", QueryLayout.topicsOf("fraud"), None, keys, step)
  }

  def fraud(events: Dataset[Event], settings: Settings): Dataset[OutRow] = stateful(events, Seq(fraudPart(settings, None)))

  /** The part of a logical query (`rating`, `network`, `fraud`), with the learned models it scores, if any. */
  def partOf(query: String, settings: Settings, networkScorer: Option[NetworkScorer] = None,
             fraudScorer: Option[FraudScorer] = None, kpis: Boolean = false): QueryPart = query match {
    case "rating" => ratingPart(settings)
    case "network" => networkPart(settings, networkScorer, kpis)
    case "fraud" => fraudPart(settings, fraudScorer)
  }

  /**
   * Local-mode defaults for a 2-core machine; `extra` (job config `sparkConf`) and spark-submit --conf win.
   * The state store stays Spark's default (HDFS-backed, in memory); set
   * spark.sql.streaming.stateStore.providerClass to RocksDBStateStoreProvider for large states.
   */
  def session(appName: String, shufflePartitions: Int, extra: Map[String, String] = Map.empty): SparkSession = {
    val conf = new org.apache.spark.SparkConf()
      .setAppName(appName)
      .setIfMissing("spark.master", "local[4]")
      .setIfMissing("spark.ui.enabled", "false")
      .setIfMissing("spark.sql.shuffle.partitions", shufflePartitions.toString)
      .setIfMissing("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
      .setIfMissing("spark.sql.adaptive.enabled", "false")
      .setIfMissing("spark.sql.streaming.metricsEnabled", "true")
      .setIfMissing(LocalCheckpointFileManager.ConfKey, classOf[LocalCheckpointFileManager].getName)
    extra.foreach { case (k, v) => conf.set(k, v) }
    if (conf.get("spark.master").startsWith("local")) {
      conf.setIfMissing("spark.driver.host", "127.0.0.1").setIfMissing("spark.driver.bindAddress", "127.0.0.1")
    }
    SparkSession.builder().config(conf).getOrCreate()
  }
}
