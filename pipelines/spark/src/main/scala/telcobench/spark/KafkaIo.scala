package telcobench.spark

import java.time.Duration
import java.util.{Collections, Optional, Properties}

import scala.jdk.CollectionConverters._

import org.apache.kafka.clients.admin.{Admin, NewTopic}
import org.apache.kafka.clients.consumer.KafkaConsumer
import org.apache.kafka.clients.producer.KafkaProducer
import org.apache.kafka.common.TopicPartition
import org.apache.kafka.common.errors.TopicExistsException
import org.apache.kafka.common.serialization.{StringDeserializer, StringSerializer}

/** Plain Kafka clients (driver side) built from the job config. */
object KafkaIo {
  def baseProps(cfg: JobConfig): Properties = {
    val p = new Properties()
    p.put("bootstrap.servers", cfg.bootstrap)
    cfg.kafkaOptions.foreach { case (k, v) => p.put(k, v) }
    p
  }

  def producer(cfg: JobConfig, transactionalId: Option[String]): KafkaProducer[String, String] = {
    val p = baseProps(cfg)
    p.put("key.serializer", classOf[StringSerializer].getName)
    p.put("value.serializer", classOf[StringSerializer].getName)
    p.put("acks", "all")
    p.put("enable.idempotence", "true")
    p.putIfAbsent("linger.ms", "5")
    transactionalId.foreach { id =>
      p.put("transactional.id", id)
      p.putIfAbsent("transaction.timeout.ms", "60000")
    }
    new KafkaProducer[String, String](p)
  }

  def consumer(cfg: JobConfig): KafkaConsumer[String, String] = {
    val p = baseProps(cfg)
    p.put("key.deserializer", classOf[StringDeserializer].getName)
    p.put("value.deserializer", classOf[StringDeserializer].getName)
    p.put("isolation.level", "read_committed")
    p.put("enable.auto.commit", "false")
    new KafkaConsumer[String, String](p)
  }

  /** Create a compacted single-partition topic if it does not exist (replication: broker default). */
  def ensureCompactedTopic(cfg: JobConfig, topic: String): Unit = {
    val admin = Admin.create(baseProps(cfg))
    try {
      val t = new NewTopic(topic, Optional.of[Integer](1), Optional.empty[java.lang.Short]())
        .configs(Map("cleanup.policy" -> "compact").asJava)
      try admin.createTopics(Collections.singletonList(t)).all().get()
      catch {
        case e: java.util.concurrent.ExecutionException if e.getCause.isInstanceOf[TopicExistsException] => ()
      }
    } finally admin.close(Duration.ofSeconds(10))
  }

  /** Every committed record of a single-partition topic, read_committed, from the beginning to the end. */
  def readAllCommitted(cfg: JobConfig, topic: String): Vector[(String, String)] = {
    val c = consumer(cfg)
    try {
      val tp = new TopicPartition(topic, 0)
      c.assign(Collections.singletonList(tp))
      c.seekToBeginning(Collections.singletonList(tp))
      val end = c.endOffsets(Collections.singletonList(tp)).get(tp).longValue()
      val out = Vector.newBuilder[(String, String)]
      val deadline = System.currentTimeMillis() + 60000L
      while (c.position(tp) < end) {
        if (System.currentTimeMillis() > deadline) throw new IllegalStateException(s"timed out reading $topic")
        c.poll(Duration.ofMillis(500)).asScala.foreach(r => out += ((r.key(), r.value())))
      }
      out.result()
    } finally c.close()
  }
}
