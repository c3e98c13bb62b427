package telcobench.spark

import java.nio.charset.StandardCharsets

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
      val record = v.get("record").deepCopy[com.fasterxml.jackson.databind.node.ObjectNode]()
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

  test("a spec with a class but no tariff is rejected") {
    val bad = specs.get("default").deepCopy[com.fasterxml.jackson.databind.node.ObjectNode]()
    bad.put("defaultDestinationClass", "mars")
    assertThrows[IllegalArgumentException](RatingSpec.fromJson(bad))
  }
}
