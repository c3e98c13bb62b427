package telcobench.spark

import java.nio.file.Files

import org.scalatest.funsuite.AnyFunSuite

import Fixtures._

/** The learned network detector: feature extraction, labels, fit-save-load and scoring (docs/ml.md). */
class NetworkModelSpec extends AnyFunSuite with LocalSparkSession {
  private val P = 900000L
  override protected val sessionName: String = "telcobench-model-spec"

  private def index(name: String): Int = NetworkFeatures.names.indexOf(name)

  test("features: KPIs as ratios, deltas against the previous period, traffic against the cell's own mean") {
    val events = Seq(pm("f0", "c1", T0, 200, 198), pm("f1", "c1", T0 + P, 100, 90, prbUsed = 60, erabRelAbn = 9))
    val (st, rows) = NetworkFeatures.step("c1", FeatureState.empty, events)
    assert(rows.map(_.periodStart) == Vector(T0, T0 + P))
    val first = rows(0).features
    val second = rows(1).features
    assert(first.length == NetworkFeatures.names.size)
    assert(first(index("traffic_vs_mean")) == 1.0)
    assert(first(index("traffic_delta")) == 0.0 && first(index("periods_seen")) == 0.0)
    assert(math.abs(second(index("traffic_vs_mean")) - 0.5) < 1e-9)
    assert(math.abs(second(index("fail_ratio")) - (1.0 - 0.9 * 1.0)) < 1e-9)
    assert(math.abs(second(index("drop_ratio")) - 0.1) < 1e-9)
    assert(math.abs(second(index("prb_delta")) - 0.3) < 1e-9)
    assert(second(index("periods_seen")) == 1.0)
    assert(rows(1).periodEnd == T0 + 2 * P && rows(1).evidence.id == "f1")
    assert(st.periods == 2 && st.lastPeriod == T0 + P)
  }

  test("features: alarm raises count into the PM period they fall in, also when the alarm comes after its PM record") {
    val raises = (0 until 4).map(i => alarm(s"a$i", "c1", T0 + P + 1000L * (i + 1), "major")) :+
      alarm("clear", "c1", T0 + P + 9000L, "cleared")
    val pms = Seq(pm("p0", "c1", T0, 200, 200), pm("p1", "c1", T0 + P, 200, 200), pm("p2", "c1", T0 + 2 * P, 200, 200))
    // PM records first in the batch: the period-end ordering still counts the alarms into period 1.
    val (_, rows) = NetworkFeatures.step("c1", FeatureState.empty, pms ++ raises)
    val perHour = rows.map(_.features(index("alarm_raises_per_hour")))
    assert(perHour == Vector(0.0, 4 * 3600000.0 / P, 0.0))
    // Split over two micro-batches: the same features.
    val (st, firstHalf) = NetworkFeatures.step("c1", FeatureState.empty, pms.take(1) ++ raises)
    val (_, secondHalf) = NetworkFeatures.step("c1", st, pms.drop(1))
    assert((firstHalf ++ secondHalf).map(_.features.toSeq) == rows.map(_.features.toSeq))
  }

  test("labels: a period takes the kind of a truth window on its cell that overlaps it") {
    val w = Seq(AnomalyWindow("SLEEPING_CELL", "c1", T0 + P + 1, T0 + 3 * P))
    assert(NetworkLabels.of("c1", T0, T0 + P, w) == NetworkLabels.None)
    assert(NetworkLabels.of("c1", T0 + P, T0 + 2 * P, w) == "SLEEPING_CELL")
    assert(NetworkLabels.of("c2", T0 + P, T0 + 2 * P, w) == NetworkLabels.None)
    assert(NetworkLabels.of("c1", T0 + 3 * P, T0 + 4 * P, w) == NetworkLabels.None)
  }

  /** Ten cells of a day's normal periods; cells 0-2 fall asleep (no traffic) for periods 20-27. */
  private def history(sleepy: Set[Int], cellPrefix: String): (Vector[Event], Vector[AnomalyWindow]) = {
    val events = for (c <- 0 until 10; i <- 0 until 40) yield {
      val cell = s"$cellPrefix$c"
      val asleep = sleepy.contains(c) && i >= 20 && i < 28
      val att = if (asleep) 0L else 180L + (i * 7 + c * 13) % 40
      pm(s"$cell-$i", cell, T0 + i * P, att, if (asleep) 0L else att - 1)
    }
    val windows = sleepy.toVector.map(c => AnomalyWindow("SLEEPING_CELL", s"$cellPrefix$c", T0 + 20 * P, T0 + 28 * P))
    (events.toVector, windows)
  }

  test("train, save and load: the loaded model scores unseen cells and alerts once per episode as ml:network-rf") {
    val (events, windows) = history(Set(0, 1, 2), "t")
    val rows = TrainApp.labelled(spark, events, windows)
    assert(rows.size == 400 && rows.count(_.label == "SLEEPING_CELL") == 24)
    val classes = NetworkModel.classesOf(rows)
    assert(classes == Vector("NONE", "SLEEPING_CELL"))
    val folder = dir.resolve("model").toString
    assert(TrainApp.train(spark, writeHistory(dir, events), writeAnomalies(dir, windows), folder, 7L) == 0)
    val training = Json.parse(new String(Files.readAllBytes(dir.resolve("model").resolve(NetworkModel.TrainingFile))))
    assert(Json.stringList(training, "classes") == List("NONE", "SLEEPING_CELL"))
    assert(training.get("classCounts").get("SLEEPING_CELL").asInt() == 24)
    assert(Files.exists(dir.resolve("model").resolve("network-history.csv")))

    val scorer = NetworkModel.load(spark, folder)
    assert(scorer.classes == classes && scorer.detector == "ml:network-rf")
    // Other cells, another sleeping episode: the model has not seen them.
    val (unseen, _) = history(Set(7), "e")
    // TrainApp fits the outage forecaster too (ForecastModelSpec): its alerts are not the forest's.
    val (_, all) = MlNetwork.step("e7", MlCellState.empty, unseen.filter(_.cell == "e7"), scorer)
    val alerts = all.filter(_.detector == "ml:network-rf")
    assert(alerts.map(a => (a.kind, a.detector, a.windowStart)) == Vector(("SLEEPING_CELL", "ml:network-rf", T0 + 20 * P)))
    assert(alerts.head.alertId == s"net-ml-network-rf-SLEEPING_CELL-e7-${T0 + 20 * P}")
    assert(Output.alertNode(alerts.head).get("detector").asText() == "ml:network-rf")
    val (_, quiet) = MlNetwork.step("e3", MlCellState.empty, unseen.filter(_.cell == "e3"), scorer)
    assert(quiet.isEmpty)
  }

  test("load refuses a folder that is not a model folder, naming it") {
    val e = intercept[IllegalArgumentException](NetworkModel.load(spark, dir.toString))
    assert(e.getMessage.contains(dir.toString) && e.getMessage.contains("telcobench train"))
  }
}
