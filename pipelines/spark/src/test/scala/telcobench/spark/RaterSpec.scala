package telcobench.spark

import java.nio.charset.StandardCharsets

import com.fasterxml.jackson.databind.node.ObjectNode
import org.scalatest.funsuite.AnyFunSuite

class RaterSpec extends AnyFunSuite {
  private val root = Fixtures.vectors
  private val specs = root.get("specs")
  private val vectors = root.get("vectors")
  private val invoices = root.get("invoices")

  test("the shared vector file has vectors and invoices") {
    assert(vectors.size() > 0)
    assert(invoices.size() > 0)
  }

  (0 until vectors.size()).foreach { i =>
    val v = vectors.get(i)
    test(s"vector: ${v.get("name").asText()}") {
      val spec = RatingSpec.fromJson(specs.get(v.get("spec").asText()))
      val record = v.get("record").deepCopy[ObjectNode]()
      if (!record.has("emitNs")) record.put("emitNs", 0L)
      val e = Parser.parse("cdr", 0, i.toLong, Json.write(record).getBytes(StandardCharsets.UTF_8))
      assert(e.ok, s"parser rejected the vector: ${e.reason} ${e.detail}")
      val r = Rater.rate(spec, e.usage)
      val x = v.get("expected")
      assert(r.chargeSubunits == x.get("chargeSubunits").asLong(), "chargeSubunits")
      assert(r.billedUnits == x.get("billedUnits").asLong(), "billedUnits")
      assert(r.band == x.get("band").asText(), "band")
      assert(r.destinationClass == x.get("destinationClass").asText(), "destinationClass")
    }
  }

  (0 until invoices.size()).foreach { i =>
    val v = invoices.get(i)
    test(s"invoice: ${v.get("name").asText()}") {
      val spec = RatingSpec.fromJson(specs.get(v.get("spec").asText()))
      val charges = (0 until v.get("chargesSubunits").size()).map(j => v.get("chargesSubunits").get(j).asLong())
      val inv = Rater.invoice(spec, charges)
      val x = v.get("expected")
      assert(inv == Invoice(x.get("netMinor").asLong(), x.get("taxMinor").asLong(), x.get("totalMinor").asLong()))
    }
  }

  test("rounding modes on exact halves and remainders") {
    assert(Rater.round(150, 100, "half-up") == 2)
    assert(Rater.round(150, 100, "half-even") == 2)
    assert(Rater.round(250, 100, "half-even") == 2)
    assert(Rater.round(251, 100, "half-even") == 3)
    assert(Rater.round(101, 100, "up") == 2)
    assert(Rater.round(199, 100, "down") == 1)
    assert(Rater.round(0, 60, "up") == 0)
  }

  test("roundProduct is exact where rate x bytes passes Long") {
    // 999999999 * 10^13 = 9.99999999e21 > Long.MaxValue; the quotient by 10^6 fits.
    def ceilDiv(x: Long, y: Long): Long = ((BigInt(x) * BigInt(y) + 999999) / 1000000).toLong
    assert(Rater.roundProduct(999999999L, 10000000000000L, 1000000L, "down") == 9999999990000000L)
    assert(Rater.roundProduct(999999999L, 10000000000001L, 1000000L, "up") == ceilDiv(999999999L, 10000000000001L))
    assert(Rater.roundProduct(999999999L, 4999999999L, 1000000L, "up") == 4999999994001L)
    assert(Rater.roundProduct(3L, 1L, 2L, "half-even") == 2L) // 1.5 -> 2
    assert(Rater.roundProduct(5L, 1L, 2L, "half-even") == 2L) // 2.5 -> 2
    assert(Rater.roundProduct(2000L, 90071992547410L, 10000L, "half-up") == 18014398509482L)
  }

  test("a price or increment past the money bound is rejected") {
    def withNational(edit: ObjectNode => Unit) = {
      val spec = specs.get("default").deepCopy[ObjectNode]()
      edit(spec.get("tariffs").get("national").asInstanceOf[ObjectNode])
      spec
    }
    val rate = withNational(_.get("voice").get("ratePerMinuteSubunits").asInstanceOf[ObjectNode].put("peak", RatingSpec.MaxRateSubunits + 1))
    assert(intercept[IllegalArgumentException](RatingSpec.fromJson(rate)).getMessage.contains("ratePerMinuteSubunits.peak must be in 0..1000000000"))
    val sms = withNational(_.get("sms").asInstanceOf[ObjectNode].put("perMessageSubunits", RatingSpec.MaxRateSubunits + 1))
    assertThrows[IllegalArgumentException](RatingSpec.fromJson(sms))
    val step = withNational(_.get("voice").asInstanceOf[ObjectNode].put("nextIncrementSec", RatingSpec.MaxIncrementSec + 1))
    assertThrows[IllegalArgumentException](RatingSpec.fromJson(step))
    val bytes = withNational(_.get("data").asInstanceOf[ObjectNode].put("incrementBytes", RatingSpec.MaxIncrementBytes + 1))
    assertThrows[IllegalArgumentException](RatingSpec.fromJson(bytes))
    assert(RatingSpec.fromJson(specs.get("max-prices")).tariffs("national").voice.ratePerMinuteSubunits("peak") == RatingSpec.MaxRateSubunits)
  }

  test("a spec with a class but no tariff is rejected") {
    val bad = specs.get("default").deepCopy[ObjectNode]()
    bad.put("defaultDestinationClass", "mars")
    assertThrows[IllegalArgumentException](RatingSpec.fromJson(bad))
  }
}
