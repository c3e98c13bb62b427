package telcobench.spark

import java.nio.charset.StandardCharsets.UTF_8
import java.nio.file.{Files, Path => NioPath}

import org.apache.hadoop.conf.Configuration
import org.apache.hadoop.fs.{FileAlreadyExistsException, Path}
import org.apache.spark.sql.execution.streaming.checkpointing.CheckpointFileManager
import org.scalatest.BeforeAndAfterEach
import org.scalatest.funsuite.AnyFunSuite

/** The checkpoint file manager's atomic writes on a real local folder, and Spark picking it from its setting. */
class LocalCheckpointFileManagerSpec extends AnyFunSuite with BeforeAndAfterEach {
  private var dir: NioPath = _

  override def beforeEach(): Unit = dir = Files.createTempDirectory("tb-ckpt-manager")

  override def afterEach(): Unit = TempFolder.delete(dir)

  private def manager(): LocalCheckpointFileManager = new LocalCheckpointFileManager(new Path(dir.toUri), new Configuration())

  private def names(folder: NioPath): Set[String] = {
    val list = Files.list(folder)
    try list.toArray.map(p => p.asInstanceOf[NioPath].getFileName.toString).toSet finally list.close()
  }

  test("Spark's CheckpointFileManager.create picks the class its setting names") {
    val conf = new Configuration()
    conf.set(LocalCheckpointFileManager.ConfKey, classOf[LocalCheckpointFileManager].getName)
    assert(CheckpointFileManager.create(new Path(dir.toUri), conf).isInstanceOf[LocalCheckpointFileManager])
  }

  test("a file appears under its name only when its stream is closed, with no temp file or checksum file left") {
    val fm = manager()
    val target = new Path(new Path(dir.toUri), "offsets/0")
    val out = fm.createAtomic(target, overwriteIfPossible = false)
    out.write("v1\n{}".getBytes(UTF_8))
    assert(!fm.exists(target))
    out.close()
    assert(fm.exists(target))
    assert(names(dir.resolve("offsets")) == Set("0"))
    val in = fm.open(target)
    try assert(new String(in.readAllBytes(), UTF_8) == "v1\n{}") finally in.close()
    assert(fm.list(new Path(new Path(dir.toUri), "offsets")).map(_.getPath.getName).toSeq == Seq("0"))
  }

  test("a cancelled write leaves nothing; an existing file is kept unless overwriting is allowed") {
    val fm = manager()
    val target = new Path(new Path(dir.toUri), "commits/3")
    val cancelled = fm.createAtomic(target, overwriteIfPossible = false)
    cancelled.write(1)
    cancelled.cancel()
    assert(names(dir.resolve("commits")).isEmpty)

    val first = fm.createAtomic(target, overwriteIfPossible = false)
    first.write("first".getBytes(UTF_8))
    first.close()
    val second = fm.createAtomic(target, overwriteIfPossible = false)
    second.write("second".getBytes(UTF_8))
    assertThrows[FileAlreadyExistsException](second.close())
    assert(new String(Files.readAllBytes(dir.resolve("commits/3")), UTF_8) == "first")

    val third = fm.createAtomic(target, overwriteIfPossible = true)
    third.write("third".getBytes(UTF_8))
    third.close()
    assert(new String(Files.readAllBytes(dir.resolve("commits/3")), UTF_8) == "third")
    assert(names(dir.resolve("commits")) == Set("3"))
  }

  test("mkdirs makes nested folders and is a no-op on an existing one") {
    val fm = manager()
    val nested = new Path(new Path(dir.toUri), "state/0/1")
    fm.mkdirs(nested)
    fm.mkdirs(nested)
    assert(Files.isDirectory(dir.resolve("state/0/1")))
  }
}
