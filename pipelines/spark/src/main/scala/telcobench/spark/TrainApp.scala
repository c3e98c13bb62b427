package telcobench.spark

import java.io.PrintWriter
import java.nio.charset.StandardCharsets
import java.nio.file.{Files, Paths}

import org.apache.spark.sql.SparkSession

/**
 * Fits the learned detectors on a generated history (docs/ml.md "Training"):
 *   java <opens> -cp ... telcobench.spark.TrainApp --events <history>/events.jsonl --anomalies <history>/anomaly.jsonl \
 *     --out <model folder> [--seed N]
 * `events.jsonl` is `telcobench generate`'s format (pm and alarms records are read, the rest skipped);
 * `anomaly.jsonl` the truth's anomaly windows. Computes each cell's features with the streaming job's own
 * NetworkFeatures (a Spark batch job, one group per cell), labels each PM period from the windows, writes the labelled
 * history to `<out>/network-history.csv`, fits NetworkModel and saves it with `<out>/network-training.json`, then
 * fits the outage forecaster on the same periods (ForecastModel: `<out>/forecast`, `<out>/forecast-training.json`).
 * Exit 0 on success, 1 when training fails, 2 on a bad command line or an empty history.
 */
object TrainApp {
  def main(args: Array[String]): Unit = {
    val eventsPath = Args.required(args, "--events")
    val anomaliesPath = Args.required(args, "--anomalies")
    val out = Args.required(args, "--out")
    val seed = Args.get(args, "--seed").map(_.toLong).getOrElse(1L)
    val spark = Pipelines.session("telcobench-train", 2)
    val code =
      try train(spark, eventsPath, anomaliesPath, out, seed)
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

  def train(spark: SparkSession, eventsPath: String, anomaliesPath: String, out: String, seed: Long): Int = {
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
    val f = training.putArray("features")
    NetworkFeatures.names.foreach(n => f.add(n))
    val c = training.putArray("classes")
    classes.foreach(k => c.add(k))
    val counts = training.putObject("classCounts")
    classes.foreach(k => counts.put(k, rows.count(_.label == k)))
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
    0
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
