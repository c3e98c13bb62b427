package telcobench.spark

import java.nio.file.{Files, Path}

import org.apache.spark.sql.SparkSession
import org.scalatest.{BeforeAndAfterAll, Suite}

/** A spec's local one-thread Spark session and temp folder, both created before its tests and removed after. */
trait LocalSparkSession extends BeforeAndAfterAll { this: Suite =>
  /** The session's application name and the temp folder's prefix. */
  protected def sessionName: String

  protected var spark: SparkSession = _
  protected var dir: Path = _

  override def beforeAll(): Unit = {
    super.beforeAll()
    spark = SparkSession.builder().master("local[1]").appName(sessionName)
      .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2")
      .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
      .getOrCreate()
    dir = Files.createTempDirectory(sessionName)
  }

  override def afterAll(): Unit = {
    try {
      if (spark != null) spark.stop()
      if (dir != null) TempFolder.delete(dir)
    } finally super.afterAll()
  }
}

/** Removal of a test's temporary folder with everything in it. */
object TempFolder {
  def delete(dir: Path): Unit = {
    val walk = Files.walk(dir)
    try walk.sorted(java.util.Comparator.reverseOrder[Path]()).forEach(p => Files.deleteIfExists(p))
    finally walk.close()
  }
}
