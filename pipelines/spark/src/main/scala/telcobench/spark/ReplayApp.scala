package telcobench.spark

import java.io.{BufferedReader, FileInputStream, InputStreamReader, PrintWriter}
import java.nio.charset.StandardCharsets

/**
 * Runs the detectors over a `telcobench generate` folder without Kafka or Spark, for tuning them:
 *   java -cp target/telcobench-spark-0.1.0.jar:$(cat target/spark.classpath) telcobench.spark.ReplayApp \
 *     --config job.json --events <out>/events.jsonl --out alerts.jsonl
 * Same logic and order as BatchApp (usage de-duplicated by id, each key in one pass); `partition` is the key's hash
 * modulo 4 and `offset` the line number, as one Kafka topic per input would give them. Writes one alert per line.
 */
object ReplayApp {
  def main(args: Array[String]): Unit = {
    val cfg = JobConfig.load(Args.required(args, "--config"))
    val events = read(Args.required(args, "--events"))
    val alerts = detect(events, cfg.settings)
    val out = new PrintWriter(Args.required(args, "--out"), StandardCharsets.UTF_8)
    try alerts.foreach(a => out.println(Output.alert(a).value))
    finally out.close()
    val byKind = alerts.groupBy(_.kind).map { case (k, v) => s"$k=${v.size}" }.toVector.sorted
    System.err.println(s"[telcobench] replay: ${events.size} records, ${alerts.size} alerts (${byKind.mkString(" ")})")
  }

  def read(path: String): Vector[Event] = {
    val in = new BufferedReader(new InputStreamReader(new FileInputStream(path), StandardCharsets.UTF_8))
    val out = Vector.newBuilder[Event]
    try {
      var line = in.readLine()
      var n = 0L
      while (line != null) {
        val o = Json.parse(line)
        val key = Json.stringOr(o, "key", "")
        val topic = Json.stringOr(o, "topic", "")
        out += Parser.parse(topic, Math.floorMod(key.hashCode, 4), n, Json.stringOr(o, "value", "").getBytes(StandardCharsets.UTF_8))
        n += 1
        line = in.readLine()
      }
    } finally in.close()
    out.result()
  }

  def detect(events: Vector[Event], settings: Settings): Vector[Alert] = {
    val seen = scala.collection.mutable.HashSet[String]()
    val usage = events.filter(e => e.isUsage && seen.add(e.id))
    val fraud = Fraud.detect(usage, settings.spec, settings.fraud)
    val network = events.filter(e => e.ok && (e.typ == "pm" || e.typ == "alarm")).groupBy(_.cell).toVector.sortBy(_._1)
      .flatMap { case (cell, rows) => Network.step(cell, CellState.empty, rows, settings.network)._2 }
    fraud ++ network
  }
}
