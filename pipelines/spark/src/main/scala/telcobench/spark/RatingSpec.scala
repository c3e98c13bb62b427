package telcobench.spark

import com.fasterxml.jackson.databind.JsonNode

final case class TimeBand(name: String, fromHour: Int, toHour: Int)
final case class Destination(prefix: String, destinationClass: String)
final case class VoiceTariff(connectFeeSubunits: Long, firstIncrementSec: Long, nextIncrementSec: Long,
                             ratePerMinuteSubunits: Map[String, Long])
final case class DataTariff(incrementBytes: Long, ratePerMegabyteSubunits: Map[String, Long])
final case class Tariff(voice: VoiceTariff, smsPerMessageSubunits: Long, data: DataTariff)

/** The rating spec of docs/contracts.md, parsed once. All money is integer sub-units (10^-4 currency). */
final case class RatingSpec(
    currency: String,
    roundingMode: String,
    roundingPer: String,
    taxBasisPoints: Long,
    utcOffsetMinutes: Long,
    timeBands: List[TimeBand],
    destinations: List[Destination],
    defaultDestinationClass: String,
    dataClass: String,
    tariffs: Map[String, Tariff]) {

  /** Destinations sorted longest prefix first, so the first match is the longest. */
  val byLongestPrefix: List[Destination] = destinations.sortBy(d => -d.prefix.length)
}

object RatingSpec {
  /** The money bounds of docs/contracts.md: prices, voice increments and data increments the raters keep exact. */
  val MaxRateSubunits = 1000000000L
  val MaxIncrementSec = 86400L
  val MaxIncrementBytes = 1000000000L

  private val RoundingModes = Set("up", "down", "half-up", "half-even")
  private val RoundingPers = Set("increment", "call")

  def fromJson(node: JsonNode): RatingSpec = {
    require(node != null && node.isObject, "ratingSpec must be a JSON object")
    val rounding = node.get("rounding")
    val mode = Json.stringOr(rounding, "mode", "up")
    val per = Json.stringOr(rounding, "per", "increment")
    require(RoundingModes.contains(mode), s"rounding.mode '$mode' is not one of $RoundingModes")
    require(RoundingPers.contains(per), s"rounding.per '$per' is not one of $RoundingPers")
    val bandsNode = node.get("timeBands")
    require(bandsNode != null && bandsNode.isArray && bandsNode.size() > 0, "ratingSpec.timeBands is required")
    val bands = (0 until bandsNode.size()).toList.map { i =>
      val b = bandsNode.get(i)
      TimeBand(Json.stringOr(b, "name", ""), Json.intOr(b, "fromHour", -1), Json.intOr(b, "toHour", -1))
    }
    (0 until 24).foreach { h =>
      require(bands.exists(b => b.fromHour <= h && h < b.toHour), s"ratingSpec.timeBands leave hour $h uncovered")
    }
    val destNode = node.get("destinations")
    val destinations =
      if (destNode == null || !destNode.isArray) Nil
      else (0 until destNode.size()).toList.map { i =>
        val d = destNode.get(i)
        Destination(Json.stringOr(d, "prefix", ""), Json.stringOr(d, "class", ""))
      }
    val tariffsNode = node.get("tariffs")
    require(tariffsNode != null && tariffsNode.isObject, "ratingSpec.tariffs is required")
    val names = tariffsNode.fieldNames()
    val tariffs = scala.collection.mutable.Map[String, Tariff]()
    while (names.hasNext) {
      val name = names.next()
      tariffs(name) = parseTariff(name, tariffsNode.get(name))
    }
    val spec = RatingSpec(
      currency = Json.stringOr(node, "currency", "EUR"),
      roundingMode = mode,
      roundingPer = per,
      taxBasisPoints = Json.longOr(node, "taxBasisPoints", 0L),
      utcOffsetMinutes = Json.longOr(node, "utcOffsetMinutes", 0L),
      timeBands = bands,
      destinations = destinations,
      defaultDestinationClass = Json.stringOr(node, "defaultDestinationClass", "international"),
      dataClass = Json.stringOr(node, "dataClass", "national"),
      tariffs = tariffs.toMap)
    val usedClasses = (spec.destinations.map(_.destinationClass) :+ spec.defaultDestinationClass :+ spec.dataClass).distinct
    usedClasses.foreach(c => require(spec.tariffs.contains(c), s"ratingSpec.tariffs has no tariff for class '$c'"))
    val bandNames = bands.map(_.name).distinct
    for ((name, t) <- spec.tariffs; band <- bandNames) {
      require(t.voice.ratePerMinuteSubunits.contains(band), s"tariff '$name' voice has no rate for band '$band'")
      require(t.data.ratePerMegabyteSubunits.contains(band), s"tariff '$name' data has no rate for band '$band'")
    }
    spec
  }

  private def longMap(node: JsonNode, context: String): Map[String, Long] = {
    require(node != null && node.isObject, s"$context must be an object")
    val names = node.fieldNames()
    val out = scala.collection.mutable.Map[String, Long]()
    while (names.hasNext) {
      val n = names.next()
      require(Json.isIntegral(node.get(n)), s"$context.$n must be an integer")
      out(n) = price(node.get(n).asLong(), s"$context.$n")
    }
    out.toMap
  }

  private def parseTariff(name: String, node: JsonNode): Tariff = {
    val v = node.get("voice")
    val s = node.get("sms")
    val d = node.get("data")
    require(v != null && s != null && d != null, s"tariff '$name' needs voice, sms and data")
    val voice = VoiceTariff(
      price(Json.longOr(v, "connectFeeSubunits", 0L), s"tariffs.$name.voice.connectFeeSubunits"),
      Json.longOr(v, "firstIncrementSec", 60L),
      Json.longOr(v, "nextIncrementSec", 60L),
      longMap(v.get("ratePerMinuteSubunits"), s"tariffs.$name.voice.ratePerMinuteSubunits"))
    require(voice.firstIncrementSec > 0 && voice.nextIncrementSec > 0, s"tariff '$name' increments must be > 0")
    require(voice.firstIncrementSec <= MaxIncrementSec && voice.nextIncrementSec <= MaxIncrementSec,
      s"tariff '$name' voice increments must be <= $MaxIncrementSec s")
    val data = DataTariff(
      Json.longOr(d, "incrementBytes", 1L),
      longMap(d.get("ratePerMegabyteSubunits"), s"tariffs.$name.data.ratePerMegabyteSubunits"))
    require(data.incrementBytes > 0 && data.incrementBytes <= MaxIncrementBytes,
      s"tariff '$name' data.incrementBytes must be in 1..$MaxIncrementBytes")
    Tariff(voice, price(Json.longOr(s, "perMessageSubunits", 0L), s"tariffs.$name.sms.perMessageSubunits"), data)
  }

  private def price(subunits: Long, context: String): Long = {
    require(subunits >= 0 && subunits <= MaxRateSubunits, s"$context must be in 0..$MaxRateSubunits sub-units, got $subunits")
    subunits
  }
}
