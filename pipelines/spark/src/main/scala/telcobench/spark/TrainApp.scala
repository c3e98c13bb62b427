package telcobench.spark

import java.io.PrintWriter
import java.nio.charset.StandardCharsets
import java.nio.file.{Files, Paths}

import org.apache.spark.sql.SparkSession

/** Where the fraud model's truth and rating spec are (TrainApp `--labels`, `--rating-spec`). */
final case class FraudTrainingInput(labelsPath: String, ratingSpecPath: String)

/**
 * Fits the learned detectors on a generated history (docs/ml.md "Training"):
 *   java <opens> -cp ... telcobench.spark.TrainApp --events <history>/events.jsonl --anomalies <history>/anomaly.jsonl \
 *     --out <model folder> [--seed N] [--labels <history>/label.jsonl --rating-spec <history>/rating-spec.json]
 * `events.jsonl` is `telcobench generate`'s format; `anomaly.jsonl` the truth's anomaly windows. Computes each
 * cell's features with the streaming job's own NetworkFeatures (a Spark batch job, one group per cell), labels each
 * PM period from the windows, writes the labelled history to `<out>/network-history.csv`, fits NetworkModel and saves
 * it with `<out>/network-training.json`, then fits the outage forecaster on the same periods (ForecastModel:
 * `<out>/forecast`, `<out>/forecast-training.json`). With `--labels` (the truth's fraud labels) and `--rating-spec`
 * (the scenario's rating spec, for the destination classes) and at least one fraud label in the truth, does the same
 * for the fraud model from the usage records (FraudFeatures per subscriber, FraudLabels): `<out>/fraud-history.csv`,
 * `<out>/fraud/`, `<out>/fraud-training.json`.
 * Exit 0 on success, 1 when training fails, 2 on a bad command line or an empty history.
 */
object TrainApp {
  def main(args: Array[String]): Unit = {
    val eventsPath = Args.required(args, "--events")
    val anomaliesPath = Args.required(args, "--anomalies")
    val out = Args.required(args, "--out")
    val seed = Args.get(args, "--seed").map(_.toLong).getOrElse(1L)
    val fraud = (Args.get(args, "--labels"), Args.get(args, "--rating-spec")) match {
      case (Some(labels), Some(specFile)) => Some(FraudTrainingInput(labels, specFile))
      case (None, None) => None
      case _ =>
        System.err.println("[telcobench] --labels and --rating-spec go together (the fraud model needs both)")
        sys.exit(2)
    }
    val spark = Pipelines.session("telcobench-train", 2)
    val code =
      try train(spark, eventsPath, anomaliesPath, out, seed, fraud)
      catch {
        case e: Exception =>
          System.err.println(s"[telcobench] training failed: $e")
          e.printStackTrace()
          1
      }
    try spark.stop() catch { case _: Exception => () }
    sys.exit(code)
  }

  /** Feature rows of every cell, labelled from the anomaly windows (a Spark job grouped by cell). */
  def labelled(spark: SparkSession, events: Seq[Event], windows: Seq[AnomalyWindow]): Vector[LabelledPeriod] = {
    import spark.implicits._
    val network = events.filter(e => e.ok && (e.typ == "pm" || e.typ == "alarm"))
    spark.createDataset(network).groupByKey(_.cell)
      .flatMapGroups((cell, rows) => NetworkFeatures.step(cell, FeatureState.empty, rows.toVector)._2
        .map(p => LabelledPeriod(cell, p.periodStart, NetworkLabels.of(cell, p.periodStart, p.periodEnd, windows), p.features)))
      .collect().toVector.sortBy(r => (r.cell, r.periodStart))
  }

  /**
   * Feature rows of every subscriber's usage records, labelled from the fraud truth (a Spark job grouped by IMSI,
   * each group's records in the order they were sent: the history's line order).
   */
  def labelledUsage(spark: SparkSession, events: Seq[Event], spec: RatingSpec, labels: Seq[FraudLabel]): Vector[LabelledRecord] = {
    import spark.implicits._
    val usage = events.filter(_.isUsage).map(e => (e.offset, Fraud.fact(e, spec)))
    spark.createDataset(usage).groupByKey(_._2.subscriber)
      .flatMapGroups((subscriber, rows) => FraudFeatures.step(subscriber, UsageFeatureState.empty, rows.toVector.sortBy(_._1).map(_._2))._2
        .map(r => LabelledRecord(subscriber, r.fact.eventTime, r.fact.id, FraudLabels.of(subscriber, r.fact, r.window, labels), r.features)))
      .collect().toVector.sortBy(r => (r.subscriber, r.eventTime, r.id))
  }

  def train(spark: SparkSession, eventsPath: String, anomaliesPath: String, out: String, seed: Long,
            fraud: Option[FraudTrainingInput] = None): Int = {
    val began = System.currentTimeMillis()
    val events = ReplayApp.read(eventsPath)
    val windows = NetworkLabels.readWindows(anomaliesPath)
    val rows = labelled(spark, events, windows)
    if (rows.isEmpty) {
      System.err.println(s"[telcobench] $eventsPath has no PM records to train on")
      return 2
    }
    Files.createDirectories(Paths.get(out))
    writeHistory(rows, Paths.get(out, "network-history.csv").toString)
    val classes = NetworkModel.classesOf(rows)
    val fitBegan = System.currentTimeMillis()
    val model = NetworkModel.fit(spark, rows, classes, seed)
    val fitMs = System.currentTimeMillis() - fitBegan
    model.write.overwrite().save(Paths.get(out, NetworkModel.PipelineDir).toString)
    val training = Json.obj()
    training.put("model", NetworkModel.Name).put("detector", NetworkModel.Detector).put("algorithm", "random-forest")
      .put("numTrees", NetworkModel.numTrees).put("maxDepth", NetworkModel.maxDepth)
      .put("consecutivePeriods", NetworkModel.consecutivePeriods)
    LearnedModels.describe(training, NetworkFeatures.names, classes, k => rows.count(_.label == k))
    training.put("rows", rows.size).put("cells", rows.map(_.cell).distinct.size)
    val cells = training.putArray("anomalyCells")
    windows.map(_.cell).distinct.sorted.foreach(cell => cells.add(cell))
    training.put("fitMs", fitMs).put("totalMs", System.currentTimeMillis() - began).put("seed", seed)
    Files.write(Paths.get(out, NetworkModel.TrainingFile), Json.write(training).getBytes(StandardCharsets.UTF_8))
    System.err.println(s"[telcobench] trained ${NetworkModel.Detector} on ${rows.size} PM periods " +
      s"(${classes.map(k => s"$k=${rows.count(_.label == k)}").mkString(" ")}) in $fitMs ms -> $out")
    ForecastModel.train(spark, rows, events, windows, out, seed) match {
      case Some(f) => System.err.println(s"[telcobench] trained ${ForecastModel.Detector} on ${f.get("rows")} PM periods " +
        s"(${f.get("classCounts")}, ${f.get("leftOut")} inside anomalies left out) in ${f.get("fitMs")} ms -> $out")
      case None => System.err.println(s"[telcobench] no outage of a forecastable kind in the history: no ${ForecastModel.Detector} fitted")
    }
    fraud.foreach(f => trainFraud(spark, events, f, out, seed))
    0
  }

  /** Fits and saves the fraud model when the truth has fraud labels; otherwise says so and leaves it out. */
  def trainFraud(spark: SparkSession, events: Seq[Event], input: FraudTrainingInput, out: String, seed: Long): Unit = {
    val began = System.currentTimeMillis()
    val labels = FraudLabels.read(input.labelsPath)
    val spec = RatingSpec.fromJson(Json.parse(new String(Files.readAllBytes(Paths.get(input.ratingSpecPath)), StandardCharsets.UTF_8)))
    val rows = labelledUsage(spark, events, spec, labels)
    val classes = FraudModel.classesOf(rows)
    if (classes.size < 2) {
      System.err.println(s"[telcobench] no fraud model: ${input.labelsPath} labels no usage record as fraud (${rows.size} records)")
      return
    }
    writeFraudHistory(rows, Paths.get(out, "fraud-history.csv").toString)
    val fitBegan = System.currentTimeMillis()
    val model = FraudModel.fit(spark, rows, classes, seed)
    val fitMs = System.currentTimeMillis() - fitBegan
    model.write.overwrite().save(Paths.get(out, FraudModel.PipelineDir).toString)
    val weights = FraudModel.weights(rows, classes)
    val training = Json.obj()
    training.put("model", FraudModel.Name).put("detector", FraudModel.Detector).put("algorithm", "random-forest")
      .put("numTrees", FraudModel.numTrees).put("maxDepth", FraudModel.maxDepth)
      .put("minProbability", FraudModel.minProbability).put("cooldownMs", FraudModel.cooldownMs)
      .put("windowMs", FraudFeatures.windowMs)
    LearnedModels.describe(training, FraudFeatures.names, classes, k => rows.count(_.label == k))
    val w = training.putObject("classWeights")
    classes.foreach(k => w.put(k, weights(k)))
    training.put("rows", rows.size).put("subscribers", rows.map(_.subscriber).distinct.size)
    // The entities the truth names as fraudulent: IMSIs, WANGIRI numbers and their callers' IMSIs.
    val entities = training.putArray("fraudEntities")
    labels.filter(_.fraud).flatMap(l => l.entity :: l.callers).distinct.sorted.foreach(e => entities.add(e))
    training.put("fitMs", fitMs).put("totalMs", System.currentTimeMillis() - began).put("seed", seed)
    Files.write(Paths.get(out, FraudModel.TrainingFile), Json.write(training).getBytes(StandardCharsets.UTF_8))
    System.err.println(s"[telcobench] trained ${FraudModel.Detector} on ${rows.size} usage records " +
      s"(${classes.map(k => s"$k=${rows.count(_.label == k)}").mkString(" ")}) in $fitMs ms -> $out")
  }

  /** The labelled usage history: `subscriber,eventTime,id,label,<features in FraudFeatures.names order>`. */
  def writeFraudHistory(rows: Seq[LabelledRecord], path: String): Unit = {
    val w = new PrintWriter(path, StandardCharsets.UTF_8)
    try {
      w.println(("subscriber" +: "eventTime" +: "id" +: "label" +: FraudFeatures.names).mkString(","))
      rows.foreach(r => w.println((Seq(r.subscriber, r.eventTime.toString, r.id, r.label) ++ r.features.map(_.toString)).mkString(",")))
    } finally w.close()
  }

  /** The labelled history: one line per PM period, `cell,periodStart,label,<features in NetworkFeatures.names order>`. */
  def writeHistory(rows: Seq[LabelledPeriod], path: String): Unit = {
    val w = new PrintWriter(path, StandardCharsets.UTF_8)
    try {
      w.println(("cell" +: "periodStart" +: "label" +: NetworkFeatures.names).mkString(","))
      rows.foreach(r => w.println((Seq(r.cell, r.periodStart.toString, r.label) ++ r.features.map(_.toString)).mkString(",")))
    } finally w.close()
  }
}
