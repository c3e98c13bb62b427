package telcobench.spark

import java.io.BufferedOutputStream
import java.nio.file.{Files, Paths, Path => NioPath}

import org.apache.hadoop.conf.Configuration
import org.apache.hadoop.fs.{FSDataOutputStream, FileAlreadyExistsException, Path}
import org.apache.spark.sql.execution.streaming.checkpointing.FileSystemBasedCheckpointFileManager

/**
 * Spark's checkpoint file manager (offset and commit logs, state store files) for checkpoint folders on the local
 * disk, without a child process per file.
 *
 * Hadoop 3.4.2's local file system has no native library when it comes from Maven, so it sets a new file's
 * permissions by running `chmod` in a child process (RawLocalFileSystem.setPermission), and Spark's default
 * FileContext-based manager also runs `readlink` for every rename (RawLocalFs.getFileLinkStatus). On the quickstart
 * that was about 40 child processes a second from the Spark JVM, each one a fork of a JVM on a 2-core machine:
 * docs/spark-pipelines.md "Checkpoint files without child processes" has the measurement.
 *
 * Here a temporary file is created with java.nio (the process umask gives it the usual 0644), directories likewise;
 * the atomic rename, listing, reading and deleting stay Hadoop's FileSystem calls, which run no process for local
 * files. Paths on any other file system go to Spark's FileSystem-based manager unchanged.
 */
class LocalCheckpointFileManager(path: Path, hadoopConf: Configuration)
    extends FileSystemBasedCheckpointFileManager(path, hadoopConf) {

  private val onLocalDisk: Boolean = fs.getScheme == "file"

  override def createTempFile(file: Path): FSDataOutputStream =
    if (!onLocalDisk) super.createTempFile(file)
    else {
      val local = localPath(file)
      Option(local.getParent).foreach(parent => Files.createDirectories(parent))
      // No statistics object: Spark reads none from checkpoint streams.
      new FSDataOutputStream(new BufferedOutputStream(Files.newOutputStream(local), 64 * 1024), null)
    }

  /** Like Spark's, but a temporary file whose rename was refused (the target exists) is removed, not left behind. */
  override def renameTempFile(tempFile: Path, target: Path, overwriteIfPossible: Boolean): Unit =
    try super.renameTempFile(tempFile, target, overwriteIfPossible)
    catch {
      case refused: FileAlreadyExistsException =>
        if (onLocalDisk) Files.deleteIfExists(localPath(tempFile))
        throw refused
    }

  override def mkdirs(dir: Path): Unit =
    if (!onLocalDisk) super.mkdirs(dir)
    else Files.createDirectories(localPath(dir))

  private def localPath(file: Path): NioPath = Paths.get(fs.makeQualified(file).toUri)
}

object LocalCheckpointFileManager {
  /** The Spark SQL setting that names the checkpoint file manager class (read from the Hadoop configuration). */
  val ConfKey: String = "spark.sql.streaming.checkpointFileManagerClass"
}
