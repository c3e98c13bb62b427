package telcobench.spark

import java.nio.charset.StandardCharsets

import org.scalatest.funsuite.AnyFunSuite

class ParserSpec extends AnyFunSuite {
  private def reasonOf(json: String, topic: String = "cdr"): String = {
    val e = Parser.parse(topic, 1, 7, json.getBytes(StandardCharsets.UTF_8))
    if (e.ok) "ok" else e.reason
  }

  private val good = """{"id":"a","type":"voice","subscriber":"001010000000001","eventTime":1767607260000,"emitNs":5,
    |"calledNumber":"353861234567","answerTime":1767607200000,"callDuration":60,"recordSequenceNumber":1,"cell":"c1"}""".stripMargin

  test("a valid voice record is accepted") {
    val e = Parser.parse("cdr", 1, 7, good.getBytes(StandardCharsets.UTF_8))
    assert(e.ok && e.id == "a" && e.duration == 60 && e.emitNs == 5 && e.partition == 1 && e.offset == 7)
  }

  test("malformed_json") {
    assert(reasonOf("{not json") == "malformed_json")
    assert(reasonOf("") == "malformed_json")
    assert(reasonOf(good + " trailing") == "malformed_json")
  }

  test("schema_violation: not an object, missing or wrong-typed envelope fields, usage without subscriber") {
    assert(reasonOf("[1,2]") == "schema_violation")
    assert(reasonOf(good.replace("\"id\":\"a\",", "")) == "schema_violation")
    assert(reasonOf(good.replace("\"eventTime\":1767607260000", "\"eventTime\":\"soon\"")) == "schema_violation")
    assert(reasonOf(good.replace("\"emitNs\":5", "\"emitNs\":5.5")) == "schema_violation")
    assert(reasonOf(good.replace("\"subscriber\":\"001010000000001\",", "")) == "schema_violation")
    assert(reasonOf(good.replace("\"calledNumber\":\"353861234567\",", "")) == "schema_violation")
  }

  test("unknown_type") {
    assert(reasonOf(good.replace("\"type\":\"voice\"", "\"type\":\"fax\"")) == "unknown_type")
  }

  test("bad_imsi") {
    assert(reasonOf(good.replace("001010000000001", "0010100000001")) == "bad_imsi")
    assert(reasonOf(good.replace("001010000000001", "00101000000000x")) == "bad_imsi")
  }

  test("negative_value for callDuration, duration and volumes") {
    assert(reasonOf(good.replace("\"callDuration\":60", "\"callDuration\":-5")) == "negative_value")
    val data = """{"id":"d","type":"data","subscriber":"001010000000001","eventTime":1,"emitNs":1,"recordOpeningTime":0,
      |"duration":1,"dataVolumeUplink":-1,"dataVolumeDownlink":0}""".stripMargin
    assert(reasonOf(data) == "negative_value")
    assert(reasonOf(data.replace("\"duration\":1", "\"duration\":-1").replace("-1,\"dataVolumeDownlink", "1,\"dataVolumeDownlink")) == "negative_value")
  }

  test("oversized") {
    val big = good.replace("\"cell\":\"c1\"", "\"cell\":\"" + ("x" * (70 * 1024)) + "\"")
    assert(reasonOf(big) == "oversized")
  }

  test("the DLQ record carries reason, detail, topic, partition, offset, id, emitNs and the raw value") {
    val bad = good.replace("\"callDuration\":60", "\"callDuration\":-5")
    val row = Output.dlq(Parser.parse("cdr", 2, 17, bad.getBytes(StandardCharsets.UTF_8)))
    val j = Json.parse(row.value)
    assert(row.topic == "dlq" && row.key == null)
    assert(j.get("reason").asText() == "negative_value")
    assert(j.get("detail").asText() == "callDuration = -5")
    assert(j.get("topic").asText() == "cdr" && j.get("partition").asInt() == 2 && j.get("offset").asLong() == 17)
    assert(j.get("id").asText() == "a" && j.get("emitNs").asLong() == 5)
    assert(j.get("raw").asText() == bad)
    val unparsable = Json.parse(Output.dlq(Parser.parse("cdr", 0, 1, "oops".getBytes(StandardCharsets.UTF_8))).value)
    assert(unparsable.get("id").isNull)
  }

  test("pm and alarm records are checked and typed per topic") {
    assert(Fixtures.pm("p1", "c1", Fixtures.T0, 100, 99).ok)
    assert(Fixtures.alarm("a1", "c1", Fixtures.T0, "major").ok)
    assert(reasonOf("""{"id":"p","type":"pm","eventTime":1,"emitNs":1}""", "pm") == "schema_violation")
    assert(reasonOf(good, "pm") == "schema_violation")
  }
}

class SparkWorkaroundsSpec extends AnyFunSuite {
  private def npeAt(className: String): NullPointerException = {
    val e = new NullPointerException("Option.get() is null")
    e.setStackTrace(Array(new StackTraceElement(className, "metrics", "X.scala", 1)))
    e
  }

  test("recognises SPARK-55271 (NPE in KafkaMicroBatchStream.metrics), also when wrapped") {
    val wrapped = new RuntimeException("query failed", npeAt("org.apache.spark.sql.kafka010.KafkaMicroBatchStream$"))
    assert(SparkWorkarounds.isKafkaMetricsNpe(wrapped))
    assert(!SparkWorkarounds.isKafkaMetricsNpe(new RuntimeException("x", npeAt("telcobench.spark.Billing$"))))
    assert(!SparkWorkarounds.isKafkaMetricsNpe(new IllegalStateException("KafkaMicroBatchStream")))
  }
}
