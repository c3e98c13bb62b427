package telcobench.spark

import java.nio.file.Files

import org.scalatest.funsuite.AnyFunSuite

import Fixtures._

/** The outage forecaster: its labels, fit-save-load through TrainApp, and its alerts in the per-cell step (docs/ml.md). */
class ForecastModelSpec extends AnyFunSuite with LocalSparkSession {
  private val P = 900000L
  override protected val sessionName: String = "telcobench-forecast-spec"

  test("labels: ahead when a forecastable outage starts after the period's end and within H periods; inside an anomaly left out") {
    val start = T0 + 20 * P
    val w = Seq(AnomalyWindow("CONGESTION", "c1", start, start + 4 * P), AnomalyWindow("ALARM_STORM", "c2", start, start + 2 * P))
    def label(cell: String, i: Int): Option[String] = ForecastLabels.of(cell, T0 + i * P, T0 + (i + 1) * P, w)
    // Period 13 ends at 14·P: 6 periods ahead is exactly the horizon. Period 19 ends at the start: left out.
    assert((12 to 25).map(i => label("c1", i)) ==
      Seq(Some("NONE"), Some("OUTAGE_AHEAD"), Some("OUTAGE_AHEAD"), Some("OUTAGE_AHEAD"), Some("OUTAGE_AHEAD"), Some("OUTAGE_AHEAD"),
        Some("OUTAGE_AHEAD"), None, None, None, None, None, Some("NONE"), Some("NONE")))
    // A storm is not forecast: no period before it is ahead, but the periods inside it are left out too.
    assert(label("c2", 15) == Some("NONE") && label("c2", 20) == None)
    assert(label("c3", 15) == Some("NONE"))
    assert(ForecastLabels.horizonPeriods == 6)
  }

  /**
   * Ten cells of normal periods; the warned cells show a precursor (abnormal releases and alarm raises growing
   * over the 6 periods before period 24) and then sleep (no traffic) for periods 24-31.
   */
  private def history(warned: Set[Int], cellPrefix: String): (Vector[Event], Vector[AnomalyWindow]) = {
    val events = for (c <- 0 until 10; i <- 0 until 44) yield {
      val cell = s"$cellPrefix$c"
      val asleep = warned.contains(c) && i >= 24 && i < 32
      val warning = if (warned.contains(c) && i >= 18 && i < 24) i - 17 else 0
      val att = if (asleep) 0L else 180L + (i * 7 + c * 13) % 40
      val pmRecord = pm(s"$cell-$i", cell, T0 + i * P, att, if (asleep) 0L else att - 1, erabRelAbn = if (asleep) 0L else 1L + 4L * warning)
      val alarms = (0 until warning).map(k => alarm(s"$cell-$i-w$k", cell, T0 + i * P + 1000L * (k + 1), "minor"))
      pmRecord +: alarms
    }
    val windows = warned.toVector.map(c => AnomalyWindow("SLEEPING_CELL", s"$cellPrefix$c", T0 + 24 * P, T0 + 32 * P))
    (events.flatten.toVector, windows)
  }

  test("TrainApp fits the forecaster beside the forest; loaded, it forecasts an unseen warned cell once, before the start, as ml:forecast-gbt") {
    val (events, windows) = history(Set(0, 1, 2), "t")
    val folder = dir.resolve("model")
    assert(TrainApp.train(spark, writeHistory(dir, events), writeAnomalies(dir, windows), folder.toString, 7L) == 0)
    val training = Json.parse(new String(Files.readAllBytes(folder.resolve(ForecastModel.TrainingFile)), "UTF-8"))
    assert(training.get("horizonPeriods").asInt() == 6 && training.get("granularitySec").asInt() == 900)
    // 3 warned cells x 6 periods ahead; each leaves out its 8 asleep periods and the one ending at the start.
    assert(training.get("classCounts").get("OUTAGE_AHEAD").asInt() == 18)
    assert(training.get("leftOut").asInt() == 27 && training.get("rows").asInt() == 440 - 27)

    val scorer = NetworkModel.load(spark, folder.toString)
    assert(scorer.forecast.map(_.detector) == Some("ml:forecast-gbt"))
    val (unseen, _) = history(Set(7), "e")
    val (_, alerts) = MlNetwork.step("e7", MlCellState.empty, unseen.filter(_.cell == "e7"), scorer)
    val forecasts = alerts.filter(_.kind == "OUTAGE_FORECAST")
    assert(forecasts.size == 1)
    val f = forecasts.head
    assert(f.detector == "ml:forecast-gbt" && f.entity == "e7" && f.windowEnd == f.windowStart + P)
    assert(f.windowEnd >= T0 + 18 * P && f.windowEnd < T0 + 24 * P)
    assert(f.alertId == s"net-ml-forecast-gbt-OUTAGE_FORECAST-e7-${f.windowStart}")
    // The forest's own alert for the sleeping cell is still there.
    assert(alerts.exists(a => a.kind == "SLEEPING_CELL" && a.detector == "ml:network-rf"))
    val (_, quiet) = MlNetwork.step("e3", MlCellState.empty, unseen.filter(_.cell == "e3"), scorer)
    assert(quiet.isEmpty)

    // An episode spread over micro-batches still alerts once.
    val e7 = unseen.filter(_.cell == "e7").sortBy(_.eventTime)
    val (half, firstAlerts) = MlNetwork.step("e7", MlCellState.empty, e7.filter(_.eventTime < T0 + 22 * P), scorer)
    val (_, restAlerts) = MlNetwork.step("e7", half, e7.filter(_.eventTime >= T0 + 22 * P), scorer)
    assert((firstAlerts ++ restAlerts).count(_.kind == "OUTAGE_FORECAST") == 1)

    // A folder trained before forecasting existed (no forecast-training.json) loads with the forecaster off.
    Files.delete(folder.resolve(ForecastModel.TrainingFile))
    val old = NetworkModel.load(spark, folder.toString)
    assert(old.forecast.isEmpty)
    val (oldState, oldAlerts) = MlNetwork.step("e7", MlCellState.empty, unseen.filter(_.cell == "e7"), old)
    assert(!oldAlerts.exists(_.kind == "OUTAGE_FORECAST") && !oldState.forecasting)
  }
}
