package telcobench.spark

import com.fasterxml.jackson.databind.{JsonNode, ObjectMapper}
import com.fasterxml.jackson.databind.node.{ArrayNode, JsonNodeType, ObjectNode}

/** Small helpers over Jackson's tree model. Money and times are read as Longs only. */
object Json {
  /** Strict: "{...} trailing text" is not JSON. */
  val mapper: ObjectMapper = new ObjectMapper()
    .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS)

  def parse(text: String): JsonNode = mapper.readTree(text)

  /** The objects of a JSON Lines file (one per non-blank line), e.g. the truth's anomaly.jsonl and label.jsonl. */
  def readLines(path: String): Vector[JsonNode] = {
    val lines = java.nio.file.Files.readAllLines(java.nio.file.Paths.get(path), java.nio.charset.StandardCharsets.UTF_8)
    val out = Vector.newBuilder[JsonNode]
    lines.forEach(line => if (line.trim.nonEmpty) out += parse(line))
    out.result()
  }

  def obj(): ObjectNode = mapper.createObjectNode()

  def arr(): ArrayNode = mapper.createArrayNode()

  def write(node: JsonNode): String = mapper.writeValueAsString(node)

  /** An integral JSON number that fits a Long (no fractions, no strings). */
  def isIntegral(node: JsonNode): Boolean =
    node != null && node.getNodeType == JsonNodeType.NUMBER && node.canConvertToLong &&
      (node.isIntegralNumber || (node.isFloatingPointNumber && node.asDouble() == math.rint(node.asDouble())))

  def longField(node: JsonNode, name: String): Option[Long] = {
    val v = if (node == null) null else node.get(name)
    if (isIntegral(v)) Some(v.asLong()) else None
  }

  def stringField(node: JsonNode, name: String): Option[String] = {
    val v = if (node == null) null else node.get(name)
    if (v != null && v.isTextual) Some(v.asText()) else None
  }

  def longOr(node: JsonNode, name: String, default: Long): Long = longField(node, name).getOrElse(default)

  def doubleOr(node: JsonNode, name: String, default: Double): Double = {
    val v = if (node == null) null else node.get(name)
    if (v != null && v.isNumber) v.asDouble() else default
  }

  def intOr(node: JsonNode, name: String, default: Int): Int =
    if (node == null) default else longField(node, name).map(_.toInt).getOrElse(default)

  def stringOr(node: JsonNode, name: String, default: String): String =
    if (node == null) default else stringField(node, name).getOrElse(default)

  def boolOr(node: JsonNode, name: String, default: Boolean): Boolean = {
    val v = if (node == null) null else node.get(name)
    if (v != null && v.isBoolean) v.asBoolean() else default
  }

  def stringList(node: JsonNode, name: String): List[String] = {
    val v = if (node == null) null else node.get(name)
    if (v == null || !v.isArray) Nil
    else (0 until v.size()).toList.flatMap(i => if (v.get(i).isTextual) Some(v.get(i).asText()) else None)
  }
}
