package telcobench.spark

import org.apache.kafka.clients.producer.{KafkaProducer, ProducerRecord}
import org.apache.spark.sql.streaming.StreamingQueryListener

/** Publishes every StreamingQueryProgress JSON to the `progress` topic, keyed by query name. */
final class ProgressPublisher(cfg: JobConfig) extends StreamingQueryListener {
  private val topic = cfg.topic("progress")
  // Telemetry must never stall Spark's listener bus for long (e.g. when the progress topic is missing).
  private val producer: KafkaProducer[String, String] =
    KafkaIo.producer(cfg.copy(kafkaOptions = Map("max.block.ms" -> "10000") ++ cfg.kafkaOptions), None)

  override def onQueryStarted(event: StreamingQueryListener.QueryStartedEvent): Unit = ()

  override def onQueryProgress(event: StreamingQueryListener.QueryProgressEvent): Unit = {
    val p = event.progress
    producer.send(new ProducerRecord[String, String](topic, p.name, p.json))
  }

  override def onQueryIdle(event: StreamingQueryListener.QueryIdleEvent): Unit = ()

  override def onQueryTerminated(event: StreamingQueryListener.QueryTerminatedEvent): Unit = {
    event.exception.foreach(e => System.err.println(s"[telcobench] query ${event.id} terminated with: $e"))
    producer.flush()
  }

  def close(): Unit = {
    try producer.flush() finally producer.close()
  }
}
