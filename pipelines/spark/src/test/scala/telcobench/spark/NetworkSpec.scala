package telcobench.spark

import org.scalatest.funsuite.AnyFunSuite

import Fixtures._

class NetworkSpec extends AnyFunSuite {
  private val P = 900000L
  private val s = NetworkSettings()

  private def normal(cell: String, from: Int, to: Int): Seq[Event] =
    (from until to).map(i => pm(s"$cell-$i", cell, T0 + i * P, 200 + (i % 3) * 10, 198 + (i % 3) * 10))

  test("SLEEPING_CELL: traffic collapses against the cell's own baseline, no alarm") {
    val quiet = (8 until 11).map(i => pm(s"q$i", "c1", T0 + i * P, 2, 2))
    val (_, alerts) = Network.step("c1", CellState.empty, normal("c1", 0, 8) ++ quiet, s)
    assert(alerts.map(_.kind) == Vector("SLEEPING_CELL"))
    val a = alerts.head
    assert(a.entityType == "cell" && a.entity == "c1" && a.windowStart == T0 + 8 * P)
    assert(a.evidence.map(_.id) == List("q8", "q9"))
    assert(a.maxEmitNs == (T0 + 9 * P) * 10)
    assert(a.alertId == s"net-SLEEPING_CELL-c1-${T0 + 8 * P}")
  }

  test("SLEEPING_CELL after two learned periods: a 2-hour run whose cell falls asleep at 30 min alerts at 60 min") {
    val periods = Seq(60L, 58L, 0L, 0L, 0L, 0L, 62L, 69L)
    val (_, alerts) = Network.step("c5", CellState.empty, periods.zipWithIndex.map { case (att, i) =>
      pm(s"k$i", "c5", T0 + i * P, att, att) }, s)
    assert(alerts.map(a => (a.kind, a.windowStart, a.windowEnd)) == Vector(("SLEEPING_CELL", T0 + 2 * P, T0 + 4 * P)))
  }

  test("a cell that is quiet from its first period (at night) is never judged against a baseline it never had") {
    val night = (0 until 8).map(i => pm(s"z$i", "c6", T0 + i * P, if (i < 2) 3 else 0, 0))
    assert(Network.step("c6", CellState.empty, night, s)._2.isEmpty)
  }

  test("the baseline is learned per cell: a small cell at its usual level is not sleeping") {
    val small = (0 until 12).map(i => pm(s"s$i", "c2", T0 + i * P, 12, 12))
    assert(Network.step("c2", CellState.empty, small, s)._2.isEmpty)
  }

  test("no SLEEPING_CELL while an alarm is active on the cell (that is an outage)") {
    val quiet = (8 until 11).map(i => pm(s"q$i", "c1", T0 + i * P, 2, 2))
    val raise = alarm("al", "c1", T0 + 8 * P - 1, "critical")
    val (st, alerts) = Network.step("c1", CellState.empty, normal("c1", 0, 8) ++ quiet :+ raise, s)
    assert(alerts.isEmpty)
    assert(st.activeAlarms == List("a-c1"))
  }

  test("CONGESTION: PRB use above the threshold for consecutive periods, one alert per episode") {
    val busy = (4 until 9).map(i => pm(s"b$i", "c3", T0 + i * P, 300, 299, prbUsed = 92))
    val (_, alerts) = Network.step("c3", CellState.empty, normal("c3", 0, 4) ++ busy, s)
    assert(alerts.map(_.kind) == Vector("CONGESTION"))
    assert(alerts.head.score >= 0.9)
  }

  test("KPI_DEGRADATION: setup success falls well below the learned level") {
    val bad = (6 until 8).map(i => pm(s"k$i", "c4", T0 + i * P, 200, 120))
    val (_, alerts) = Network.step("c4", CellState.empty, normal("c4", 0, 6) ++ bad, s)
    assert(alerts.map(_.kind) == Vector("KPI_DEGRADATION"))
    assert(alerts.head.evidence.map(_.id) == List("k6", "k7"))
  }

  test("a congested cell that fails setups raises CONGESTION only: the failures are the congestion's") {
    val full = (6 until 9).map(i => pm(s"f$i", "c7", T0 + i * P, 260, 190, prbUsed = 95))
    val (_, alerts) = Network.step("c7", CellState.empty, normal("c7", 0, 6) ++ full, s)
    assert(alerts.map(_.kind) == Vector("CONGESTION"))
  }

  test("results do not depend on how the periods are split into batches") {
    val all = normal("c1", 0, 8) ++ (8 until 11).map(i => pm(s"q$i", "c1", T0 + i * P, 2, 2))
    val whole = Network.step("c1", CellState.empty, all, s)._2
    var st = CellState.empty
    val pieces = all.grouped(3).toVector.flatMap { g =>
      val (n, a) = Network.step("c1", st, g, s)
      st = n
      a
    }
    assert(pieces == whole)
  }
}
