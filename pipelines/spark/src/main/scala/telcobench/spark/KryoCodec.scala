package telcobench.spark

import java.nio.ByteBuffer

import scala.reflect.ClassTag

import org.apache.spark.{SparkConf, SparkEnv}
import org.apache.spark.serializer.{KryoSerializer, SerializerInstance}

/**
 * Kryo bytes for the records the stateful queries group and the state they keep (Pipelines.stateful, the state
 * functions), with one Kryo per thread for the life of the JVM.
 *
 * Spark's own `Encoders.kryo` creates a new KryoSerializer, and with it a new Kryo that registers several hundred
 * classes, in every task for every such column; on fraud-wave that creation, the class lookups it makes and the
 * reset of a reference table sized for the largest state ever written took a third of the executor threads' CPU
 * samples (docs/spark-pipelines.md "Code generation in every task"). Here a task thread keeps its instance.
 *
 * Reference tracking is off: these are trees of case classes and immutable collections with no cycles, and with it
 * on, Kryo clears a table as large as the largest object it has written before every object it writes.
 */
object KryoCodec {
  private lazy val serializer: KryoSerializer = {
    val conf = Option(SparkEnv.get).map(_.conf.clone()).getOrElse(new SparkConf(false))
    new KryoSerializer(conf.set("spark.kryo.referenceTracking", "false"))
  }

  private val perThread: ThreadLocal[SerializerInstance] = ThreadLocal.withInitial(() => serializer.newInstance())

  def encode[T: ClassTag](value: T): Array[Byte] = {
    val buffer = perThread.get().serialize(value)
    val bytes = new Array[Byte](buffer.remaining())
    buffer.get(bytes)
    bytes
  }

  def decode[T: ClassTag](bytes: Array[Byte]): T = perThread.get().deserialize[T](ByteBuffer.wrap(bytes))
}
