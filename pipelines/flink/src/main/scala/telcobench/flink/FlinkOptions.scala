package telcobench.flink

import java.io.File

import com.fasterxml.jackson.databind.JsonNode

import telcobench.spark.Json

/** The job config's `flink` object (docs/contracts.md "Job config"): what only the Flink job reads. */
final case class FlinkOptions(parallelism: Int, checkpointIntervalMs: Long, progressIntervalMs: Long)

object FlinkOptions {
  def fromJson(root: JsonNode): FlinkOptions = {
    val n = if (root == null) null else root.get("flink")
    val o = FlinkOptions(
      parallelism = Json.intOr(n, "parallelism", 2),
      checkpointIntervalMs = Json.longOr(n, "checkpointIntervalMs", 1000L),
      progressIntervalMs = Json.longOr(n, "progressIntervalMs", 2000L))
    require(o.parallelism >= 1, s"flink.parallelism must be >= 1, got ${o.parallelism}")
    require(o.checkpointIntervalMs >= 100, s"flink.checkpointIntervalMs must be >= 100, got ${o.checkpointIntervalMs}")
    require(o.progressIntervalMs >= 100, s"flink.progressIntervalMs must be >= 100, got ${o.progressIntervalMs}")
    o
  }
}

/** Checkpoints under `<checkpointDir>/flink/<jobId>/chk-<n>/_metadata` (Flink writes `_metadata` last). */
object Checkpoints {
  def root(checkpointDir: String): File = new File(checkpointDir.stripSuffix("/"), "flink")

  /** The newest complete checkpoint of any earlier job of this run, if there is one. */
  def latest(checkpointDir: String): Option[File] = {
    val jobs = Option(root(checkpointDir).listFiles()).getOrElse(Array.empty[File]).filter(_.isDirectory)
    val complete = jobs.flatMap(j => Option(j.listFiles()).getOrElse(Array.empty[File]))
      .filter(c => c.isDirectory && c.getName.startsWith("chk-") && new File(c, "_metadata").isFile)
    if (complete.isEmpty) None else Some(complete.maxBy(c => new File(c, "_metadata").lastModified()))
  }
}
