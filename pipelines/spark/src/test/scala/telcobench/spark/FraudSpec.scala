package telcobench.spark

import org.scalatest.funsuite.AnyFunSuite

import Fixtures._

class FraudSpec extends AnyFunSuite {
  private val s = FraudSettings()
  private val M = 60000L
  private val H = 3600000L
  private val Night = T0 + 13 * H // 23:00 UTC

  private def alerts(events: Seq[Event]): Vector[Alert] = Fraud.detect(events, spec, s)

  private def kinds(events: Seq[Event]): Vector[String] = alerts(events).map(_.kind)

  private def normalDay(from: Long, sub: String = Sub, msisdn: String = ""): Seq[Event] =
    (0 until 12).map(i => voice(s"n$sub$i", from + i * 40 * M, s"3538612345${i % 4}0", 120, sub = sub,
      cell = s"c${i % 3}", msisdn = msisdn))

  test("normal usage raises nothing") {
    assert(kinds(normalDay(T0) :+ sms("s1", T0 + 5 * M, "353861234567") :+ data("d1", T0 + 6 * M, 100000)).isEmpty)
  }

  test("route: subscriber, line, device and (international) called-number keys") {
    val intl = voice("r1", T0, "4420712345", 60, msisdn = "353871000001")
    assert(Fraud.route(intl, spec, s).map(_.key) == Vector(FraudKey(FraudKeyKind.Subscriber, Sub),
      FraudKey(FraudKeyKind.Line, "353871000001"), FraudKey(FraudKeyKind.Device, "490154203237518"),
      FraudKey(FraudKeyKind.Number, "4420712345")))
    assert(Fraud.route(voice("r2", T0, "353861234567", 60), spec, s).map(_.key) ==
      Vector(FraudKey(FraudKeyKind.Subscriber, Sub), FraudKey(FraudKeyKind.Device, "490154203237518")))
    assert(Fraud.route(data("r3", T0, 1000), spec, s).map(_.key) == Vector(FraudKey(FraudKeyKind.Subscriber, Sub)))
  }

  test("maxConcurrent counts calls in progress at once; back-to-back calls do not overlap") {
    val f = (start: Long, dur: Long) => Fraud.fact(voice(s"c$start", start, "4420712345", dur), spec)
    assert(Fraud.maxConcurrent(Seq(f(T0, 60), f(T0 + 60000, 60), f(T0 + 120000, 60))) == 1)
    assert(Fraud.maxConcurrent(Seq(f(T0, 600), f(T0 + 1000, 600), f(T0 + 2000, 10), f(T0 + 700000, 5))) == 3)
    assert(Fraud.maxConcurrent(Seq(f(T0, 0), f(T0, 0))) == 0)
  }

  test("SIMBOX: several SIMs calling national numbers through one IMEI, each SIM alerted once") {
    val box = "356938035643809"
    val sims = (1 to 4).map(i => f"00101000000010$i%d")
    val calls = for (k <- 0 until 3; (sim, j) <- sims.zipWithIndex)
      yield voice(s"b$k$j", T0 + (k * 4 + j) * 3 * M, f"3538600${k * 4 + j}%05d", 70, sub = sim, cell = "c9", imei = box)
    val raised = alerts(calls)
    assert(raised.map(_.kind).distinct == Vector("SIMBOX"))
    assert(raised.map(_.entity).sorted == sims)
    assert(raised.forall(a => a.entityType == "subscriber" && a.evidence.nonEmpty))
  }

  test("SIMBOX is not raised for a call-centre agent: many national calls, but one SIM in its own handset") {
    val agent = (0 until 40).map(i => voice(s"cc$i", T0 + i * 3 * M, f"3538600$i%05d", 70, cell = "c9"))
    assert(kinds(agent).isEmpty)
  }

  test("SIMBOX is not raised when the SIMs sharing a device call abroad (not a termination bypass)") {
    val calls = (1 to 3).map(i => voice(s"x$i", T0 + i * M, s"4420700000$i", 60, sub = s"00101000000020$i", imei = "356938035643809"))
    assert(!kinds(calls).contains("SIMBOX"))
  }

  test("WANGIRI: callbacks from several subscribers to one premium number raise an alert on the number") {
    val number = "88213585225"
    val callers = (1 to 3).map(i => voice(s"cb$i", T0 + i * 20 * M, number, 40 + i, sub = s"00101000000030$i"))
    val raised = alerts(callers)
    assert(raised.map(a => (a.kind, a.entityType, a.entity)) == Vector(("WANGIRI", "number", number)))
    assert(raised.head.evidence.map(_.id) == List("cb1", "cb2", "cb3"))
    assert(kinds(callers.take(2)).isEmpty)
  }

  test("WANGIRI is not raised by one subscriber calling the same number again and again") {
    val same = (1 to 6).map(i => voice(s"r$i", T0 + i * 10 * M, "4420712345", 300))
    assert(!kinds(same).contains("WANGIRI"))
  }

  test("WANGIRI: a subscriber's own burst of very short calls to many numbers") {
    val calls = (0 until 25).map(i => voice(s"w$i", T0 + i * M, f"2217700$i%05d", i % 2))
    assert(kinds(calls) == Vector("WANGIRI"))
  }

  test("IRSF: long calls to premium ranges") {
    val calls = (0 until 4).map(i => voice(s"i$i", T0 + i * 10 * M, s"8821300000$i", 300))
    assert(kinds(normalDay(T0 - 12 * H) ++ calls).contains("IRSF"))
  }

  /** `channels` lines each making back-to-back 6-minute international calls, created in release-time order. */
  private def trunk(prefix: String, channels: Int, callsPerChannel: Int): Seq[Event] =
    (for (c <- 0 until channels; k <- 0 until callsPerChannel) yield (Night + c * 11000L + k * 400000L, c, k))
      .sortBy(_._1).map { case (start, c, k) => voice(s"$prefix$c-$k", start, f"4420700$c%02d$k%02d", 360) }

  test("PBX: many international calls at once at night, no business-hours history needed") {
    val raised = alerts(trunk("p", 8, 3))
    assert(raised.map(_.kind) == Vector("PBX"))
    assert(raised.head.evidence.size >= s.pbxMinNightCalls)
  }

  test("PBX is not raised for a heavy international caller: the calls come one at a time") {
    val oneByOne = (0 until 14).map(i => voice(s"h$i", Night + i * 7 * M, f"4420700$i%04d", 360))
    assert(!kinds(oneByOne).contains("PBX"))
  }

  test("SUBSCRIPTION: a new subscriber with immediate, mostly international usage, one call at a time") {
    val calls = (0 until 14).map(i => voice(s"u$i", T0 + i * 10 * M, s"1212555000$i", 240))
    assert(kinds(calls) == Vector("SUBSCRIPTION"))
    val mixed = calls.take(6) ++ (0 until 10).map(i => voice(s"l$i", T0 + i * 10 * M + 5 * M, s"3538612345$i", 60))
    assert(kinds(mixed).isEmpty)
  }

  test("a hacked PBX trunk is PBX, not also SUBSCRIPTION") {
    assert(kinds(trunk("t", 10, 8)) == Vector("PBX"))
  }

  test("SIMSWAP: a new IMSI and a new IMEI on the same MSISDN, used twice within 30 min") {
    val msisdn = "353871000042"
    val before = normalDay(T0, msisdn = msisdn).take(1)
    val newSim = "001010000010001"
    val after = (0 until 2).map(i => voice(s"bank$i", T0 + 2 * H + i * 5 * M, s"35318000$i", 120, sub = newSim,
      imei = "618276700454507", msisdn = msisdn))
    val raised = alerts(before ++ after)
    assert(raised.map(a => (a.kind, a.entity)) == Vector(("SIMSWAP", newSim)))
    assert(raised.head.evidence.map(_.id) == List("bank0", "bank1"))
    assert(kinds(before ++ after.take(1)).isEmpty)
  }

  test("SIMSWAP is not raised for a stray IMSI in the same handset, even re-sent under a new id") {
    val msisdn = "353871000043"
    val stray = voice("u1", T0 + H, "353861234567", 30, sub = "001019102399299", msisdn = msisdn)
    val resend = stray.copy(id = "u1-copy", offset = stray.offset + 1)
    assert(kinds(normalDay(T0, msisdn = msisdn) ++ Seq(stray, resend)).isEmpty)
    // The stray record first, then the real SIM in the same handset: the real SIM is not a swap either.
    assert(kinds(stray +: normalDay(T0 + 2 * H, msisdn = msisdn)).isEmpty)
  }

  test("SIMSWAP: late records of the old SIM after the swap do not swap the line back") {
    val msisdn = "353871000044"
    val newSim = "001010000010002"
    val after = (0 until 3).map(i => voice(s"a$i", T0 + H + i * 5 * M, s"35318000$i", 60, sub = newSim,
      imei = "618276700454507", msisdn = msisdn))
    val late = (0 until 3).map(i => voice(s"late$i", T0 + 2 * H + i * M, "353861234567", 30, msisdn = msisdn))
    assert(kinds(normalDay(T0 - 12 * H, msisdn = msisdn) ++ after ++ late) == Vector("SIMSWAP"))
  }

  test("SIMSWAP (same IMSI): a never-seen IMEI followed by activity on new cells") {
    val history = normalDay(T0)
    val t = T0 + 10 * H
    val after = (0 until 3).map(i => voice(s"x$i", t + i * 5 * M, "353861234567", 30, cell = "far", imei = "356938035643809"))
    assert(kinds(history ++ after) == Vector("SIMSWAP"))
    assert(kinds(history ++ after.map(_.copy(cell = "c1"))).isEmpty)
  }

  test("a repeated id is evaluated once and alerts are not repeated inside the cooldown") {
    val calls = (0 until 25).map(i => voice(s"w$i", T0 + i * M, f"2217700$i%05d", 1))
    val twice = calls ++ calls.map(c => c.copy(offset = c.offset + 1000))
    assert(kinds(twice) == Vector("WANGIRI"))
  }

  test("step gives the same alerts whatever the batch boundaries (device key, events split in two)") {
    val box = "356938035643809"
    val calls = (0 until 12).map(i => voice(s"b$i", T0 + i * 3 * M, f"3538600$i%05d", 70, sub = f"00101000000010${i % 4}%d", imei = box))
    val key = FraudKey(FraudKeyKind.Device, box)
    val inputs = calls.flatMap(e => Fraud.route(e, spec, s)).filter(_.key == key)
    val (mid, first) = Fraud.step(key, FraudKeyState.empty, inputs.take(5), spec, s)
    val (_, second) = Fraud.step(key, mid, inputs.drop(5), spec, s)
    val whole = Fraud.step(key, FraudKeyState.empty, inputs, spec, s)._2
    assert((first ++ second) == whole && whole.size == 4)
  }
}
