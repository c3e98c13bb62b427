package telcobench.spark

import org.scalatest.funsuite.AnyFunSuite

import Fixtures._

class BillingSpec extends AnyFunSuite {
  private def topics(out: Seq[OutRow]): Seq[String] = out.map(_.topic)

  test("rates every record, keeps running totals and writes one bill per batch") {
    val a = voice("a", T0, "353861234567", 61) // 3000
    val b = sms("b", T0 + 1000, "353861234567") // 500
    val (s1, out1) = Billing.step(Sub, BillState.empty, Seq(a, b), 0L, settings)
    assert(topics(out1) == Seq("rated", "rated", "bills"))
    val bill = Json.parse(out1.last.value)
    assert(bill.get("records").asLong() == 2 && bill.get("chargeSubunits").asLong() == 3500)
    assert(bill.get("maxEmitNs").asLong() == (T0 + 1000) * 10)
    val rated = Json.parse(out1.head.value)
    assert(rated.get("id").asText() == "a" && rated.get("chargeSubunits").asLong() == 3000 && rated.get("billedUnits").asLong() == 120)
    assert(rated.get("emitNs").asLong() == T0 * 10 && rated.get("eventTime").asLong() == T0 + 61000)
    val (s2, out2) = Billing.step(Sub, s1, Seq(data("c", T0 + 5000, 1500000)), 0L, settings)
    assert(Json.parse(out2.last.value).get("chargeSubunits").asLong() == 3650)
    assert(s2.records == 3)
  }

  test("a repeated id is rated once, within a batch and across batches") {
    val a = voice("a", T0, "353861234567", 10)
    val (s1, out1) = Billing.step(Sub, BillState.empty, Seq(a, a.copy(offset = a.offset + 100)), 0L, settings)
    assert(topics(out1) == Seq("rated", "bills"))
    val (s2, out2) = Billing.step(Sub, s1, Seq(a.copy(offset = a.offset + 200)), T0, settings)
    assert(out2.isEmpty)
    assert(s2.records == 1)
  }

  test("records later than lateThresholdMs behind the watermark go to dlq as late, not rated") {
    val watermark = T0 + 10L * 3600000L
    val late = voice("late", T0, "353861234567", 10)
    val onTime = voice("ok", watermark - 3600000L, "353861234567", 10)
    val (s, out) = Billing.step(Sub, BillState.empty, Seq(late, onTime), watermark, settings)
    assert(topics(out) == Seq("dlq", "rated", "bills"))
    assert(Json.parse(out.head.value).get("reason").asText() == "late")
    assert(s.records == 1)
  }

  test("ids are forgotten only once no copy of them could still be accepted") {
    val a = voice("a", T0, "353861234567", 10)
    val (s1, _) = Billing.step(Sub, BillState.empty, Seq(a), 0L, settings)
    val wmKeep = a.eventTime + settings.lateThresholdMs
    val (s2, _) = Billing.step(Sub, s1, Nil, wmKeep, settings)
    assert(s2.seen.contains("a"))
    val (s3, _) = Billing.step(Sub, s1, Nil, wmKeep + 1, settings)
    assert(!s3.seen.contains("a"))
  }
}

class RealTimeSplitSpec extends AnyFunSuite {
  test("in real-time mode the billing query keeps bills and late reports only") {
    val watermark = T0 + 10L * 3600000L
    val events = Seq(voice("late", T0, "353861234567", 10), voice("ok", watermark, "353861234567", 10), parse("cdr", "{bad"))
    val (_, out) = Billing.step(Sub, BillState.empty, events, watermark, settings)
    assert(out.filter(StreamingApp.isBillOrLate).map(r => (r.topic, Json.parse(r.value).path("reason").asText(""))) ==
      Vector(("dlq", "late"), ("bills", "")))
  }
}
