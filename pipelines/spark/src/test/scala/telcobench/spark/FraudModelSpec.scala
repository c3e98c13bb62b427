package telcobench.spark

import java.nio.charset.StandardCharsets
import java.nio.file.Files

import org.scalatest.funsuite.AnyFunSuite

import Fixtures._

/** The learned fraud detector: per-subscriber features, labels, fit-save-load and scoring (docs/ml.md "Fraud model"). */
class FraudModelSpec extends AnyFunSuite with LocalSparkSession {
  private val M = 60000L
  override protected val sessionName: String = "telcobench-fraud-model-spec"

  private def index(name: String): Int = FraudFeatures.names.indexOf(name)
  private def facts(events: Seq[Event]): Vector[UsageFact] = events.map(e => Fraud.fact(e, spec)).toVector

  test("features: call counts, distinct numbers, international and premium calls, duration profile, line load") {
    val events = Seq(
      voice("a", T0, "353861234560", 120),
      voice("b", T0 + 5 * M, "4420712345", 300),
      voice("c", T0 + 10 * M, "4420712345", 3),
      sms("d", T0 + 11 * M, "353861234567"),
      voice("e", T0 + 12 * M, "88213123456", 60))
    val (st, rows) = FraudFeatures.step(Sub, UsageFeatureState.empty, facts(events))
    assert(rows.size == 5 && st.records == 5)
    val last = rows.last.features
    assert(last.length == FraudFeatures.names.size)
    assert(last(index("records_1h")) == 5.0 && last(index("calls_1h")) == 4.0)
    assert(last(index("voice_share_1h")) == 0.8)
    assert(last(index("distinct_numbers_ratio_1h")) == 0.75)
    assert(last(index("intl_share_1h")) == 0.5 && last(index("premium_calls_1h")) == 1.0)
    assert(last(index("short_call_share_1h")) == 0.25)
    assert(last(index("mean_call_s_1h")) == (120 + 300 + 3 + 60) / 4.0 && last(index("max_call_s_1h")) == 300.0)
    assert(math.abs(last(index("erlangs_1h")) - 483.0 / 3600.0) < 1e-12)
    assert(last(index("max_concurrent_1h")) == 1.0)
    assert(last(index("this_premium")) == 1.0 && last(index("this_intl")) == 0.0 && last(index("this_call_s")) == 60.0)
    assert(math.abs(last(index("history_log")) - math.log10(5.0)) < 1e-12)
    assert(rows(3).features(index("this_call_s")) == 0.0) // the SMS
  }

  test("features: an hour window of event time, duplicates skipped, a new IMEI counted, the same over any batch split") {
    val events = Seq(
      voice("a", T0, "353861234560", 60),
      voice("b", T0 + 30 * M, "353861234561", 60),
      voice("b", T0 + 30 * M, "353861234561", 60), // an exact duplicate
      voice("c", T0 + 70 * M, "353861234562", 60, imei = "356938035643809"))
    val all = facts(events)
    val (_, rows) = FraudFeatures.step(Sub, UsageFeatureState.empty, all)
    assert(rows.map(_.fact.id) == Vector("a", "b", "c"))
    val c = rows.last.features
    // "a" ended at T0 + 1 min, more than an hour before "c" ended: out of the window.
    assert(c(index("calls_1h")) == 2.0)
    assert(c(index("new_imei")) == 1.0 && c(index("imei_changes")) == 1.0 && c(index("imeis_1h")) == 2.0)
    assert(rows.head.features(index("new_imei")) == 0.0)
    val (st, first) = FraudFeatures.step(Sub, UsageFeatureState.empty, all.take(2))
    val (_, second) = FraudFeatures.step(Sub, st, all.drop(2))
    assert((first ++ second).map(_.features.toSeq) == rows.map(_.features.toSeq))
  }

  test("labels: a subscriber's own fraud window; a WANGIRI caller once its hour holds the callback; hard negatives are NONE") {
    val labels = Seq(
      FraudLabel("subscriber", Sub, "IRSF", fraud = true, T0, T0 + 60 * M, Nil),
      FraudLabel("number", "88213000001", "WANGIRI", fraud = true, T0, T0 + 120 * M, List("001010000000002")),
      FraudLabel("subscriber", "001010000000003", "HEAVY_INTERNATIONAL", fraud = false, T0, T0 + 120 * M, Nil))
    val own = Fraud.fact(voice("a", T0 + 10 * M, "88213999999", 60), spec)
    assert(FraudLabels.of(Sub, own, Seq(own), labels) == "IRSF")
    val late = Fraud.fact(voice("b", T0 + 70 * M, "88213999999", 60), spec)
    assert(FraudLabels.of(Sub, late, Seq(late), labels) == FraudLabels.None)
    val caller = "001010000000002"
    val before = Fraud.fact(voice("c", T0 + 5 * M, "353861234560", 60, sub = caller), spec)
    val callback = Fraud.fact(voice("d", T0 + 20 * M, "88213000001", 90, sub = caller), spec)
    val after = Fraud.fact(voice("e", T0 + 30 * M, "353861234561", 60, sub = caller), spec)
    assert(FraudLabels.of(caller, before, Seq(before), labels) == FraudLabels.None)
    assert(FraudLabels.of(caller, callback, Seq(before, callback), labels) == "WANGIRI")
    assert(FraudLabels.of(caller, after, Seq(before, callback, after), labels) == "WANGIRI")
    val heavy = Fraud.fact(voice("f", T0 + 5 * M, "4420712345", 600, sub = "001010000000003"), spec)
    assert(FraudLabels.of("001010000000003", heavy, Seq(heavy), labels) == FraudLabels.None)
  }

  test("labels are read from the truth, times with a fraction of a millisecond widened to whole ones") {
    val file = dir.resolve("fractional-label.jsonl")
    Files.write(file, (s"""{"entityType":"number","entity":"88213000001","kind":"WANGIRI","fraud":true,"start":$T0.25,"end":${T0 + M}.5,""" +
      """"details":{"rung":40,"callers":["001010000000002"]}}""").getBytes(StandardCharsets.UTF_8))
    assert(FraudLabels.read(file.toString) ==
      Vector(FraudLabel("number", "88213000001", "WANGIRI", fraud = true, T0, T0 + M + 1, List("001010000000002"))))
  }

  private def sub(i: Int): String = f"00101000001$i%04d"

  /** 60 subscribers over 4 hours: national calls every 20 minutes; the pumped ones call premium numbers at once. */
  private def history(pumped: Set[Int]): (Vector[Event], Vector[FraudLabel]) = {
    val events = for (i <- 0 until 60; k <- 0 until 12) yield {
      val t = T0 + k * 20 * M + i * 1000L
      if (pumped.contains(i) && k >= 6) voice(s"p$i-$k", t, f"88213$i%03d$k%03d", 900, sub = sub(i))
      else voice(s"n$i-$k", t, f"3538612$i%03d$k%02d", 60 + (i * 7 + k * 11) % 120, sub = sub(i))
    }
    val pumpStart = T0 + 6 * 20 * M
    val labels = pumped.toVector.map(i => FraudLabel("subscriber", sub(i), "IRSF", fraud = true, pumpStart, T0 + 4 * 60 * M, Nil))
    (events.toVector, labels)
  }

  test("train, save and load: the loaded model scores unseen subscribers and alerts once per episode as ml:fraud-rf") {
    val (events, labels) = history(Set(0, 1, 2, 3, 4, 5))
    val labelsFile = dir.resolve("label.jsonl")
    Files.write(labelsFile, labels.map { l =>
      val o = Json.obj()
      o.put("entityType", l.entityType).put("entity", l.entity).put("kind", l.kind).put("fraud", l.fraud)
        .put("start", l.start).put("end", l.end)
      Json.write(o)
    }.mkString("\n").getBytes(StandardCharsets.UTF_8))
    val specFile = dir.resolve("rating-spec.json")
    Files.write(specFile, Json.write(vectors.get("specs").get("default")).getBytes(StandardCharsets.UTF_8))

    val rows = TrainApp.labelledUsage(spark, events, spec, labels)
    assert(rows.size == 720 && rows.count(_.label == "IRSF") == 36)
    val folder = dir.resolve("model").toString
    Files.createDirectories(dir.resolve("model"))
    TrainApp.trainFraud(spark, events, FraudTrainingInput(labelsFile.toString, specFile.toString), folder, 7L)
    val training = Json.parse(new String(Files.readAllBytes(dir.resolve("model").resolve(FraudModel.TrainingFile)), StandardCharsets.UTF_8))
    assert(Json.stringList(training, "classes") == List("NONE", "IRSF"))
    assert(training.get("classCounts").get("IRSF").asInt() == 36)
    assert(Json.stringList(training, "fraudEntities") == (0 until 6).map(sub).toList)
    assert(Files.exists(dir.resolve("model").resolve("fraud-history.csv")))

    val scorer = FraudModel.load(spark, folder)
    assert(scorer.classes == Vector("NONE", "IRSF") && scorer.detector == "ml:fraud-rf")
    // Other subscribers: one pumped (40), one normal (41).
    val (unseen, _) = history(Set(40))
    def own(i: Int): Vector[UsageFact] = facts(unseen.filter(_.subscriber == sub(i)))
    val (_, alerts) = MlFraud.step(sub(40), MlSubscriberState.empty, own(40), scorer)
    assert(alerts.map(a => (a.kind, a.detector, a.entityType, a.entity)) == Vector(("IRSF", "ml:fraud-rf", "subscriber", sub(40))))
    assert(alerts.head.windowEnd >= T0 + 6 * 20 * M)
    assert(Output.alertNode(alerts.head).get("detector").asText() == "ml:fraud-rf")
    // Split over micro-batches: still one alert for the episode.
    val (st, a1) = MlFraud.step(sub(40), MlSubscriberState.empty, own(40).take(8), scorer)
    val (_, a2) = MlFraud.step(sub(40), st, own(40).drop(8), scorer)
    assert((a1 ++ a2).size == 1)
    val (_, quiet) = MlFraud.step(sub(41), MlSubscriberState.empty, own(41), scorer)
    assert(quiet.isEmpty)
  }

  test("load refuses a folder without a fraud model, naming it") {
    val e = intercept[IllegalArgumentException](FraudModel.load(spark, dir.toString))
    assert(e.getMessage.contains(dir.toString) && e.getMessage.contains(FraudModel.TrainingFile))
  }
}
