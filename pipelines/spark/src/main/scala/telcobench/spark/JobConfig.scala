package telcobench.spark

import java.nio.charset.StandardCharsets
import java.nio.file.{Files, Paths}

import com.fasterxml.jackson.databind.JsonNode

/** Network detector thresholds (job config `detectors.network`). */
final case class NetworkSettings(
    ewmaLambda: Double = 0.25,
    minBaselinePeriods: Int = 2,
    consecutivePeriods: Int = 2,
    zThreshold: Double = 3.0,
    sleepingRatio: Double = 0.1,
    minBaselineTraffic: Double = 10.0,
    prbHighRatio: Double = 0.85,
    kpiMinAttempts: Long = 20L,
    kpiMinFailRatio: Double = 0.05,
    kpiMinDropRatio: Double = 0.02)

/**
 * Fraud detector thresholds (job config `detectors.fraud`). Times are event-time milliseconds. Defaults follow the
 * signatures of docs/telecom-model.md §7.2 (docs/spark-pipelines.md says which number comes from where).
 */
final case class FraudSettings(
    cooldownMs: Long = 6L * 3600000L,
    simboxMinNationalRatio: Double = 0.8,
    simboxImeiWindowMs: Long = 3600000L,
    simboxMinSimsPerImei: Int = 3,
    wangiriWindowMs: Long = 3600000L,
    wangiriMaxDurationSec: Long = 5L,
    wangiriMinCalls: Int = 20,
    wangiriMinDistinctRatio: Double = 0.9,
    wangiriCallbackWindowMs: Long = 6L * 3600000L,
    wangiriMinCallers: Int = 3,
    irsfWindowMs: Long = 3600000L,
    irsfMinCalls: Int = 3,
    irsfMinTotalSec: Long = 600L,
    irsfPrefixes: List[String] = Nil,
    pbxWindowMs: Long = 3600000L,
    pbxNightFromHour: Int = 20,
    pbxNightToHour: Int = 7,
    pbxMinNightCalls: Int = 10,
    pbxMinConcurrent: Int = 4,
    pbxMinErlangs: Double = 2.0,
    subscriptionNewMs: Long = 48L * 3600000L,
    subscriptionWindowMs: Long = 6L * 3600000L,
    subscriptionMinCalls: Int = 12,
    subscriptionMinShare: Double = 0.5,
    simSwapWindowMs: Long = 30L * 60000L,
    simSwapMinHistory: Int = 5,
    simSwapMinEvents: Int = 2)

/** Everything the pure logic needs; serializable so that Spark can ship it to tasks. */
final case class Settings(
    spec: RatingSpec,
    dedupWatermarkMs: Long,
    lateThresholdMs: Long,
    network: NetworkSettings,
    fraud: FraudSettings)

/**
 * The serving store the pipelines write to (docs/serving.md): Cassandra contact points (host:port), the run's
 * keyspace (created by the harness) and how long a write may keep retrying while the store is down.
 */
final case class StoreConfig(kind: String, contactPoints: List[String], keyspace: String, localDatacenter: String,
    maxOutageMs: Long)

final case class TriggerConfig(kind: String, intervalMs: Long, checkpointIntervalMs: Long)

/** The job config the harness hands to Spark (docs/contracts.md "Job config"). */
final case class JobConfig(
    runId: String,
    topicPrefix: String,
    bootstrap: String,
    kafkaOptions: Map[String, String],
    checkpointDir: String,
    guarantee: String,
    trigger: TriggerConfig,
    queries: List[String],
    // How the queries map onto Spark queries (QueryLayout): per-query, per-source or single.
    queryLayout: String,
    maxOffsetsPerTrigger: Long,
    shufflePartitions: Int,
    sparkConf: Map[String, String],
    warmUpBatches: Int,
    settings: Settings,
    store: Option[StoreConfig] = None,
    // A model folder written by `telcobench train` (job config `models.network`): the network query scores it too.
    networkModel: Option[String] = None,
    // The same folder when it holds a fraud model too (job config `models.fraud`): the fraud query scores it.
    fraudModel: Option[String] = None) {

  def topic(suffix: String): String = topicPrefix + suffix
}

object JobConfig {
  val KnownQueries: Set[String] = Set("rating", "network", "fraud")

  def load(path: String): JobConfig =
    fromJson(Json.parse(new String(Files.readAllBytes(Paths.get(path)), StandardCharsets.UTF_8)))

  def fromJson(n: JsonNode): JobConfig = {
    val runId = Json.stringOr(n, "runId", "run")
    val trig = n.get("trigger")
    val trigger = TriggerConfig(Json.stringOr(trig, "kind", "processing-time"), Json.longOr(trig, "intervalMs", 0L),
      if (trig == null) 60000L else Json.longOr(trig, "checkpointIntervalMs", 60000L))
    require(Set("processing-time", "available-now", "real-time").contains(trigger.kind), s"unknown trigger.kind ${trigger.kind}")
    val guarantee = Json.stringOr(n, "guarantee", "at-least-once")
    require(guarantee == "at-least-once" || guarantee == "exactly-once", s"unknown guarantee $guarantee")
    val queries = {
      val q = Json.stringList(n, "queries")
      if (q.isEmpty) List("rating", "network", "fraud") else q
    }
    queries.foreach(q => require(KnownQueries.contains(q), s"unknown query '$q' (known: ${KnownQueries.mkString(", ")})"))
    val queryLayout = Json.stringOr(n, "queryLayout", "per-query")
    require(QueryLayout.Known.contains(queryLayout), s"unknown queryLayout '$queryLayout' (known: ${QueryLayout.Known.mkString(", ")})")
    def stringMap(name: String): Map[String, String] = {
      val node = n.get(name)
      val out = scala.collection.mutable.Map[String, String]()
      if (node != null && node.isObject) {
        val it = node.fields()
        while (it.hasNext) {
          val f = it.next()
          out(f.getKey) = f.getValue.asText()
        }
      }
      out.toMap
    }
    val specNode = n.get("ratingSpec")
    val detectors = n.get("detectors")
    JobConfig(
      runId = runId,
      topicPrefix = Json.stringOr(n, "topicPrefix", s"tb.$runId."),
      bootstrap = Json.stringOr(n, "bootstrap", "127.0.0.1:9092"),
      kafkaOptions = stringMap("kafkaOptions"),
      checkpointDir = Json.stringOr(n, "checkpointDir", s"/tmp/telcobench-checkpoints/$runId"),
      guarantee = guarantee,
      trigger = trigger,
      queries = queries,
      queryLayout = queryLayout,
      maxOffsetsPerTrigger = Json.longOr(n, "maxOffsetsPerTrigger", 200000L),
      shufflePartitions = Json.intOr(n, "shufflePartitions", 4),
      sparkConf = stringMap("sparkConf"),
      warmUpBatches = Json.intOr(n, "warmUpBatches", 0),
      settings = Settings(
        spec = RatingSpec.fromJson(specNode),
        dedupWatermarkMs = Json.longOr(n, "dedupWatermarkMs", 600000L),
        lateThresholdMs = Json.longOr(n, "lateThresholdMs", 7200000L),
        network = networkSettings(if (detectors == null) null else detectors.get("network")),
        fraud = fraudSettings(if (detectors == null) null else detectors.get("fraud"))),
      store = storeConfig(n.get("store")),
      networkModel = Option(n.get("models")).flatMap(m => Json.stringField(m, "network")),
      fraudModel = Option(n.get("models")).flatMap(m => Json.stringField(m, "fraud")))
  }

  def storeConfig(n: JsonNode): Option[StoreConfig] =
    if (n == null || n.isNull) None
    else {
      val kind = Json.stringOr(n, "kind", "")
      require(kind == "cassandra", s"unknown store.kind '$kind' (known: cassandra)")
      val points = Json.stringList(n, "contactPoints")
      require(points.nonEmpty, "store.contactPoints is empty")
      val keyspace = Json.stringOr(n, "keyspace", "")
      require(keyspace.matches("[a-z][a-z0-9_]{0,47}"), s"store.keyspace '$keyspace' is not a valid Cassandra keyspace name")
      Some(StoreConfig(kind, points, keyspace, Json.stringOr(n, "localDatacenter", "datacenter1"),
        Json.longOr(n, "maxOutageMs", 300000L)))
    }

  def networkSettings(n: JsonNode): NetworkSettings = {
    val d = NetworkSettings()
    NetworkSettings(
      ewmaLambda = Json.doubleOr(n, "ewmaLambda", d.ewmaLambda),
      minBaselinePeriods = Json.intOr(n, "minBaselinePeriods", d.minBaselinePeriods),
      consecutivePeriods = Json.intOr(n, "consecutivePeriods", d.consecutivePeriods),
      zThreshold = Json.doubleOr(n, "zThreshold", d.zThreshold),
      sleepingRatio = Json.doubleOr(n, "sleepingRatio", d.sleepingRatio),
      minBaselineTraffic = Json.doubleOr(n, "minBaselineTraffic", d.minBaselineTraffic),
      prbHighRatio = Json.doubleOr(n, "prbHighRatio", d.prbHighRatio),
      kpiMinAttempts = Json.longOr(n, "kpiMinAttempts", d.kpiMinAttempts),
      kpiMinFailRatio = Json.doubleOr(n, "kpiMinFailRatio", d.kpiMinFailRatio),
      kpiMinDropRatio = Json.doubleOr(n, "kpiMinDropRatio", d.kpiMinDropRatio))
  }

  def fraudSettings(n: JsonNode): FraudSettings = {
    val d = FraudSettings()
    def l(name: String, default: Long): Long = if (n == null) default else Json.longOr(n, name, default)
    FraudSettings(
      cooldownMs = l("cooldownMs", d.cooldownMs),
      simboxMinNationalRatio = Json.doubleOr(n, "simboxMinNationalRatio", d.simboxMinNationalRatio),
      simboxImeiWindowMs = l("simboxImeiWindowMs", d.simboxImeiWindowMs),
      simboxMinSimsPerImei = Json.intOr(n, "simboxMinSimsPerImei", d.simboxMinSimsPerImei),
      wangiriWindowMs = l("wangiriWindowMs", d.wangiriWindowMs),
      wangiriMaxDurationSec = l("wangiriMaxDurationSec", d.wangiriMaxDurationSec),
      wangiriMinCalls = Json.intOr(n, "wangiriMinCalls", d.wangiriMinCalls),
      wangiriMinDistinctRatio = Json.doubleOr(n, "wangiriMinDistinctRatio", d.wangiriMinDistinctRatio),
      wangiriCallbackWindowMs = l("wangiriCallbackWindowMs", d.wangiriCallbackWindowMs),
      wangiriMinCallers = Json.intOr(n, "wangiriMinCallers", d.wangiriMinCallers),
      irsfWindowMs = l("irsfWindowMs", d.irsfWindowMs),
      irsfMinCalls = Json.intOr(n, "irsfMinCalls", d.irsfMinCalls),
      irsfMinTotalSec = l("irsfMinTotalSec", d.irsfMinTotalSec),
      irsfPrefixes = if (n == null) d.irsfPrefixes else Json.stringList(n, "irsfPrefixes"),
      pbxWindowMs = l("pbxWindowMs", d.pbxWindowMs),
      pbxNightFromHour = Json.intOr(n, "pbxNightFromHour", d.pbxNightFromHour),
      pbxNightToHour = Json.intOr(n, "pbxNightToHour", d.pbxNightToHour),
      pbxMinNightCalls = Json.intOr(n, "pbxMinNightCalls", d.pbxMinNightCalls),
      pbxMinConcurrent = Json.intOr(n, "pbxMinConcurrent", d.pbxMinConcurrent),
      pbxMinErlangs = Json.doubleOr(n, "pbxMinErlangs", d.pbxMinErlangs),
      subscriptionNewMs = l("subscriptionNewMs", d.subscriptionNewMs),
      subscriptionWindowMs = l("subscriptionWindowMs", d.subscriptionWindowMs),
      subscriptionMinCalls = Json.intOr(n, "subscriptionMinCalls", d.subscriptionMinCalls),
      subscriptionMinShare = Json.doubleOr(n, "subscriptionMinShare", d.subscriptionMinShare),
      simSwapWindowMs = l("simSwapWindowMs", d.simSwapWindowMs),
      simSwapMinHistory = Json.intOr(n, "simSwapMinHistory", d.simSwapMinHistory),
      simSwapMinEvents = Json.intOr(n, "simSwapMinEvents", d.simSwapMinEvents))
  }
}
