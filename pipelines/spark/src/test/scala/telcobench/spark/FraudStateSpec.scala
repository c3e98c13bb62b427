package telcobench.spark

import org.scalatest.funsuite.AnyFunSuite

import Fixtures._

/** How each fraud detector's state moves from record to record, and that a key stores its own detector's state only. */
class FraudStateSpec extends AnyFunSuite {
  private val s = FraudSettings()
  private val M = 60000L
  private val H = 3600000L
  private val OldImei = "490154203237518" // the Fixtures default
  private val NewImei = "356938035643809"

  private def inputs(key: FraudKey, events: Seq[Event]): Seq[FraudInput] =
    events.flatMap(e => Fraud.route(e, spec, s)).filter(_.key == key)

  /** Steps the key one record at a time; the state and the alerts after each record. */
  private def trace(key: FraudKey, events: Seq[Event]): Vector[(FraudKeyState, Vector[Alert])] =
    inputs(key, events).scanLeft((FraudKeyState.empty, Vector.empty[Alert])) { case ((st, _), in) =>
      Fraud.step(key, st, Seq(in), spec, s)
    }.drop(1).toVector

  /** The names of the FraudKeyState fields that hold a state. */
  private def held(st: FraudKeyState): Vector[String] =
    Vector("subscriber" -> st.subscriber, "line" -> st.line, "device" -> st.device, "number" -> st.number)
      .collect { case (name, Some(_)) => name }

  test("each key kind stores its own detector's state and nothing else") {
    val e = voice("k1", T0, "4420712345", 60, msisdn = "353871000001")
    val routed = Fraud.route(e, spec, s)
    assert(routed.map(_.key.kind) == Vector(FraudKeyKind.Subscriber, FraudKeyKind.Line, FraudKeyKind.Device, FraudKeyKind.Number))
    routed.foreach { in =>
      val (next, _) = Fraud.step(in.key, FraudKeyState.empty, Seq(in), spec, s)
      assert(held(next) == Vector(in.key.kind.toString))
    }
  }

  test("SubscriberState: the profile learns after the rules; a new IMEI is remembered with the cells known before it") {
    val history = (0 until 5).map(i => voice(s"h$i", T0 + i * 40 * M, s"3538612345${i}0", 120, cell = s"c${i % 3}"))
    val swap = (0 until 2).map(i => voice(s"x$i", T0 + 10 * H + i * 5 * M, "353861234567", 30, cell = "far", imei = NewImei))
    val key = FraudKey(FraudKeyKind.Subscriber, Sub)
    val steps = trace(key, history ++ swap :+ swap.head.copy(offset = swap.head.offset + 100))
    val states = steps.map(_._1.subscriber.get)

    val learnt = states(4)
    assert(learnt.firstSeen == history.head.eventTime && learnt.history == 5)
    assert(learnt.lastImei == OldImei && learnt.knownImeis == List(OldImei))
    assert(learnt.knownCells == List("c2", "c1", "c0") && learnt.imeiChangedAt == Long.MinValue)

    val changed = states(5)
    assert(changed.imeiChangedAt == swap.head.eventTime && changed.cellsAtSwap == List("c2", "c1", "c0"))
    assert(changed.lastImei == NewImei && changed.knownImeis == List(NewImei, OldImei) && changed.history == 6)
    // The window keeps maxWindow (6 h) of event time: the history records have left it.
    assert(changed.recent.map(_.id) == List("x0") && steps(5)._2.isEmpty)

    assert(steps(6)._2.map(_.kind) == Vector("SIMSWAP"))
    assert(states(6).lastAlert == Map("SIMSWAP" -> swap(1).eventTime))
    // A record id already in the window is not evaluated again.
    assert(states(7) == states(6) && steps(7)._2.isEmpty)
  }

  test("SimSwapState: a new IMSI waits for a second record, then becomes the line's SIM; the old IMSI is not a swap back") {
    val msisdn = "353871000050"
    val newSim = "001010000010050"
    val old = (0 until 2).map(i => voice(s"o$i", T0 + i * 10 * M, "353861234567", 60, msisdn = msisdn))
    val fresh = (0 until 2).map(i => voice(s"n$i", T0 + H + i * 5 * M, "353861234567", 60, sub = newSim, imei = NewImei,
      msisdn = msisdn))
    val late = voice("o9", T0 + 2 * H, "353861234567", 60, msisdn = msisdn)
    val steps = trace(FraudKey(FraudKeyKind.Line, msisdn), old ++ fresh :+ late)
    val states = steps.map(_._1.line.get)

    assert(states(1) == SimSwapState.empty.copy(imsi = Sub, imsiIds = List("o1", "o0"), imei = OldImei))
    val pending = states(2)
    assert(pending.imsi == Sub && pending.newImsi == newSim && pending.changedAt == fresh.head.eventTime)
    assert(pending.imeiChanged && pending.sinceChange.map(_.id) == List("n0") && steps(2)._2.isEmpty)

    assert(steps(3)._2.map(a => (a.kind, a.entity)) == Vector(("SIMSWAP", newSim)))
    assert(states(3) == SimSwapState(newSim, List("n0", "n1"), NewImei, Long.MinValue, "", imeiChanged = false, Nil,
      List(Sub), Some(fresh(1).eventTime)))
    assert(states(4) == states(3) && steps(4)._2.isEmpty)
  }

  test("SimboxState: one alert per SIM, remembered per SIM; calls older than the window are dropped") {
    val box = NewImei
    val sims = (1 to 3).map(i => f"00101000000060$i%d")
    val calls = sims.zipWithIndex.map { case (sim, j) => voice(s"b$j", T0 + j * 3 * M, f"3538600$j%05d", 70, sub = sim, imei = box) }
    val later = voice("b9", T0 + 3 * H, "353860000009", 70, sub = sims.head, imei = box)
    val steps = trace(FraudKey(FraudKeyKind.Device, box), calls :+ later)
    val states = steps.map(_._1.device.get)

    assert(steps.take(2).forall(_._2.isEmpty) && states(1).lastAlert.isEmpty && states(1).recent.size == 2)
    assert(steps(2)._2.map(_.entity).sorted == sims)
    assert(states(2).lastAlert == sims.map(_ -> calls(2).eventTime).toMap && states(2).recent.map(_.id) == List("b0", "b1", "b2"))
    assert(states(3) == SimboxState(List(Fraud.fact(later, spec)), states(2).lastAlert) && steps(3)._2.isEmpty)
  }

  test("WangiriCallbackState: the number alerts once per cooldown; callers older than the window are dropped") {
    val number = "88213585225"
    val callers = (1 to 4).map(i => voice(s"cb$i", T0 + i * 20 * M, number, 40, sub = f"00101000000070$i%d"))
    val muchLater = voice("cb9", T0 + 8 * H, number, 40, sub = "001010000000709")
    val steps = trace(FraudKey(FraudKeyKind.Number, number), callers :+ muchLater)
    val states = steps.map(_._1.number.get)

    assert(steps.take(2).forall(_._2.isEmpty) && states(1).lastAlert.isEmpty)
    assert(steps(2)._2.map(_.kind) == Vector("WANGIRI") && states(2).lastAlert.contains(callers(2).eventTime))
    // A fourth caller inside the cooldown joins the window but raises nothing.
    assert(steps(3)._2.isEmpty && states(3).recent.size == 4 && states(3).lastAlert == states(2).lastAlert)
    assert(states(4) == WangiriCallbackState(List(Fraud.fact(muchLater, spec)), states(2).lastAlert) && steps(4)._2.isEmpty)
  }

  test("every key kind gives the same alerts whatever the batch boundary (each split point of the input)") {
    val msisdn = "353871000051"
    val byKind = Seq(
      FraudKey(FraudKeyKind.Subscriber, Sub) -> (0 until 25).map(i => voice(s"w$i", T0 + i * M, f"2217700$i%05d", i % 2)),
      FraudKey(FraudKeyKind.Line, msisdn) -> ((0 until 3).map(i => voice(s"o$i", T0 + i * M, "353861234567", 60, msisdn = msisdn)) ++
        (0 until 3).map(i => voice(s"n$i", T0 + H + i * M, "353861234567", 60, sub = "001010000010051", imei = NewImei, msisdn = msisdn))),
      FraudKey(FraudKeyKind.Device, NewImei) -> (0 until 8).map(i =>
        voice(s"b$i", T0 + i * 3 * M, f"3538600$i%05d", 70, sub = f"00101000000080${i % 4}%d", imei = NewImei)),
      FraudKey(FraudKeyKind.Number, "88213585225") -> (1 to 5).map(i =>
        voice(s"cb$i", T0 + i * 20 * M, "88213585225", 40, sub = f"00101000000090$i%d")))
    byKind.foreach { case (key, events) =>
      val in = inputs(key, events)
      val whole = Fraud.step(key, FraudKeyState.empty, in, spec, s)._2
      assert(whole.nonEmpty, key)
      (0 to in.size).foreach { k =>
        val (mid, first) = Fraud.step(key, FraudKeyState.empty, in.take(k), spec, s)
        assert(first ++ Fraud.step(key, mid, in.drop(k), spec, s)._2 == whole, s"$key split at $k")
      }
    }
  }
}
