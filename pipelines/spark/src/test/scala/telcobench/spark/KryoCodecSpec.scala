package telcobench.spark

import java.util.concurrent.{Callable, Executors, TimeUnit}

import org.scalatest.funsuite.AnyFunSuite

/** KryoCodec outside Spark (no SparkEnv): round trips of the states and records the queries keep and group. */
class KryoCodecSpec extends AnyFunSuite {
  private val ids = Map("a" -> 1L, "b" -> 2L, "c" -> 3L, "d" -> 4L, "e" -> 5L)

  test("a bill state with its seen-id map, an empty fraud state and a parsed event come back equal") {
    val bill = BillState(3L, 1500L, 1767607200000L, 42L, ids)
    assert(KryoCodec.decode[BillState](KryoCodec.encode(bill)) == bill)
    assert(KryoCodec.decode[FraudKeyState](KryoCodec.encode(FraudKeyState.empty)) == FraudKeyState.empty)
    val event = Event.empty("cdr", 1, 7L, "{bad").timed(1L, Event.BatchTimePending, 3L)
    assert(KryoCodec.decode[Event](KryoCodec.encode(event)) == event)
  }

  test("without reference tracking, one object referenced twice is written twice and read back equal") {
    val shared = BillState(1L, 1L, 1L, 1L, ids)
    val pair = (shared, shared)
    assert(KryoCodec.decode[(BillState, BillState)](KryoCodec.encode(pair)) == pair)
  }

  test("after a large state, small ones still round-trip; threads each use their own Kryo") {
    val large = BillState(0L, 0L, 0L, 0L, (1 to 20000).map(i => s"id-$i" -> i.toLong).toMap)
    assert(KryoCodec.decode[BillState](KryoCodec.encode(large)).seen.size == 20000)
    val pool = Executors.newFixedThreadPool(4)
    try {
      val results = (1 to 8).map { n =>
        pool.submit(new Callable[Boolean] {
          override def call(): Boolean = (1 to 500).forall { i =>
            val s = BillState(n.toLong, i.toLong, 0L, 0L, Map(s"$n-$i" -> i.toLong))
            KryoCodec.decode[BillState](KryoCodec.encode(s)) == s
          }
        })
      }
      assert(results.forall(_.get(60, TimeUnit.SECONDS)))
    } finally pool.shutdownNow()
  }
}
