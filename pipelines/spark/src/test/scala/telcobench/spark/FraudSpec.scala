package telcobench.spark

import org.scalatest.funsuite.AnyFunSuite

import Fixtures._

class FraudSpec extends AnyFunSuite {
  private val s = FraudSettings()
  private val M = 60000L

  private def kinds(events: Seq[Event]): Vector[String] =
    Fraud.step(Sub, FraudState.empty, events, spec, s)._2.map(_.kind)

  private def normalDay(from: Long): Seq[Event] =
    (0 until 12).map(i => voice(s"n$i", from + i * 40 * M, s"3538612345${i % 4}0", 120, cell = s"c${i % 3}"))

  test("normal usage raises nothing") {
    assert(kinds(normalDay(T0) :+ sms("s1", T0 + 5 * M, "353861234567") :+ data("d1", T0 + 6 * M, 100000)).isEmpty)
  }

  test("SIMBOX: many short national calls to distinct numbers, one cell, no SMS or data") {
    val calls = (0 until 40).map(i => voice(s"sb$i", T0 + i * 3 * M, f"3538600$i%05d", 70, cell = "c9"))
    val alerts = Fraud.step(Sub, FraudState.empty, calls, spec, s)._2
    assert(alerts.map(_.kind) == Vector("SIMBOX"))
    assert(alerts.head.evidence.size == 30)
    assert(alerts.head.maxEmitNs == calls(29).emitNs)
  }

  test("SIMBOX is not raised for a heavy caller who also uses SMS and data") {
    val text = sms("x", T0, "353861234567")
    val calls = (0 until 40).map(i => voice(s"cc$i", T0 + i * 3 * M, f"3538600$i%05d", 70, cell = "c9"))
    assert(!kinds(text +: calls).contains("SIMBOX"))
  }

  test("WANGIRI: a burst of very short calls to many numbers") {
    val calls = (0 until 25).map(i => voice(s"w$i", T0 + i * M, f"2217700$i%05d", i % 2))
    assert(kinds(calls) == Vector("WANGIRI"))
  }

  test("IRSF: long calls to premium ranges") {
    val calls = (0 until 4).map(i => voice(s"i$i", T0 + i * 10 * M, s"8821300000$i", 300))
    assert(kinds(normalDay(T0 - 12 * 3600000L) ++ calls).contains("IRSF"))
  }

  test("PBX: a business-hours line goes international at night") {
    val day = (0 until 12).map(i => voice(s"d$i", T0 + i * 20 * M, s"3538612345$i", 60))
    val night0 = T0 + 13 * 3600000L // 23:00 UTC
    val night = (0 until 12).map(i => voice(s"p$i", night0 + i * 3 * M, s"4420700000$i", 120))
    assert(kinds(day ++ night).contains("PBX"))
  }

  test("SUBSCRIPTION: a new subscriber with immediate, mostly international usage") {
    val calls = (0 until 16).map(i => voice(s"u$i", T0 + i * 30 * M, s"1212555000$i", 400))
    assert(kinds(calls).contains("SUBSCRIPTION"))
  }

  test("SIMSWAP: a never-seen IMEI followed by activity on new cells") {
    val history = normalDay(T0)
    val t = T0 + 10 * 3600000L
    val after = (0 until 3).map(i => voice(s"x$i", t + i * 5 * M, "353861234567", 30, cell = "far", imei = "356938035643809"))
    assert(kinds(history ++ after) == Vector("SIMSWAP"))
    assert(kinds(history ++ after.map(_.copy(cell = "c1"))).isEmpty)
  }

  test("a repeated id is evaluated once and alerts are not repeated inside the cooldown") {
    val calls = (0 until 25).map(i => voice(s"w$i", T0 + i * M, f"2217700$i%05d", 1))
    val twice = calls ++ calls.map(c => c.copy(offset = c.offset + 1000))
    assert(kinds(twice) == Vector("WANGIRI"))
  }
}
