package telcobench.spark

import scala.reflect.ClassTag

import org.apache.spark.sql.{DataFrame, Dataset, Encoder, Encoders, SparkSession}
import org.apache.spark.sql.functions.{col, current_timestamp, lit}
import org.apache.spark.sql.streaming.{GroupState, GroupStateTimeout, OutputMode}

/**
 * The Spark side of the logic: Kafka rows -> Events -> stateful per-key steps -> OutRows (topic suffix, key, value).
 * The per-key steps are the pure functions in Billing, Network and Fraud.
 */
object Pipelines {
  /** Group key for rejected records: they bypass state and are written to dlq as they come. */
  val DlqKeyPrefix: String = "\u0000dlq-"

  /**
   * The state of every stateful query is kept Kryo-encoded, as one binary column, not as Spark's nested columns:
   * Spark 4.1 generates the source code of a state (de)serializer again in every task (FlatMapGroupsWithStateExec),
   * and for these nested case classes that took a large share of the executor's CPU in every micro-batch
   * (docs/spark-pipelines.md "Code generation in every task").
   */
  def stateEncoder[S: ClassTag]: Encoder[S] = Encoders.kryo[S]

  def suffixOf(topic: String, prefix: String): String =
    if (topic.startsWith(prefix)) topic.substring(prefix.length) else topic

  /**
   * Kafka rows -> Events. Rows from the Kafka source carry their Kafka timestamp; with `batchTime`, each Event also
   * gets its micro-batch's time (current_timestamp() is fixed per micro-batch; real-time mode has no such time) and
   * every Event the wall time its task parsed it. A MemoryStream of KafkaIn (the warm-up) has no timestamp.
   */
  def parse(kafkaRows: DataFrame, topicPrefix: String, batchTime: Boolean = true): Dataset[Event] = {
    val spark = kafkaRows.sparkSession
    import spark.implicits._
    if (!kafkaRows.columns.contains("timestamp")) {
      kafkaRows.select(col("topic"), col("partition"), col("offset"), col("value")).as[KafkaIn]
        .map(k => Parser.parse(suffixOf(k.topic, topicPrefix), k.partition, k.offset, k.value))
    } else {
      val batchTs = if (batchTime) current_timestamp() else lit(null).cast("timestamp")
      kafkaRows.select(col("topic"), col("partition"), col("offset"), col("value"), col("timestamp").as("appendTs"), batchTs.as("batchTs")).as[TimedKafkaIn]
        .map { k =>
          val batchMs = if (k.batchTs == null) -1L else k.batchTs.getTime
          Parser.parse(suffixOf(k.topic, topicPrefix), k.partition, k.offset, k.value).timed(k.appendTs.getTime, batchMs, System.currentTimeMillis())
        }
    }
  }

  private def dlqKey(e: Event): String = DlqKeyPrefix + e.topic + "-" + e.partition

  /** cdr -> rated + bills + dlq (including `late`). Stateful: BillState per subscriber. */
  def rating(events: Dataset[Event], settings: Settings): Dataset[OutRow] = {
    val spark = events.sparkSession
    import spark.implicits._
    val func = (key: String, rows: Iterator[Event], state: GroupState[BillState]) => {
      if (key.startsWith(DlqKeyPrefix)) rows.map(e => Output.dlq(e))
      else {
        val previous = state.getOption.getOrElse(BillState.empty)
        val (next, out) = Billing.step(key, previous, rows.toVector, state.getCurrentWatermarkMs(), settings)
        state.update(next)
        out.iterator
      }
    }
    events
      .withWatermark("eventTs", s"${settings.dedupWatermarkMs} milliseconds")
      .groupByKey(e => if (e.ok) e.subscriber else dlqKey(e))
      .flatMapGroupsWithState(OutputMode.Update(), GroupStateTimeout.NoTimeout())(func)(stateEncoder[BillState], newProductEncoder[OutRow])
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
    val func = (key: String, rows: Iterator[Event], state: GroupState[CellState]) => {
      if (key.startsWith(DlqKeyPrefix)) rows.map(e => Output.dlq(e))
      else {
        val previous = state.getOption.getOrElse(CellState.empty)
        val batch = rows.toVector
        val (next, alerts) = Network.step(key, previous, batch, settings.network)
        state.update(next)
        val kpiRows = if (kpis) batch.filter(e => e.ok && e.typ == "pm").map(Output.kpi) else Vector.empty
        alerts.iterator.map(Output.alert) ++ kpiRows.iterator
      }
    }
    events
      .groupByKey(e => if (e.ok) e.cell else dlqKey(e))
      .flatMapGroupsWithState(OutputMode.Update(), GroupStateTimeout.NoTimeout())(func)(stateEncoder[CellState], newProductEncoder[OutRow])
  }

  /**
   * The network query with a learned model beside the rules (docs/ml.md): the same records, one state per cell
   * holding both detectors' state, the rules' alerts and the model's (detector `ml:<model>`) on the same topic.
   */
  def networkWithModel(events: Dataset[Event], settings: Settings, scorer: NetworkScorer, kpis: Boolean = false): Dataset[OutRow] = {
    val spark = events.sparkSession
    import spark.implicits._
    val func = (key: String, rows: Iterator[Event], state: GroupState[NetworkKeyState]) => {
      if (key.startsWith(DlqKeyPrefix)) rows.map(e => Output.dlq(e))
      else {
        val previous = state.getOption.getOrElse(NetworkKeyState(CellState.empty, MlCellState.empty))
        val batch = rows.toVector
        val (rule, ruleAlerts) = Network.step(key, previous.rule, batch, settings.network)
        val (ml, mlAlerts) = MlNetwork.step(key, previous.ml, batch, scorer)
        state.update(NetworkKeyState(rule, ml))
        val kpiRows = if (kpis) batch.filter(e => e.ok && e.typ == "pm").map(Output.kpi) else Vector.empty
        (ruleAlerts ++ mlAlerts).iterator.map(Output.alert) ++ kpiRows.iterator
      }
    }
    events
      .groupByKey(e => if (e.ok) e.cell else dlqKey(e))
      .flatMapGroupsWithState(OutputMode.Update(), GroupStateTimeout.NoTimeout())(func)(stateEncoder[NetworkKeyState], newProductEncoder[OutRow])
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
    val func = (key: FraudKey, rows: Iterator[FraudInput], state: GroupState[FraudKeyState]) => {
      val previous = state.getOption.getOrElse(FraudKeyState.empty)
      val (next, alerts) = Fraud.step(key, previous, rows.toVector, settings.spec, settings.fraud)
      state.update(next)
      alerts.iterator.map(Output.alert)
    }
    events
      .filter(e => e.isUsage)
      .flatMap(e => Fraud.route(e, settings.spec, settings.fraud))
      .groupByKey(i => i.key)
      .flatMapGroupsWithState(OutputMode.Update(), GroupStateTimeout.NoTimeout())(func)(stateEncoder[FraudKeyState], newProductEncoder[OutRow])
  }

  /**
   * The fraud query with a learned model beside the rules (docs/ml.md "Fraud model"): the same keys and records;
   * on subscriber keys the state also holds the model's, which scores the key's records in the same call. The
   * rules' alerts and the model's (detector `ml:<model>`) go to the same topic.
   */
  def fraudWithModel(events: Dataset[Event], settings: Settings, scorer: FraudScorer): Dataset[OutRow] = {
    val spark = events.sparkSession
    import spark.implicits._
    val func = (key: FraudKey, rows: Iterator[FraudInput], state: GroupState[FraudModelKeyState]) => {
      val previous = state.getOption.getOrElse(FraudModelKeyState(FraudKeyState.empty, None))
      val batch = rows.toVector
      val (rule, ruleAlerts) = Fraud.step(key, previous.rule, batch, settings.spec, settings.fraud)
      val (ml, mlAlerts): (Option[MlSubscriberState], Vector[Alert]) =
        if (key.kind != FraudKeyKind.Subscriber) (None, Vector.empty)
        else {
          // A subscriber's records come from one Kafka partition, in the order they were sent.
          val facts = batch.sortBy(i => (i.partition, i.offset)).map(_.fact)
          val (next, alerts) = MlFraud.step(key.entity, previous.ml.getOrElse(MlSubscriberState.empty), facts, scorer)
          (Some(next), alerts)
        }
      state.update(FraudModelKeyState(rule, ml))
      (ruleAlerts ++ mlAlerts).iterator.map(Output.alert)
    }
    events
      .filter(e => e.isUsage)
      .flatMap(e => Fraud.route(e, settings.spec, settings.fraud))
      .groupByKey(i => i.key)
      .flatMapGroupsWithState(OutputMode.Update(), GroupStateTimeout.NoTimeout())(func)(stateEncoder[FraudModelKeyState], newProductEncoder[OutRow])
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
