package telcobench.spark

/**
 * How the job's logical queries (rating, network, fraud) map onto Spark streaming queries (job config
 * `queryLayout`, docs/spark-pipelines.md "Query layout"):
 *   - `per-query`: one Spark query each;
 *   - `per-source`: one Spark query per input, so rating and fraud (both on cdr) share one, network has its own;
 *   - `single`: one Spark query for all of them.
 * A shared Spark query is named after its parts joined with `+` (e.g. `rating+fraud`).
 */
object QueryLayout {
  val Known: List[String] = List("per-query", "per-source", "single")

  /** The topics (suffixes) each logical query reads: the one place that says so (the parts in Pipelines use it too). */
  def topicsOf(query: String): Set[String] = query match {
    case "network" => Set("pm", "alarms")
    case _ => Set("cdr")
  }

  /** The logical queries of each Spark query, in the order of `queries`. */
  def groups(layout: String, queries: List[String]): List[List[String]] = layout match {
    case "single" => List(queries)
    case "per-source" =>
      val sources = queries.map(topicsOf).distinct
      sources.map(topics => queries.filter(q => topicsOf(q) == topics))
    case "per-query" => queries.map(List(_))
    case other => throw new IllegalArgumentException(s"unknown queryLayout '$other' (known: ${Known.mkString(", ")})")
  }

  def nameOf(group: List[String]): String = group.mkString("+")
}
