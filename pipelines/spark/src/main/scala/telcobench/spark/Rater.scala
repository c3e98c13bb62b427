package telcobench.spark

/** What the rater needs from a usage record (voice, sms or data). */
final case class Usage(
    kind: String,
    number: String,
    answerTime: Long,
    durationSec: Long,
    recordSequenceNumber: Long,
    originationTime: Long,
    recordOpeningTime: Long,
    volumeBytes: Long)

final case class Rating(chargeSubunits: Long, billedUnits: Long, band: String, destinationClass: String)

final case class Invoice(netMinor: Long, taxMinor: Long, totalMinor: Long)

/**
 * The rating algorithm of docs/contracts.md, on Longs only (no floating point anywhere).
 * Pure: the same spec and record always give the same charge.
 */
object Rater {
  private val MsPerHour = 3600000L

  /** Integer quotient n/d (n >= 0, d > 0) under a rounding mode. */
  def round(n: Long, d: Long, mode: String): Long = {
    require(n >= 0 && d > 0, s"round($n, $d) needs n >= 0 and d > 0")
    val q = n / d
    q + roundUp(q, n % d, d, mode)
  }

  /**
   * round(x * y, d) without forming x * y: with y = a * d + b, x * y / d = x * a + x * b / d and x * b < x * d.
   * Exact whenever x * d and the result fit a Long (x, y >= 0, d > 0); x * y itself may not.
   */
  def roundProduct(x: Long, y: Long, d: Long, mode: String): Long = {
    require(x >= 0 && y >= 0 && d > 0, s"roundProduct($x, $y, $d) needs x, y >= 0 and d > 0")
    val p = x * (y % d)
    val q = Math.addExact(Math.multiplyExact(x, y / d), p / d)
    q + roundUp(q, p % d, d, mode)
  }

  /** 1 when q + r/d (0 <= r < d) rounds up to q + 1 under a rounding mode, else 0. */
  private def roundUp(q: Long, r: Long, d: Long, mode: String): Long =
    if (r == 0) 0L
    else mode match {
      case "down" => 0L
      case "up" => 1L
      case "half-up" => if (2 * r >= d) 1L else 0L
      case "half-even" => if (2 * r > d) 1L else if (2 * r == d && q % 2 != 0) 1L else 0L
      case other => throw new IllegalArgumentException(s"unknown rounding mode $other")
    }

  def band(spec: RatingSpec, timeMs: Long): String = {
    val local = timeMs + spec.utcOffsetMinutes * 60000L
    val hour = Math.floorMod(Math.floorDiv(local, MsPerHour), 24L).toInt
    spec.timeBands.find(b => b.fromHour <= hour && hour < b.toHour) match {
      case Some(b) => b.name
      case None => throw new IllegalStateException(s"no time band covers hour $hour")
    }
  }

  def destinationClass(spec: RatingSpec, number: String): String =
    spec.byLongestPrefix.find(d => number.startsWith(d.prefix)).map(_.destinationClass)
      .getOrElse(spec.defaultDestinationClass)

  def rate(spec: RatingSpec, u: Usage): Rating = u.kind match {
    case "voice" => rateVoice(spec, u)
    case "sms" =>
      val cls = destinationClass(spec, u.number)
      Rating(spec.tariffs(cls).smsPerMessageSubunits, 1L, band(spec, u.originationTime), cls)
    case "data" =>
      val cls = spec.dataClass
      val t = spec.tariffs(cls).data
      val v = u.volumeBytes
      val billed = if (v <= 0) 0L else ((v + t.incrementBytes - 1) / t.incrementBytes) * t.incrementBytes
      val b = band(spec, u.recordOpeningTime)
      val rate = t.ratePerMegabyteSubunits(b)
      Rating(roundProduct(rate, billed, 1000000L, spec.roundingMode), billed, b, cls)
    case other => throw new IllegalArgumentException(s"cannot rate type $other")
  }

  private def rateVoice(spec: RatingSpec, u: Usage): Rating = {
    val cls = destinationClass(spec, u.number)
    val v = spec.tariffs(cls).voice
    val startBand = band(spec, u.answerTime)
    if (u.durationSec <= 0) Rating(0L, 0L, startBand, cls)
    else {
      val first = u.recordSequenceNumber <= 1
      var offset = 0L
      var perIncrementSum = 0L
      var exactSum = 0L
      var k = 0
      while (offset < u.durationSec) {
        val len = if (k == 0 && first) v.firstIncrementSec else v.nextIncrementSec
        val rate = v.ratePerMinuteSubunits(band(spec, u.answerTime + offset * 1000L))
        perIncrementSum += round(rate * len, 60L, spec.roundingMode)
        exactSum += rate * len
        offset += len
        k += 1
      }
      val usage = if (spec.roundingPer == "call") round(exactSum, 60L, spec.roundingMode) else perIncrementSum
      val fee = if (first) v.connectFeeSubunits else 0L
      Rating(usage + fee, offset, startBand, cls)
    }
  }

  /** Invoice from the sum of a subscriber's charges in sub-units; tax once, at invoice level. */
  def invoice(spec: RatingSpec, chargesSubunits: Seq[Long]): Invoice = {
    val s = chargesSubunits.sum
    val net = round(s, 100L, "half-up")
    val tax = roundProduct(spec.taxBasisPoints, net, 10000L, "half-up")
    Invoice(net, tax, net + tax)
  }
}
