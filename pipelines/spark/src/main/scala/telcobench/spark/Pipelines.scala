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

  private val keyedEncoder: Encoder[Keyed] = Encoders.tuple(Encoders.STRING, Encoders.TIMESTAMP, Encoders.BINARY)

  private def groupedBy[V: ClassTag](records: Dataset[V], keyOf: V => String, timeOf: V => Timestamp, watermarkMs: Option[Long]) = {
    val keyed = records.map(r => (keyOf(r), timeOf(r), KryoCodec.encode(r)))(keyedEncoder)
    val watermarked = watermarkMs.fold(keyed)(ms => keyed.withWatermark("_2", s"$ms milliseconds"))
    watermarked.groupBy(col("_1")).as[String, Keyed](Encoders.STRING, keyedEncoder)
  }

  private def recordsOf[V: ClassTag](rows: Iterator[Keyed]): Vector[V] = rows.map(r => KryoCodec.decode[V](r._3)).toVector

  private def fraudKeyText(key: FraudKey): String = s"${key.kind}:${key.entity}"

  private def dlqKey(e: Event): String = DlqKeyPrefix + e.topic + "-" + e.partition

  /** cdr -> rated + bills + dlq (including `late`). Stateful: BillState per subscriber. */
  def rating(events: Dataset[Event], settings: Settings): Dataset[OutRow] = {
    val spark = events.sparkSession
    import spark.implicits._
    val func = (key: String, rows: Iterator[Keyed], state: GroupState[Array[Byte]]) => {
      if (key.startsWith(DlqKeyPrefix)) recordsOf[Event](rows).iterator.map(e => Output.dlq(e))
      else {
        val batchMs = state.getCurrentProcessingTimeMs()
        val batch = recordsOf[Event](rows).map(e => if (e.batchMs == Event.BatchTimePending) e.copy(batchMs = batchMs) else e)
        val previous = stateOf[BillState](state).getOrElse(BillState.empty)
        val (next, out) = Billing.step(key, previous, batch, state.getCurrentWatermarkMs(), settings)
        keep(state, next)
        out.iterator
      }
    }
    groupedBy[Event](events, e => if (e.ok) e.subscriber else dlqKey(e), _.eventTs, Some(settings.dedupWatermarkMs))
      .flatMapGroupsWithState(OutputMode.Update(), GroupStateTimeout.NoTimeout())(func)(Encoders.BINARY, newProductEncoder[OutRow])
  }

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
   * each valid PM record also yields a `kpi` row for the store's cell_kpis table.
   */
  def network(events: Dataset[Event], settings: Settings, kpis: Boolean = false): Dataset[OutRow] = {
    val spark = events.sparkSession
    import spark.implicits._
    val func = (key: String, rows: Iterator[Keyed], state: GroupState[Array[Byte]]) => {
      if (key.startsWith(DlqKeyPrefix)) recordsOf[Event](rows).iterator.map(e => Output.dlq(e))
      else {
        val previous = stateOf[CellState](state).getOrElse(CellState.empty)
        val batch = recordsOf[Event](rows)
        val (next, alerts) = Network.step(key, previous, batch, settings.network)
        keep(state, next)
        val kpiRows = if (kpis) batch.filter(e => e.ok && e.typ == "pm").map(Output.kpi) else Vector.empty
        alerts.iterator.map(Output.alert) ++ kpiRows.iterator
      }
    }
    groupedBy[Event](events, e => if (e.ok) e.cell else dlqKey(e), _.eventTs, None)
      .flatMapGroupsWithState(OutputMode.Update(), GroupStateTimeout.NoTimeout())(func)(Encoders.BINARY, newProductEncoder[OutRow])
  }

  /**
   * The network query with a learned model beside the rules (docs/ml.md): the same records, one state per cell
   * holding both detectors' state, the rules' alerts and the model's (detector `ml:<model>`) on the same topic.
   */
  def networkWithModel(events: Dataset[Event], settings: Settings, scorer: NetworkScorer, kpis: Boolean = false): Dataset[OutRow] = {
    val spark = events.sparkSession
    import spark.implicits._
    val func = (key: String, rows: Iterator[Keyed], state: GroupState[Array[Byte]]) => {
      if (key.startsWith(DlqKeyPrefix)) recordsOf[Event](rows).iterator.map(e => Output.dlq(e))
      else {
        val previous = stateOf[NetworkKeyState](state).getOrElse(NetworkKeyState(CellState.empty, MlCellState.empty))
        val batch = recordsOf[Event](rows)
        val (rule, ruleAlerts) = Network.step(key, previous.rule, batch, settings.network)
        val (ml, mlAlerts) = MlNetwork.step(key, previous.ml, batch, scorer)
        keep(state, NetworkKeyState(rule, ml))
        val kpiRows = if (kpis) batch.filter(e => e.ok && e.typ == "pm").map(Output.kpi) else Vector.empty
        (ruleAlerts ++ mlAlerts).iterator.map(Output.alert) ++ kpiRows.iterator
      }
    }
    groupedBy[Event](events, e => if (e.ok) e.cell else dlqKey(e), _.eventTs, None)
      .flatMapGroupsWithState(OutputMode.Update(), GroupStateTimeout.NoTimeout())(func)(Encoders.BINARY, newProductEncoder[OutRow])
  }

  /**
   * cdr -> alerts (fraud kinds). Rejected records are left to the rating query's dlq. Each usage record is routed to
   * its subscriber, line, device and (international) called-number keys (Fraud.route); one stateful operator keeps a
   * FraudKeyState per key, which holds the state of the key kind's own detector. Only the small UsageFact is
   * shuffled, not the raw record.
   */
  def fraud(events: Dataset[Event], settings: Settings): Dataset[OutRow] = {
    val spark = events.sparkSession
    import spark.implicits._
    val func = (_: String, rows: Iterator[Keyed], state: GroupState[Array[Byte]]) => {
      val batch = recordsOf[FraudInput](rows)
      val key = batch.head.key // without a timeout Spark calls this only for keys with records
      val previous = stateOf[FraudKeyState](state).getOrElse(FraudKeyState.empty)
      val (next, alerts) = Fraud.step(key, previous, batch, settings.spec, settings.fraud)
      keep(state, next)
      alerts.iterator.map(Output.alert)
    }
    val inputs = events
      .filter(e => e.isUsage)
      .flatMap(e => Fraud.route(e, settings.spec, settings.fraud))
    groupedBy[FraudInput](inputs, i => fraudKeyText(i.key), i => new Timestamp(i.fact.eventTime), None)
      .flatMapGroupsWithState(OutputMode.Update(), GroupStateTimeout.NoTimeout())(func)(Encoders.BINARY, newProductEncoder[OutRow])
  }

  /**
   * The fraud query with a learned model beside the rules (docs/ml.md "Fraud model"): the same keys and records;
   * on subscriber keys the state also holds the model's, which scores the key's records in the same call. The
   * rules' alerts and the model's (detector `ml:<model>`) go to the same topic.
   */
  def fraudWithModel(events: Dataset[Event], settings: Settings, scorer: FraudScorer): Dataset[OutRow] = {
    val spark = events.sparkSession
    import spark.implicits._
    val func = (_: String, rows: Iterator[Keyed], state: GroupState[Array[Byte]]) => {
      val batch = recordsOf[FraudInput](rows)
      val key = batch.head.key // without a timeout Spark calls this only for keys with records
      val previous = stateOf[FraudModelKeyState](state).getOrElse(FraudModelKeyState(FraudKeyState.empty, None))
      val (rule, ruleAlerts) = Fraud.step(key, previous.rule, batch, settings.spec, settings.fraud)
      val (ml, mlAlerts): (Option[MlSubscriberState], Vector[Alert]) =
        if (key.kind != FraudKeyKind.Subscriber) (None, Vector.empty)
        else {
          // A subscriber's records come from one Kafka partition, in the order they were sent.
          val facts = batch.sortBy(i => (i.partition, i.offset)).map(_.fact)
          val (next, alerts) = MlFraud.step(key.entity, previous.ml.getOrElse(MlSubscriberState.empty), facts, scorer)
          (Some(next), alerts)
        }
      keep(state, FraudModelKeyState(rule, ml))
      (ruleAlerts ++ mlAlerts).iterator.map(Output.alert)
    }
    val inputs = events
      .filter(e => e.isUsage)
      .flatMap(e => Fraud.route(e, settings.spec, settings.fraud))
    groupedBy[FraudInput](inputs, i => fraudKeyText(i.key), i => new Timestamp(i.fact.eventTime), None)
      .flatMapGroupsWithState(OutputMode.Update(), GroupStateTimeout.NoTimeout())(func)(Encoders.BINARY, newProductEncoder[OutRow])
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
