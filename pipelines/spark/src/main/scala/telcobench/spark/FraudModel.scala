package telcobench.spark

import org.apache.spark.ml.PipelineModel
import org.apache.spark.ml.classification.RandomForestClassificationModel
import org.apache.spark.sql.SparkSession

/** One usage record of the training history with its label (a fraud kind of FraudLabels, or NONE). */
final case class LabelledRecord(subscriber: String, eventTime: Long, id: String, label: String, features: Array[Double])

/**
 * The fitted fraud model as the fraud query uses it: the forest, its classes (index = the forest's label), the
 * detector name its alerts carry, the least class probability that alerts and the quiet time after an alert.
 */
final class FraudScorer(val forest: RandomForestClassificationModel, val classes: Vector[String], val detector: String,
    val minProbability: Double, val cooldownMs: Long) extends ForestClassifier with Serializable

/**
 * The learned fraud detector (docs/ml.md "Fraud model"): a random forest over FraudFeatures, fitted by TrainApp,
 * saved as an MLlib PipelineModel (VectorAssembler + RandomForestClassifier) in `<model folder>/fraud` with
 * `<model folder>/fraud-training.json`.
 */
object FraudModel {
  val Name: String = "fraud-rf"
  val Detector: String = s"ml:$Name"
  val PipelineDir: String = "fraud"
  val TrainingFile: String = "fraud-training.json"
  val numTrees: Int = 40
  val maxDepth: Int = 8
  /** A record alerts when its most probable class is a fraud kind with at least this probability. */
  val minProbability: Double = 0.5
  /** After an alert, the same kind on the same subscriber stays quiet this long (the rules' default cooldown). */
  val cooldownMs: Long = 6L * 3600000L

  /** NONE first, then the fraud kinds present in the history, sorted: a class's index is its forest label. */
  def classesOf(rows: Seq[LabelledRecord]): Vector[String] =
    FraudLabels.None +: rows.map(_.label).distinct.filter(_ != FraudLabels.None).sorted.toVector

  /**
   * Each row's weight: sqrt(rows / (classes x rows of its class)). Fraud records are a few per thousand, so
   * unweighted the forest answers NONE; fully balanced (the network model's weighting) it would turn every
   * look-alike record (any premium call, any busy hour) into fraud, since a fraud class of tens of records would
   * outweigh thousands of normal ones. The square root sits between the two.
   */
  def weights(rows: Seq[LabelledRecord], classes: Vector[String]): Map[String, Double] = {
    val counts = rows.groupBy(_.label).map { case (k, v) => k -> v.size }
    counts.map { case (k, n) => k -> math.sqrt(rows.size.toDouble / (classes.size * n)) }
  }

  def fit(spark: SparkSession, rows: Seq[LabelledRecord], classes: Vector[String], seed: Long): PipelineModel = {
    require(rows.nonEmpty, "no usage records to train on")
    val weight = weights(rows, classes)
    LearnedModels.fitForest(spark, FraudFeatures.names, rows.map(r => TrainingRow(classes.indexOf(r.label).toDouble, weight(r.label), r.features)),
      numTrees, maxDepth, seed)
  }

  /**
   * Loads the fraud model of a model folder written by TrainApp. Fails with a message naming the folder when it has
   * none, or when its features are not the ones this build computes.
   */
  def load(spark: SparkSession, folder: String): FraudScorer = {
    val loaded = LearnedModels.loadForest(folder, PipelineDir, TrainingFile, FraudFeatures.names, "fraud",
      "no fraud model trained by `telcobench train`")
    new FraudScorer(loaded.forest, loaded.classes, Detector, minProbability, cooldownMs)
  }
}

/** Per-subscriber state of the learned fraud detector: its features' state and its last alert time per kind. */
final case class MlSubscriberState(features: UsageFeatureState, lastAlert: Map[String, Long])

object MlSubscriberState {
  val empty: MlSubscriberState = MlSubscriberState(UsageFeatureState.empty, Map.empty)
}

/**
 * The fraud query's per-key state when a fraud model is loaded: the rules' state and, on subscriber keys, the
 * model's (None on line, device and number keys, which the model does not score).
 */
final case class FraudModelKeyState(rule: FraudKeyState, ml: Option[MlSubscriberState])

/**
 * Scores one subscriber's records with the fraud model: a feature vector per new record, its most probable class,
 * and an alert (detector `ml:fraud-rf`, entity the IMSI) when that is a fraud kind with at least the scorer's
 * probability, at most one per kind per cooldown: one per episode. The alert's window spans the hour of records
 * behind the vector. Pure but for the forest's arithmetic.
 */
object MlFraud {
  def step(subscriber: String, previous: MlSubscriberState, facts: Seq[UsageFact], scorer: FraudScorer): (MlSubscriberState, Vector[Alert]) = {
    val (features, rows) = FraudFeatures.step(subscriber, previous.features, facts)
    val alerts = Vector.newBuilder[Alert]
    var lastAlert = previous.lastAlert
    rows.foreach { r =>
      val (predicted, probability) = scorer.classify(r.features)
      val now = r.fact.eventTime
      if (predicted != FraudLabels.None && probability >= scorer.minProbability &&
        !lastAlert.get(predicted).exists(t => now - t < scorer.cooldownMs)) {
        val evidence = r.window.takeRight(50)
        alerts += Alert(predicted, "subscriber", subscriber, evidence.map(_.eventTime).min, now, probability,
          evidence.map(_.evidence), scorer.detector)
        lastAlert = lastAlert.updated(predicted, now)
      }
    }
    (MlSubscriberState(features, lastAlert), alerts.result())
  }
}
