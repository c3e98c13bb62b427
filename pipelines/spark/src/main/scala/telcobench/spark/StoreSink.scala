package telcobench.spark

import org.apache.kafka.clients.producer.{KafkaProducer, ProducerRecord}
import org.apache.spark.api.java.function.VoidFunction2
import org.apache.spark.sql.Dataset

/**
 * foreachBatch sink for guarantee = at-least-once with a serving store (docs/serving.md): per micro-batch, on the
 * driver, the store rows first, then the Kafka records with an idempotent producer. A batch replayed after a
 * crash writes the same store rows again (upserts by primary key, bills at the batch's write timestamp), so the
 * store stays exact while Kafka may carry a duplicate, as with Spark's own Kafka sink.
 */
final class StoreSink(cfg: JobConfig, queryName: String) extends VoidFunction2[Dataset[OutRow], java.lang.Long] {
  private var producer: KafkaProducer[String, String] = _

  override def call(ds: Dataset[OutRow], batchIdBoxed: java.lang.Long): Unit = {
    val batchId = batchIdBoxed.longValue()
    val rows = ds.collect()
    cfg.store.foreach(s => CassandraStore.of(s).write(StoreRows.writes(rows.toSeq, batchId), s"$queryName batch $batchId"))
    if (producer == null) producer = KafkaIo.producer(cfg, None)
    val sent = rows.iterator.filter(StoreRows.isForKafka)
      .map(r => producer.send(new ProducerRecord[String, String](cfg.topic(r.topic), r.key, r.value))).toVector
    producer.flush()
    sent.foreach(_.get())
  }
}
