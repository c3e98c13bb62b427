package telcobench.flink

import java.nio.charset.StandardCharsets
import java.nio.file.{Files, Paths}

import scala.jdk.CollectionConverters._

import com.fasterxml.jackson.databind.node.ObjectNode
import org.apache.flink.configuration.Configuration
import org.apache.flink.streaming.api.datastream.DataStream
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment
import org.scalatest.funsuite.AnyFunSuite

import telcobench.spark.{Event, Fraud, FraudSettings, Json, Network, NetworkSettings, OutRow, Output, Parser, RatingSpec, Settings}

/**
 * The Flink dataflow (Topology) run on an embedded cluster over bounded inputs: the same graph the job runs, with
 * keyed state, the shuffle serializers and the Java-serialized state, only the Kafka source and sink replaced.
 */
class FlinkTopologySpec extends AnyFunSuite {
  private val vectors = Json.parse(new String(Files.readAllBytes(Paths.get("../contracts/rating-vectors.json")), StandardCharsets.UTF_8))
  private def settings(specName: String): Settings =
    Settings(RatingSpec.fromJson(vectors.get("specs").get(specName)), 600000L, 7200000L, NetworkSettings(), FraudSettings())

  private var offset = 0L
  private def parse(topic: String, json: String): Event = {
    offset += 1
    Parser.parse(topic, 0, offset, json.getBytes(StandardCharsets.UTF_8))
  }

  /**
   * Runs `graph` over `events` and returns every output row. Parallelism 1: the job's sources run at the job's
   * parallelism and chain into the operators before each keyBy, so every key sees its records in partition order; a
   * one-subtask collection source feeding two-subtask operators would reorder them round-robin. The keyBy still goes
   * through a network exchange (the shuffle serializers) and keyed state.
   */
  private def run(events: Seq[Event])(graph: DataStream[Event] => DataStream[OutRow]): Vector[OutRow] = {
    val env = StreamExecutionEnvironment.createLocalEnvironment(1, new Configuration())
    val in = env.fromData(Topology.EventType, events: _*)
    graph(in).executeAndCollect().asScala.toVector
  }

  private def values(rows: Seq[OutRow], topic: String) = rows.filter(_.topic == topic).map(r => Json.parse(r.value))

  test("rating: every shared rating vector, each spec through its own Flink rating operator (one job)") {
    val all = (0 until vectors.get("vectors").size()).map(i => vectors.get("vectors").get(i))
    val bySpec = all.groupBy(_.get("spec").asText()).toSeq.sortBy(_._1)
    val events = bySpec.flatMap { case (specName, vs) =>
      vs.zipWithIndex.map { case (v, i) =>
        val record = v.get("record").deepCopy[ObjectNode]()
        record.put("id", s"$specName/$i")
        if (!record.has("emitNs")) record.put("emitNs", 0L)
        parse("cdr", Json.write(record))
      }
    }
    val rows = run(events) { in =>
      bySpec.map { case (specName, _) =>
        Topology.rating(in.filter(new IdPrefix(specName + "/")), settings(specName), uid = s"rating-$specName")
      }.reduce((a, b) => a.union(b))
    }
    val rated = values(rows, "rated").map(r => r.get("id").asText() -> r).toMap
    bySpec.foreach { case (specName, vs) =>
      vs.zipWithIndex.foreach { case (v, i) =>
        val name = v.get("name").asText()
        val r = rated.getOrElse(s"$specName/$i", fail(s"vector '$name' was not rated"))
        val x = v.get("expected")
        assert(r.get("chargeSubunits").asLong() == x.get("chargeSubunits").asLong(), name)
        assert(r.get("billedUnits").asLong() == x.get("billedUnits").asLong(), name)
        assert(r.get("band").asText() == x.get("band").asText(), name)
        assert(r.get("destinationClass").asText() == x.get("destinationClass").asText(), name)
      }
    }
    assert(rated.size == all.size)
  }

  private val T0 = 1767607200000L
  private def voice(id: String, sub: String, t: Long, number: String, duration: Long, imei: String = "490154203237518"): String =
    s"""{"id":"$id","type":"voice","subscriber":"$sub","eventTime":${t + duration * 1000},"emitNs":${t * 10},
       |"servedIMSI":"$sub","servedIMEI":"$imei","calledNumber":"$number","answerTime":$t,"callDuration":$duration,
       |"recordSequenceNumber":1,"cell":"c1"}""".stripMargin

  test("rating: DLQ reasons, de-duplication by id and a running bill per subscriber") {
    val a = "001010000000001"
    val b = "001010000000002"
    val inputs = Seq(
      voice("x1", a, T0, "353861234567", 60), voice("x1", a, T0, "353861234567", 60), voice("x2", a, T0 + 60000, "353861234567", 120),
      voice("y1", b, T0, "353861234567", 60), "{not json", voice("z1", "12345", T0, "353861234567", 60),
      voice("z2", a, T0, "353861234567", -5), """{"id":"z3","type":"fax","eventTime":1,"emitNs":1}""",
      """{"id":"z4","type":"voice","eventTime":"x","emitNs":1}""")
    val rows = run(inputs.map(parse("cdr", _)))(Topology.rating(_, settings("default")))
    assert(values(rows, "rated").map(_.get("id").asText()).sorted == Vector("x1", "x2", "y1"))
    assert(values(rows, "dlq").map(_.get("reason").asText()).sorted ==
      Vector("bad_imsi", "malformed_json", "negative_value", "schema_violation", "unknown_type"))
    val lastBill = values(rows, "bills").groupBy(_.get("subscriber").asText()).map { case (s, bs) => s -> bs.maxBy(_.get("records").asLong()) }
    assert(lastBill(a).get("records").asLong() == 2 && lastBill(a).get("chargeSubunits").asLong() == 1500 + 3000)
    assert(lastBill(b).get("records").asLong() == 1)
  }

  test("fraud: the Flink operator raises what the shared detectors raise over the same input (SIMBOX)") {
    val box = "356938035643809"
    val sims = (1 to 4).map(i => f"00101000000010$i%d")
    val inputs = for (k <- 0 until 3; (sim, j) <- sims.zipWithIndex)
      yield voice(s"b$k$j", sim, T0 + (k * 4 + j) * 180000L, f"3538600${k * 4 + j}%05d", 70, imei = box)
    val events = inputs.map(parse("cdr", _))
    val s = settings("default")
    val expected = Fraud.detect(events, s.spec, s.fraud).map(a => Json.write(Output.alertNode(a))).sorted
    val got = run(events)(Topology.fraud(_, s)).map(_.value).sorted
    assert(expected.nonEmpty && got == expected)
  }

  test("network: the Flink operator raises what the shared detectors raise over the same input (CONGESTION)") {
    def pm(id: String, t: Long, prbUsed: Int) =
      s"""{"id":"$id","type":"pm","cell":"c7","eventTime":$t,"emitNs":$t,"granularitySec":900,"RRC.ConnEstabAtt":100,
         |"RRC.ConnEstabSucc":100,"RRU.PrbUsedDl":$prbUsed,"RRU.PrbAvailDl":100,"cellAvailSec":900}""".stripMargin
    val events = (0 until 6).map(i => parse("pm", pm(s"p$i", T0 + i * 900000L, if (i >= 3) 95 else 30)))
    val s = settings("default")
    val expected = Network.step("c7", telcobench.spark.CellState.empty, events, s.network)._2.map(a => Json.write(Output.alertNode(a)))
    val got = run(events)(Topology.network(_, s)).filter(_.topic == "alerts").map(_.value)
    assert(expected.map(v => Json.parse(v).get("kind").asText()) == Vector("CONGESTION") && got == expected)
  }
}

/** The records of one spec's vectors (ids `<spec>/<n>`). */
final class IdPrefix(prefix: String) extends org.apache.flink.api.common.functions.FilterFunction[Event] {
  override def filter(e: Event): Boolean = e.id.startsWith(prefix)
}
