package telcobench.spark

import org.apache.spark.ml.PipelineModel
import org.apache.spark.ml.classification.RandomForestClassificationModel
import org.apache.spark.sql.SparkSession

/** One PM period of the training history with its label (a kind of NetworkLabels, or NONE). */
final case class LabelledPeriod(cell: String, periodStart: Long, label: String, features: Array[Double])

/**
 * The fitted network model as the streaming query uses it: the forest, its classes (index = the forest's label),
 * the detector name its alerts carry, how many periods in a row must be classified as the same kind, and the
 * folder's outage forecaster when it has one (ForecastModel).
 */
final class NetworkScorer(val forest: RandomForestClassificationModel, val classes: Vector[String],
    val detector: String, val consecutivePeriods: Int, val forecast: Option[ForecastScorer] = None) extends ForestClassifier with Serializable

/**
 * The learned network detector (docs/ml.md): a random forest over NetworkFeatures, fitted by TrainApp, saved as an
 * MLlib PipelineModel (VectorAssembler + RandomForestClassifier) in `<model folder>/network` with
 * `<model folder>/network-training.json` (feature names, classes, class counts, training time).
 */
object NetworkModel {
  val Name: String = "network-rf"
  val Detector: String = s"ml:$Name"
  val PipelineDir: String = "network"
  val TrainingFile: String = "network-training.json"
  val numTrees: Int = 40
  val maxDepth: Int = 8
  /** Periods in a row the model must classify as one kind before it alerts (the rules' default too). */
  val consecutivePeriods: Int = 2

  /** NONE first, then the anomaly kinds present in the history, sorted: a class's index is its forest label. */
  def classesOf(rows: Seq[LabelledPeriod]): Vector[String] =
    NetworkLabels.None +: rows.map(_.label).distinct.filter(_ != NetworkLabels.None).sorted.toVector

  /**
   * Fits the pipeline. Each row is weighted by total / (classes x rows of its class), so the rare anomaly periods
   * weigh as much in all as the normal ones (without it the forest learns to say NONE).
   */
  def fit(spark: SparkSession, rows: Seq[LabelledPeriod], classes: Vector[String], seed: Long): PipelineModel = {
    require(rows.nonEmpty, "no PM periods to train on")
    val counts = rows.groupBy(_.label).map { case (k, v) => k -> v.size }
    val weight = counts.map { case (k, n) => k -> rows.size.toDouble / (classes.size * n) }
    LearnedModels.fitForest(spark, NetworkFeatures.names, rows.map(r => TrainingRow(classes.indexOf(r.label).toDouble, weight(r.label), r.features)),
      numTrees, maxDepth, seed)
  }

  /**
   * Loads a model folder written by TrainApp. Fails with a message naming the folder when it is not one, or when
   * its features are not the ones this build computes (a model trained by another version).
   */
  def load(spark: SparkSession, folder: String): NetworkScorer = {
    val loaded = LearnedModels.loadForest(folder, PipelineDir, TrainingFile, NetworkFeatures.names, "network",
      "not a model folder written by `telcobench train`")
    new NetworkScorer(loaded.forest, loaded.classes, Detector, consecutivePeriods, ForecastModel.load(folder))
  }
}

/**
 * Per-cell state of the learned detectors: the features' state, the current streak of one predicted kind, and
 * whether the forecaster's current episode of "outage ahead" predictions is open.
 */
final case class MlCellState(features: FeatureState, streakKind: String, streak: List[Evidence], forecasting: Boolean = false)

object MlCellState {
  val empty: MlCellState = MlCellState(FeatureState.empty, "", Nil)
}

/** The network query's per-cell state when a model is loaded: the rules' and the model's side by side. */
final case class NetworkKeyState(rule: CellState, ml: MlCellState)

/**
 * Scores one cell's records with the model: features per new PM period, the most probable class per period, and
 * one alert (detector `ml:network-rf`) per episode of `consecutivePeriods` periods in a row classified as the same
 * anomaly kind; with a forecaster, its OUTAGE_FORECAST alerts (detector `ml:forecast-gbt`) on the same periods.
 * Pure but for the trees' arithmetic.
 */
object MlNetwork {
  def step(cell: String, previous: MlCellState, events: Seq[Event], scorer: NetworkScorer): (MlCellState, Vector[Alert]) = {
    val (features, periods) = NetworkFeatures.step(cell, previous.features, events)
    val alerts = Vector.newBuilder[Alert]
    var kind = previous.streakKind
    var streak = previous.streak
    periods.foreach { p =>
      val (predicted, probability) = scorer.classify(p.features)
      if (predicted == NetworkLabels.None) {
        kind = ""
        streak = Nil
      } else {
        streak = if (predicted == kind) streak :+ p.evidence else List(p.evidence)
        kind = predicted
        if (streak.size == scorer.consecutivePeriods)
          alerts += Alert(predicted, "cell", cell, streak.head.eventTime, p.periodEnd, probability, streak, scorer.detector)
        val cap = math.max(24, scorer.consecutivePeriods + 1)
        if (streak.size > cap) streak = streak.takeRight(cap)
      }
    }
    val (forecasting, forecasts) = scorer.forecast match {
      case Some(f) => MlForecast.step(cell, previous.forecasting, periods, f)
      case None => (false, Vector.empty)
    }
    (MlCellState(features, kind, streak, forecasting), alerts.result() ++ forecasts)
  }
}
