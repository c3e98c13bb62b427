package telcobench.spark

import java.nio.charset.StandardCharsets
import java.nio.file.{Files, Paths}

import org.apache.spark.ml.{Pipeline, PipelineModel, PipelineStage}
import org.apache.spark.ml.classification.{RandomForestClassificationModel, RandomForestClassifier}
import org.apache.spark.ml.feature.VectorAssembler
import org.apache.spark.ml.linalg.Vectors
import org.apache.spark.sql.{DataFrame, Row, SparkSession}
import org.apache.spark.sql.types.{DoubleType, StructField, StructType}

/** One training row of a learned model: its label's index, its weight and its feature vector. */
final case class TrainingRow(label: Double, weight: Double, features: Array[Double])

/** A loaded forest and its classes (index = the forest's label). */
final case class LoadedForest(forest: RandomForestClassificationModel, classes: Vector[String])

/** A scorer built on a forest: the most probable of its classes for a feature vector. */
trait ForestClassifier {
  def forest: RandomForestClassificationModel
  def classes: Vector[String]

  /** The most probable class and its probability. */
  def classify(features: Array[Double]): (String, Double) = LearnedModels.mostProbable(forest, classes, features)
}

/**
 * What the learned models (NetworkModel, FraudModel, ForecastModel) share: the training frame they fit on, the most
 * probable class of a forest, and loading a forest saved by TrainApp with the checks that it is the one this build
 * can feed.
 */
object LearnedModels {
  /** A frame of `label`, `weight` and one column per feature, named `featureNames` in vector order. */
  def trainingFrame(spark: SparkSession, featureNames: Seq[String], rows: Seq[TrainingRow]): DataFrame = {
    val schema = StructType(Seq(StructField("label", DoubleType, nullable = false), StructField("weight", DoubleType, nullable = false)) ++
      featureNames.map(n => StructField(n, DoubleType, nullable = false)))
    val data = rows.map(r => Row.fromSeq(Seq(r.label, r.weight) ++ r.features.toSeq))
    spark.createDataFrame(java.util.Arrays.asList(data: _*), schema)
  }

  /**
   * Writes what a training file says of every model: its features in vector order, its classes (index = label) and
   * the rows of each class.
   */
  def describe(training: com.fasterxml.jackson.databind.node.ObjectNode, features: Seq[String], classes: Seq[String], rowsOf: String => Int): Unit = {
    val f = training.putArray("features")
    features.foreach(n => f.add(n))
    val c = training.putArray("classes")
    classes.foreach(k => c.add(k))
    val counts = training.putObject("classCounts")
    classes.foreach(k => counts.put(k, rowsOf(k)))
  }

  /** Fits a VectorAssembler of `featureNames` and a weighted random forest on `rows`, as one Pipeline. */
  def fitForest(spark: SparkSession, featureNames: Seq[String], rows: Seq[TrainingRow], numTrees: Int, maxDepth: Int, seed: Long): PipelineModel = {
    val assembler = new VectorAssembler().setInputCols(featureNames.toArray).setOutputCol("features")
    val forest = new RandomForestClassifier().setLabelCol("label").setFeaturesCol("features").setWeightCol("weight")
      .setNumTrees(numTrees).setMaxDepth(maxDepth).setSeed(seed)
    new Pipeline().setStages(Array[PipelineStage](assembler, forest)).fit(trainingFrame(spark, featureNames, rows))
  }

  /** The most probable class of one feature vector and its probability. */
  def mostProbable(forest: RandomForestClassificationModel, classes: Vector[String], features: Array[Double]): (String, Double) = {
    val p = forest.predictProbability(Vectors.dense(features))
    var best = 0
    var i = 1
    while (i < p.size) {
      if (p(i) > p(best)) best = i
      i += 1
    }
    (classes(best), p(best))
  }

  /**
   * Loads the forest that TrainApp saved in `<folder>/<pipelineDir>` with `<folder>/<trainingFile>`. Fails with a
   * message naming the folder when the training file is missing (`missing` says what that means), when the model
   * was trained on other features than `featureNames` (another version: train it again), or when the pipeline is not
   * an assembler of those features and a forest of the training file's classes. `what` names the model in messages.
   */
  def loadForest(folder: String, pipelineDir: String, trainingFile: String, featureNames: Seq[String], what: String, missing: String): LoadedForest = {
    val trainingPath = Paths.get(folder, trainingFile)
    require(Files.isRegularFile(trainingPath), s"$folder has no $trainingFile: $missing")
    val training = Json.parse(new String(Files.readAllBytes(trainingPath), StandardCharsets.UTF_8))
    val features = Json.stringList(training, "features")
    require(features == featureNames.toList,
      s"$folder was trained on $what features ${features.mkString(",")}; this build computes ${featureNames.mkString(",")} (train it again)")
    val classes = Json.stringList(training, "classes").toVector
    val model = PipelineModel.load(Paths.get(folder, pipelineDir).toString)
    val assembler = model.stages.collectFirst { case a: VectorAssembler => a }
    require(assembler.exists(_.getInputCols.toList == featureNames.toList), s"$folder/$pipelineDir does not assemble the $what features")
    val forest = model.stages.collectFirst { case f: RandomForestClassificationModel => f }
      .getOrElse(throw new IllegalArgumentException(s"$folder/$pipelineDir has no random forest stage"))
    require(forest.numClasses == classes.size, s"$folder: the $what forest has ${forest.numClasses} classes, $trainingFile names ${classes.size}")
    LoadedForest(forest, classes)
  }
}
