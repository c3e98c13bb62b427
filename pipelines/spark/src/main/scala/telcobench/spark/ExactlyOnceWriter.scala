package telcobench.spark

import org.apache.kafka.clients.producer.{KafkaProducer, ProducerRecord}
import org.apache.kafka.common.errors.{OutOfOrderSequenceException, ProducerFencedException}
import org.apache.spark.api.java.function.VoidFunction2
import org.apache.spark.sql.Dataset

/**
 * foreachBatch sink for guarantee = exactly-once (design and crash-window argument: docs/exactly-once.md).
 *
 * Per micro-batch, on the driver: one Kafka transaction holds every output record of the batch plus a marker
 * record `{query, queryId, batchId}` in the compacted `<prefix>eos-commits` topic (key `<query>:<queryId>`).
 * The transactional.id is stable per run and query, so a restarted driver fences its predecessor and aborts its
 * open transaction. A batch whose id is <= the last committed marker (read read_committed on first use) was
 * already written before a crash and is skipped.
 */
final class ExactlyOnceWriter(cfg: JobConfig, queryName: String, checkpoint: String) extends VoidFunction2[Dataset[OutRow], java.lang.Long] {
  val markerTopic: String = cfg.topic("eos-commits")
  val transactionalId: String = s"telcobench-${cfg.runId}-$queryName"
  private var producer: KafkaProducer[String, String] = _
  private var markerKey: String = _
  private var lastCommitted: Long = -1L

  /** The query id Spark keeps in <checkpoint>/metadata: stable across restarts, new when the checkpoint is new. */
  private def queryId(ds: Dataset[OutRow]): String = {
    val path = new org.apache.hadoop.fs.Path(checkpoint, "metadata")
    val fs = path.getFileSystem(ds.sparkSession.sparkContext.hadoopConfiguration)
    val in = fs.open(path)
    try {
      val text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
      Json.stringOr(Json.parse(text.linesIterator.next()), "id", "")
    } finally in.close()
  }

  private def init(ds: Dataset[OutRow]): Unit = {
    val id = queryId(ds)
    require(id.nonEmpty, s"no query id in $checkpoint/metadata")
    markerKey = s"$queryName:$id"
    producer = KafkaIo.producer(cfg, Some(transactionalId))
    producer.initTransactions() // fences older producers with this id and aborts their open transaction
    lastCommitted = KafkaIo.readAllCommitted(cfg, markerTopic)
      .filter(_._1 == markerKey)
      .map { case (_, v) => Json.longOr(Json.parse(v), "batchId", -1L) }
      .foldLeft(-1L)(math.max)
    System.err.println(s"[telcobench] $queryName exactly-once: transactional.id=$transactionalId marker=$markerKey " +
      s"lastCommittedBatch=$lastCommitted")
  }

  override def call(ds: Dataset[OutRow], batchIdBoxed: java.lang.Long): Unit = {
    val batchId = batchIdBoxed.longValue()
    if (producer == null) init(ds)
    // The batch is always computed in full: Spark 4.1 checks that every state store partition committed.
    val rows = ds.collect()
    if (batchId <= lastCommitted) {
      System.err.println(s"[telcobench] $queryName batch $batchId already committed to Kafka, not writing the replay " +
        s"(${rows.length} records)")
    } else {
      // The store first: a crash between the two replays the batch, which rewrites the same store rows.
      cfg.store.foreach(st => CassandraStore.of(st).write(StoreRows.writes(rows.toSeq, batchId), s"$queryName batch $batchId"))
      producer.beginTransaction()
      try {
        rows.iterator.filter(StoreRows.isForKafka).foreach(r => producer.send(new ProducerRecord[String, String](cfg.topic(r.topic), r.key, r.value)))
        val marker = Json.obj().put("query", queryName).put("batchId", batchId).put("records", rows.count(StoreRows.isForKafka).toLong)
        producer.send(new ProducerRecord[String, String](markerTopic, markerKey, Json.write(marker)))
        producer.commitTransaction()
        lastCommitted = batchId
      } catch {
        case e @ (_: ProducerFencedException | _: OutOfOrderSequenceException) =>
          close()
          throw e
        case e: Exception =>
          try producer.abortTransaction() catch { case _: Exception => () }
          close()
          throw e
      }
    }
  }

  def close(): Unit = {
    if (producer != null) {
      try producer.close() catch { case _: Exception => () }
      producer = null
    }
  }
}
