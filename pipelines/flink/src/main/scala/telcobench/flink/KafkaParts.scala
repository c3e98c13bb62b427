package telcobench.flink

import java.lang.{Long => JLong}
import java.nio.charset.StandardCharsets
import java.time.Duration
import java.util.Properties

import org.apache.flink.api.common.eventtime.{SerializableTimestampAssigner, WatermarkStrategy}
import org.apache.flink.api.common.typeinfo.TypeInformation
import org.apache.flink.connector.base.DeliveryGuarantee
import org.apache.flink.connector.kafka.sink.{KafkaRecordSerializationSchema, KafkaSink}
import org.apache.flink.connector.kafka.source.KafkaSource
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema
import org.apache.flink.util.Collector
import org.apache.kafka.clients.consumer.ConsumerRecord
import org.apache.kafka.clients.producer.ProducerRecord

import telcobench.spark.{Event, JobConfig, OutRow, Parser}

/** Every Kafka record becomes an Event through the shared Parser (rejected ones carry their DLQ reason). */
final class EventDeserializer(topicPrefix: String) extends KafkaRecordDeserializationSchema[Event] {
  override def deserialize(r: ConsumerRecord[Array[Byte], Array[Byte]], out: Collector[Event]): Unit = {
    val suffix = if (r.topic().startsWith(topicPrefix)) r.topic().substring(topicPrefix.length) else r.topic()
    // The record's Kafka timestamp (the broker's append time) and the parse time feed the harness's latency
    // breakdown; Flink has no micro-batch, so no batch time.
    out.collect(Parser.parse(suffix, r.partition(), r.offset(), r.value()).timed(r.timestamp(), -1L, System.currentTimeMillis()))
  }
  override def getProducedType: TypeInformation[Event] = Topology.EventType
}

/** Output rows to `<prefix><topic>`, keyed as docs/contracts.md says (dlq: no key); timestamp: the write time. */
final class OutRowSerializer(topicPrefix: String) extends KafkaRecordSerializationSchema[OutRow] {
  override def serialize(row: OutRow, ctx: KafkaRecordSerializationSchema.KafkaSinkContext, timestamp: JLong): ProducerRecord[Array[Byte], Array[Byte]] = {
    val key = if (row.key == null) null else row.key.getBytes(StandardCharsets.UTF_8)
    new ProducerRecord[Array[Byte], Array[Byte]](topicPrefix + row.topic, null, null, key, row.value.getBytes(StandardCharsets.UTF_8))
  }
}

object KafkaParts {
  /** Event time for watermarks: a valid record's eventTime; a rejected one (eventTime 0) never advances them. */
  private final class EventTimeAssigner extends SerializableTimestampAssigner[Event] {
    override def extractTimestamp(e: Event, recordTimestamp: Long): Long = if (e.ok) e.eventTime else 0L
  }

  def watermarks(cfg: JobConfig): WatermarkStrategy[Event] =
    WatermarkStrategy.forBoundedOutOfOrderness[Event](Duration.ofMillis(cfg.settings.dedupWatermarkMs))
      .withTimestampAssigner(new EventTimeAssigner)

  private def options(cfg: JobConfig): Properties = {
    val p = new Properties()
    cfg.kafkaOptions.foreach { case (k, v) => p.setProperty(k, v) }
    p
  }

  /** The consumer group a source commits its checkpointed offsets to (Flink keeps its own in checkpoints). */
  def groupId(cfg: JobConfig, suffixes: Seq[String]): String = s"telcobench-${cfg.runId}-flink-${suffixes.mkString("-")}"

  def source(cfg: JobConfig, suffixes: Seq[String]): KafkaSource[Event] = {
    val b = KafkaSource.builder[Event]()
      .setBootstrapServers(cfg.bootstrap)
      .setTopics(suffixes.map(cfg.topic): _*)
      .setGroupId(groupId(cfg, suffixes))
      .setStartingOffsets(OffsetsInitializer.earliest())
      .setDeserializer(new EventDeserializer(cfg.topicPrefix))
      .setProperties(options(cfg))
    if (cfg.guarantee == "exactly-once") b.setProperty("isolation.level", "read_committed")
    b.build()
  }

  /**
   * exactly-once: Kafka transactions committed when a checkpoint completes (prefix stable per run, so a restarted
   * job aborts what its predecessor left open); at-least-once: flushed at every checkpoint.
   */
  def sink(cfg: JobConfig): KafkaSink[OutRow] = {
    val b = KafkaSink.builder[OutRow]()
      .setBootstrapServers(cfg.bootstrap)
      .setKafkaProducerConfig(options(cfg))
      .setRecordSerializer(new OutRowSerializer(cfg.topicPrefix))
      .setProperty("linger.ms", cfg.kafkaOptions.getOrElse("linger.ms", "5"))
    if (cfg.guarantee == "exactly-once")
      b.setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
        .setTransactionalIdPrefix(s"telcobench-${cfg.runId}-flink")
        // At most the broker's transaction.max.timeout.ms (15 min); short, so a transaction a crash left open
        // blocks read_committed readers for a minute at most.
        .setProperty("transaction.timeout.ms", cfg.kafkaOptions.getOrElse("transaction.timeout.ms", "60000"))
    else b.setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
    b.build()
  }
}
