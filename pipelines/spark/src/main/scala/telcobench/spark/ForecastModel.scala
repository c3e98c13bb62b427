package telcobench.spark

import java.nio.charset.StandardCharsets
import java.nio.file.{Files, Paths}

import org.apache.spark.ml.{Pipeline, PipelineModel, PipelineStage}
import org.apache.spark.ml.classification.{GBTClassificationModel, GBTClassifier}
import org.apache.spark.ml.feature.VectorAssembler
import org.apache.spark.ml.linalg.Vectors
import org.apache.spark.sql.SparkSession

/**
 * Training labels of the outage forecaster (docs/ml.md "Forecasting"). A PM period [periodStart, periodEnd) of a
 * cell is `OUTAGE_AHEAD` when an outage of a forecastable kind starts on the cell after its end and at most H periods
 * later (periodEnd < start <= periodEnd + H x granularity: a prediction made at the period's end would be a forecast
 * of lead time start - periodEnd), `NONE` otherwise. A period inside any anomaly window of its cell, or ending at the
 * start of one (its prediction would come at the start: a detection, not a forecast), is left out (None).
 */
object ForecastLabels {
  val Ahead: String = "OUTAGE_AHEAD"
  val None: String = NetworkLabels.None
  /** The cell outages the generators can precede with warning signs (docs/telecom-model.md "Precursors"). */
  val Kinds: Vector[String] = Vector("SLEEPING_CELL", "CONGESTION", "KPI_DEGRADATION")
  /** H: 6 periods, 30 minutes at the usual 5-minute PM granularity: time for an operator to act. */
  val horizonPeriods: Int = 6

  def of(cell: String, periodStart: Long, periodEnd: Long, windows: Seq[AnomalyWindow], horizonPeriods: Int = horizonPeriods): Option[String] = {
    val onCell = windows.filter(_.cell == cell)
    if (onCell.exists(w => w.start <= periodEnd && w.end > periodStart)) scala.None
    else {
      val horizonMs = horizonPeriods * (periodEnd - periodStart)
      val ahead = onCell.exists(w => Kinds.contains(w.kind) && w.start > periodEnd && w.start <= periodEnd + horizonMs)
      Some(if (ahead) Ahead else None)
    }
  }
}

/** The fitted forecaster as the streaming query uses it: the boosted trees and the probability that means "ahead". */
final class ForecastScorer(val model: GBTClassificationModel, val detector: String, val threshold: Double) extends Serializable {
  /** The probability of an outage ahead, from a period's NetworkFeatures vector (all of them, in their order). */
  def probability(features: Array[Double]): Double =
    model.predictProbability(Vectors.dense(ForecastModel.featureIndices.map(i => features(i)).toArray))(1)
}

/**
 * The learned outage forecaster (docs/ml.md "Forecasting"): binary gradient-boosted trees (MLlib GBTClassifier, the
 * answer is yes or no) over part of the network model's own NetworkFeatures, fitted by TrainApp beside the forest and saved
 * as a PipelineModel in `<model folder>/forecast` with `<model folder>/forecast-training.json`.
 */
object ForecastModel {
  val Name: String = "forecast-gbt"
  val Detector: String = s"ml:$Name"
  val AlertKind: String = "OUTAGE_FORECAST"
  val PipelineDir: String = "forecast"
  val TrainingFile: String = "forecast-training.json"
  val maxIter: Int = 40
  val maxDepth: Int = 4
  /** The lowest cut: the rows are class-weighted, so 0.5 is the balanced one. */
  val minThreshold: Double = 0.5
  /**
   * The cut is raised until at most this share of the training history's NONE periods scores above it: class
   * weighting lifts the probability of every noisy period toward 0.5, and at 0.5 the forecaster alerted on every
   * cell several times a day (docs/ml.md "Forecasting", measured). 1 in 1,000 is about one false alarm per 3.5
   * cell-days of 5-minute periods on the training data.
   */
  val normalAboveShare: Double = 0.001

  /** The decision threshold from the training NONE periods' probabilities (see normalAboveShare). */
  def thresholdFor(noneProbabilities: Seq[Double]): Double =
    if (noneProbabilities.isEmpty) minThreshold
    else {
      val sorted = noneProbabilities.sorted
      val rank = math.min(sorted.size - 1, math.max(0, math.ceil((1 - normalAboveShare) * sorted.size).toInt - 1))
      math.max(minThreshold, sorted(rank))
    }

  /**
   * The NetworkFeatures the forecaster reads: the cell's health and its changes (setup failures, abnormal releases,
   * PRB use, availability, alarm raises), not its traffic level, trend or volume nor how long it has reported. A
   * training history holds a handful of outages, and a cell's traffic figures differ by hour and cell, so trees can
   * split on them instead of on the warning. On the shipped pair, with the calibrated threshold, this subset forecast
   * 2 of 4 warned outages and all 13 features 1 of 4, at the same precision (docs/ml.md "Forecasting", measured).
   */
  val features: Vector[String] = Vector("fail_ratio", "drop_ratio", "prb_ratio", "avail_ratio", "alarm_raises_per_hour",
    "fail_delta", "drop_delta", "prb_delta", "alarm_delta")
  /** Where each of `features` sits in a NetworkFeatures vector. */
  val featureIndices: Vector[Int] = {
    val idx = features.map(NetworkFeatures.names.indexOf)
    require(!idx.contains(-1), s"the forecaster reads features NetworkFeatures does not compute: ${features.zip(idx).filter(_._2 < 0).map(_._1).mkString(",")}")
    idx
  }

  /** The forecaster's rows from the labelled history: relabelled, the periods inside anomalies left out. */
  def rows(periods: Seq[LabelledPeriod], windows: Seq[AnomalyWindow], granularityMs: Long): (Vector[LabelledPeriod], Int) = {
    val labelled = periods.map(p => p -> ForecastLabels.of(p.cell, p.periodStart, p.periodStart + granularityMs, windows))
    (labelled.collect { case (p, Some(label)) => p.copy(label = label) }.toVector, labelled.count(_._2.isEmpty))
  }

  /** Fits the pipeline, each row weighted by total / (2 x rows of its class) as the forest's are. */
  def fit(spark: SparkSession, rows: Seq[LabelledPeriod], seed: Long): PipelineModel = {
    require(rows.nonEmpty, "no PM periods to train the forecaster on")
    require(rows.exists(_.label == ForecastLabels.Ahead), "no outage of a forecastable kind in the training truth: nothing to forecast")
    require(rows.exists(_.label == ForecastLabels.None), "no PM period without an outage ahead")
    val counts = rows.groupBy(_.label).map { case (k, v) => k -> v.size }
    val weight = counts.map { case (k, n) => k -> rows.size.toDouble / (2 * n) }
    val frame = LearnedModels.trainingFrame(spark, NetworkFeatures.names,
      rows.map(r => TrainingRow(if (r.label == ForecastLabels.Ahead) 1.0 else 0.0, weight(r.label), r.features)))
    val assembler = new VectorAssembler().setInputCols(features.toArray).setOutputCol("features")
    val gbt = new GBTClassifier().setLabelCol("label").setFeaturesCol("features").setWeightCol("weight")
      .setMaxIter(maxIter).setMaxDepth(maxDepth).setSeed(seed)
    new Pipeline().setStages(Array[PipelineStage](assembler, gbt)).fit(frame)
  }

  /**
   * Labels, fits and saves the forecaster into the model folder (`forecast/`, `forecast-training.json`) from the
   * network model's labelled history; returns the training figures written, or None (and no forecaster in the
   * folder) when the history has no outage to forecast or no period without one.
   */
  def train(spark: SparkSession, periods: Seq[LabelledPeriod], events: Seq[Event], windows: Seq[AnomalyWindow], out: String, seed: Long): Option[com.fasterxml.jackson.databind.node.ObjectNode] = {
    val granularitySec = events.find(e => e.ok && e.typ == "pm").map(_.granularitySec).getOrElse(300L)
    val (rows, leftOut) = this.rows(periods, windows, granularitySec * 1000L)
    Files.deleteIfExists(Paths.get(out, TrainingFile))
    if (!rows.exists(_.label == ForecastLabels.Ahead) || !rows.exists(_.label == ForecastLabels.None)) scala.None
    else Some(save(spark, rows, leftOut, granularitySec, out, seed))
  }

  private def save(spark: SparkSession, rows: Vector[LabelledPeriod], leftOut: Int, granularitySec: Long, out: String, seed: Long): com.fasterxml.jackson.databind.node.ObjectNode = {
    val began = System.currentTimeMillis()
    val model = fit(spark, rows, seed)
    val fitMs = System.currentTimeMillis() - began
    model.write.overwrite().save(Paths.get(out, PipelineDir).toString)
    val gbt = model.stages.collectFirst { case g: GBTClassificationModel => g }.get
    val unscaled = new ForecastScorer(gbt, Detector, minThreshold)
    val threshold = thresholdFor(rows.filter(_.label == ForecastLabels.None).map(r => unscaled.probability(r.features)))
    val training = Json.obj()
    training.put("model", Name).put("detector", Detector).put("algorithm", "gradient-boosted-trees")
      .put("maxIter", maxIter).put("maxDepth", maxDepth).put("threshold", threshold).put("normalAboveShare", normalAboveShare)
      .put("horizonPeriods", ForecastLabels.horizonPeriods).put("granularitySec", granularitySec)
    val kinds = training.putArray("kinds")
    ForecastLabels.Kinds.foreach(k => kinds.add(k))
    LearnedModels.describe(training, features, Seq(ForecastLabels.None, ForecastLabels.Ahead), k => rows.count(_.label == k))
    training.put("rows", rows.size).put("leftOut", leftOut).put("fitMs", fitMs).put("seed", seed)
    Files.write(Paths.get(out, TrainingFile), Json.write(training).getBytes(StandardCharsets.UTF_8))
    training
  }

  /**
   * Loads the forecaster of a model folder; None when the folder has none (trained before forecasting existed: the
   * run forecasts nothing). Fails with a message naming the folder when it is there but unusable.
   */
  def load(folder: String): Option[ForecastScorer] = {
    val trainingFile = Paths.get(folder, TrainingFile)
    if (!Files.isRegularFile(trainingFile)) scala.None
    else {
      val training = Json.parse(new String(Files.readAllBytes(trainingFile), StandardCharsets.UTF_8))
      val trained = Json.stringList(training, "features")
      require(trained == features.toList,
        s"$folder/$TrainingFile: the forecaster was trained on features ${trained.mkString(",")}; this build reads ${features.mkString(",")} (train it again)")
      val model = PipelineModel.load(Paths.get(folder, PipelineDir).toString)
      require(model.stages.collectFirst { case a: VectorAssembler => a }.exists(_.getInputCols.toList == features.toList),
        s"$folder/$PipelineDir does not assemble the forecaster's features")
      val gbt = model.stages.collectFirst { case g: GBTClassificationModel => g }
        .getOrElse(throw new IllegalArgumentException(s"$folder/$PipelineDir has no gradient-boosted trees stage"))
      Some(new ForecastScorer(gbt, Detector, Json.doubleOr(training, "threshold", minThreshold)))
    }
  }
}

/**
 * The forecaster's part of the per-cell step: each new PM period is scored, and the first period of an episode of
 * periods in a row predicted "ahead" raises one alert (kind OUTAGE_FORECAST, windowEnd the prediction time, the
 * period's end). Returns whether the cell's episode is still open.
 */
object MlForecast {
  def step(cell: String, forecasting: Boolean, periods: Seq[PeriodFeatures], scorer: ForecastScorer): (Boolean, Vector[Alert]) = {
    var open = forecasting
    val alerts = Vector.newBuilder[Alert]
    periods.foreach { p =>
      val probability = scorer.probability(p.features)
      val ahead = probability > scorer.threshold
      if (ahead && !open)
        alerts += Alert(ForecastModel.AlertKind, "cell", cell, p.periodStart, p.periodEnd, probability, List(p.evidence), scorer.detector)
      open = ahead
    }
    (open, alerts.result())
  }
}
