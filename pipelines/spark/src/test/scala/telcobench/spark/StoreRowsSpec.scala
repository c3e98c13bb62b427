package telcobench.spark

import java.time.LocalDate

import org.scalatest.funsuite.AnyFunSuite

import Fixtures._

class StoreRowsSpec extends AnyFunSuite {
  private def billsOf(batches: Seq[(Long, Seq[OutRow])]): Map[String, (Long, BillRow)] = {
    // What Cassandra keeps for a bill: per primary key the write with the highest timestamp (ties: same value).
    batches.flatMap { case (batchId, rows) => StoreRows.writes(rows, batchId) }.collect { case b: BillRow => b }
      .foldLeft(Map.empty[String, (Long, BillRow)]) { (store, b) =>
        store.get(b.subscriber) match {
          case Some((ts, _)) if ts > b.writeTimestamp => store
          case _ => store.updated(b.subscriber, (b.writeTimestamp, b))
        }
      }
  }

  test("a rated record maps to its rated_usage row, keyed by subscriber, UTC day of its event time and id") {
    val (_, out) = Billing.step(Sub, BillState.empty, Seq(voice("a", T0, "353861234567", 61)), 0L, settings)
    val rows = StoreRows.writes(out, 7L)
    val rated = rows.collect { case r: RatedUsageRow => r }
    assert(rated.size == 1)
    val r = rated.head
    assert(r.subscriber == Sub && r.id == "a" && r.chargeSubunits == 3000 && r.billedUnits == 120 && r.typ == "voice")
    assert(r.eventTime == T0 + 61000 && r.emitNs == T0 * 10)
    assert(r.day == StoreRows.day(T0 + 61000))
    assert(StoreRows.day(1767571200000L) == LocalDate.of(2026, 1, 5) && StoreRows.day(1767571199999L) == LocalDate.of(2026, 1, 4))
  }

  test("a bill is written whole with the micro-batch id as its write timestamp") {
    val (_, out) = Billing.step(Sub, BillState.empty, Seq(voice("a", T0, "353861234567", 61), sms("b", T0 + 1000, "353861234567")), 0L, settings)
    val bills = StoreRows.writes(out, 0L).collect { case b: BillRow => b }
    assert(bills == Vector(BillRow(Sub, 2, 3500, T0 + 61000, (T0 + 1000) * 10, 1L)))
    assert(StoreRows.billTimestamp(41L) == 42L)
    assertThrows[IllegalArgumentException](StoreRows.billTimestamp(-1L))
  }

  test("replaying a micro-batch (at-least-once) leaves the store's bill and rated rows as one write would") {
    val a = voice("a", T0, "353861234567", 61)
    val b = sms("b", T0 + 1000, "353861234567")
    val c = data("c", T0 + 5000, 1500000)
    val (s1, out1) = Billing.step(Sub, BillState.empty, Seq(a, b), 0L, settings)
    val (_, out2) = Billing.step(Sub, s1, Seq(c), 0L, settings)
    val once = Seq(0L -> out1, 1L -> out2)
    // A driver killed after writing batch 1 to the store but before Spark committed it runs batch 1 again from the
    // state of batch 0: the same rows, the same batch id.
    val (_, replayed) = Billing.step(Sub, s1, Seq(c), 0L, settings)
    val twice = once :+ (1L -> replayed)
    assert(billsOf(twice) == billsOf(once))
    assert(billsOf(twice)(Sub)._2.chargeSubunits == 3650)
    val keys = (rows: Seq[(Long, Seq[OutRow])]) => rows.flatMap { case (id, r) => StoreRows.writes(r, id) }.collect { case r: RatedUsageRow => (r.subscriber, r.day, r.id) }.toSet
    assert(keys(twice) == keys(once) && keys(once).size == 3)
  }

  test("an older batch's bill written late cannot replace a newer one") {
    val (s1, out1) = Billing.step(Sub, BillState.empty, Seq(sms("b", T0, "353861234567")), 0L, settings)
    val (_, out2) = Billing.step(Sub, s1, Seq(sms("d", T0 + 1000, "353861234567")), 0L, settings)
    assert(billsOf(Seq(1L -> out2, 0L -> out1))(Sub)._2.chargeSubunits == 1000)
  }

  test("alerts and PM periods map to their rows; dlq records and kpi rows are told apart for Kafka") {
    val e = pm("p1", "c1", T0, 100, 99)
    val kpi = Output.kpi(e)
    assert(!StoreRows.isForKafka(kpi))
    val k = StoreRows.fromOutRow(kpi, 0L).collect { case k: KpiRow => k }.get
    assert(k.cell == "c1" && k.periodStart == T0 && k.rrcAttempts == 100 && k.rrcSuccesses == 99)
    val alert = Alert("SIMBOX", "subscriber", Sub, T0, T0 + 60000, 0.9, List(Evidence("x", T0, 5L), Evidence("y", T0, 9L)))
    val row = Output.alert(alert)
    assert(StoreRows.isForKafka(row))
    assert(StoreRows.fromOutRow(row, 3L).contains(AlertRow("SIMBOX", T0 + 60000, alert.alertId, "subscriber", Sub, T0, 0.9, List("x", "y"), 9L)))
    assert(StoreRows.fromOutRow(Output.dlq(e, "late", "x"), 0L).isEmpty)
  }
}
