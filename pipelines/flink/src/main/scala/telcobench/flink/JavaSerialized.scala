package telcobench.flink

import java.io.{ByteArrayInputStream, ByteArrayOutputStream, ObjectInputStream, ObjectOutputStream, ObjectStreamClass}

import org.apache.flink.api.common.serialization.SerializerConfig
import org.apache.flink.api.common.typeinfo.TypeInformation
import org.apache.flink.api.common.typeutils.{TypeSerializer, TypeSerializerSchemaCompatibility, TypeSerializerSnapshot}
import org.apache.flink.core.memory.{DataInputView, DataOutputView}

/**
 * Keyed state of the shared Scala logic (BillState, CellState, FraudKeyState: immutable case classes holding Scala
 * Lists, Maps, Options and an Enumeration) stored with Java serialization, which Scala's collections and singletons
 * (Nil, None, Enumeration values) support exactly; Kryo would rebuild those singletons as new objects. With the
 * heap state backend the state lives as objects, so this serializer runs only when a checkpoint is written or read.
 */
final class JavaSerializedSerializer[T <: java.io.Serializable](val typeClass: Class[T]) extends TypeSerializer[T] {
  override def isImmutableType: Boolean = true
  override def duplicate(): TypeSerializer[T] = this
  override def createInstance(): T = null.asInstanceOf[T]
  override def copy(from: T): T = from
  override def copy(from: T, reuse: T): T = from
  override def getLength: Int = -1

  override def serialize(record: T, target: DataOutputView): Unit = {
    val bytes = new ByteArrayOutputStream()
    val out = new ObjectOutputStream(bytes)
    out.writeObject(record)
    out.close()
    target.writeInt(bytes.size())
    target.write(bytes.toByteArray)
  }

  override def deserialize(source: DataInputView): T = {
    val bytes = new Array[Byte](source.readInt())
    source.readFully(bytes)
    val in = new ObjectInputStream(new ByteArrayInputStream(bytes)) {
      // The job's classes come from the user-code class loader, not the one ObjectInputStream would pick.
      override def resolveClass(desc: ObjectStreamClass): Class[_] =
        Class.forName(desc.getName, false, typeClass.getClassLoader)
    }
    try typeClass.cast(in.readObject()) finally in.close()
  }

  override def deserialize(reuse: T, source: DataInputView): T = deserialize(source)

  override def copy(source: DataInputView, target: DataOutputView): Unit = {
    val n = source.readInt()
    target.writeInt(n)
    target.write(source, n)
  }

  override def equals(other: Any): Boolean = other match {
    case o: JavaSerializedSerializer[_] => o.typeClass == typeClass
    case _ => false
  }
  override def hashCode(): Int = typeClass.hashCode()

  override def snapshotConfiguration(): TypeSerializerSnapshot[T] = new JavaSerializedSnapshot[T](typeClass)
}

/** Restores the serializer from the state class's name (the serialized form itself is Java's). */
final class JavaSerializedSnapshot[T <: java.io.Serializable](private var typeClass: Class[T]) extends TypeSerializerSnapshot[T] {
  def this() = this(null)
  override def getCurrentVersion: Int = 1
  override def writeSnapshot(out: DataOutputView): Unit = out.writeUTF(typeClass.getName)
  override def readSnapshot(version: Int, in: DataInputView, loader: ClassLoader): Unit =
    typeClass = Class.forName(in.readUTF(), false, loader).asInstanceOf[Class[T]]
  override def restoreSerializer(): TypeSerializer[T] = new JavaSerializedSerializer[T](typeClass)
  override def resolveSchemaCompatibility(old: TypeSerializerSnapshot[T]): TypeSerializerSchemaCompatibility[T] =
    old match {
      case o: JavaSerializedSnapshot[_] if o.typeClass == typeClass => TypeSerializerSchemaCompatibility.compatibleAsIs()
      case _ => TypeSerializerSchemaCompatibility.incompatible()
    }
}

/** TypeInformation for values kept with [[JavaSerializedSerializer]]. */
final class JavaSerializedInfo[T <: java.io.Serializable](val typeClass: Class[T]) extends TypeInformation[T] {
  override def isBasicType: Boolean = false
  override def isTupleType: Boolean = false
  override def getArity: Int = 1
  override def getTotalFields: Int = 1
  override def getTypeClass: Class[T] = typeClass
  override def isKeyType: Boolean = false
  override def createSerializer(config: SerializerConfig): TypeSerializer[T] = new JavaSerializedSerializer[T](typeClass)
  override def toString: String = s"JavaSerialized(${typeClass.getName})"
  override def equals(other: Any): Boolean = other match {
    case o: JavaSerializedInfo[_] => o.typeClass == typeClass
    case _ => false
  }
  override def hashCode(): Int = typeClass.hashCode()
  override def canEqual(other: Any): Boolean = other.isInstanceOf[JavaSerializedInfo[_]]
}
