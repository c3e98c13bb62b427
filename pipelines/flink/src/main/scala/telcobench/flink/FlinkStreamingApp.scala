package telcobench.flink

import java.net.ServerSocket
import java.nio.charset.StandardCharsets
import java.nio.file.{Files, Paths}
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicBoolean

import org.apache.flink.api.common.JobStatus
import org.apache.flink.configuration.Configuration
import org.apache.flink.core.execution.JobClient
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment

import telcobench.spark.{JobConfig, Json}

/**
 * The Flink streaming job under test, in one JVM with an embedded Flink cluster (MiniCluster):
 *   java -cp target/telcobench-flink-0.1.0.jar:$(cat target/flink.classpath) telcobench.flink.FlinkStreamingApp --config job.json
 * Prints TELCOBENCH_READY on stdout once every task runs. Restarted after a crash with the same config, it resumes
 * from the newest complete checkpoint of the run. SIGTERM/SIGINT cancel the job and exit 0; exit 1 when the job
 * fails, 2 on a bad command line or config.
 */
object FlinkStreamingApp {
  def main(args: Array[String]): Unit = {
    val i = args.indexOf("--config")
    if (i < 0 || i + 1 >= args.length) {
      System.err.println("usage: --config <job.json>")
      sys.exit(2)
    }
    val configPath = args(i + 1)
    val (cfg, options) =
      try {
        val root = Json.parse(new String(Files.readAllBytes(Paths.get(configPath)), StandardCharsets.UTF_8))
        (JobConfig.fromJson(root), FlinkOptions.fromJson(root))
      } catch {
        case e: Exception =>
          System.err.println(s"[telcobench] invalid job config $configPath: ${e.getMessage}")
          sys.exit(2)
      }
    sys.exit(run(cfg, options))
  }

  private def freePort(): Int = {
    val s = new ServerSocket(0)
    try s.getLocalPort finally s.close()
  }

  def configuration(cfg: JobConfig, o: FlinkOptions, restPort: Int): Configuration = {
    val conf = new Configuration()
    conf.setString("execution.checkpointing.interval", s"${o.checkpointIntervalMs} ms")
    conf.setString("execution.checkpointing.mode", "EXACTLY_ONCE")
    conf.setString("execution.checkpointing.dir", Checkpoints.root(cfg.checkpointDir).toURI.toString)
    // Kept when the job is cancelled (a harness stop), so a later start of the same run can resume.
    conf.setString("execution.checkpointing.externalized-checkpoint-retention", "RETAIN_ON_CANCELLATION")
    conf.setString("execution.checkpointing.num-retained", "2")
    conf.setString("state.backend.type", "hashmap")
    conf.setString("rest.address", "127.0.0.1")
    conf.setString("rest.bind-address", "127.0.0.1")
    conf.setString("rest.port", restPort.toString)
    conf.setString("rest.bind-port", restPort.toString)
    conf.setString("jobmanager.bind-host", "127.0.0.1")
    conf.setString("taskmanager.bind-host", "127.0.0.1")
    conf.setString("taskmanager.host", "127.0.0.1")
    conf.setString("taskmanager.numberOfTaskSlots", o.parallelism.toString)
    // The REST API's operator metrics (records read) refresh at this interval (default 10 s): the progress records'.
    conf.setString("metrics.fetcher.update-interval", s"${o.progressIntervalMs} ms")
    Checkpoints.latest(cfg.checkpointDir).foreach { chk =>
      conf.setString("execution.state-recovery.path", chk.toURI.toString)
      System.err.println(s"[telcobench] resuming from checkpoint $chk")
    }
    conf
  }

  def run(cfg: JobConfig, o: FlinkOptions): Int = {
    val stopRequested = new AtomicBoolean(false)
    installSignalHandlers(stopRequested)
    val restPort = freePort()
    val env = StreamExecutionEnvironment.createLocalEnvironment(o.parallelism, configuration(cfg, o, restPort))
    val outputs = scala.collection.mutable.ListBuffer[org.apache.flink.streaming.api.datastream.DataStream[telcobench.spark.OutRow]]()
    val queries = scala.collection.mutable.LinkedHashMap[String, String]()
    val wantsCdr = cfg.queries.contains("rating") || cfg.queries.contains("fraud")
    lazy val cdr = env.fromSource(KafkaParts.source(cfg, Seq("cdr")), KafkaParts.watermarks(cfg), "cdr").uid("source-cdr")
    if (cfg.queries.contains("rating")) {
      outputs += Topology.rating(cdr, cfg.settings)
      queries("rating") = Topology.RatingOperator
    }
    if (cfg.queries.contains("fraud")) {
      outputs += Topology.fraud(cdr, cfg.settings)
      queries("fraud") = Topology.FraudOperator
    }
    if (cfg.queries.contains("network")) {
      val pm = env.fromSource(KafkaParts.source(cfg, Seq("pm", "alarms")), KafkaParts.watermarks(cfg), "pm+alarms").uid("source-network")
      outputs += Topology.network(pm, cfg.settings)
      queries("network") = Topology.NetworkOperator
    }
    if (!wantsCdr && outputs.isEmpty) {
      System.err.println("[telcobench] no query to run")
      return 2
    }
    outputs.reduce((a, b) => a.union(b)).sinkTo(KafkaParts.sink(cfg)).name("kafka sink").uid("sink")

    val client: JobClient = env.executeAsync(s"telcobench-${cfg.runId}")
    val jobId = client.getJobID.toString
    val reporter = new ProgressReporter(cfg, restPort, jobId, queries.toMap)
    try {
      var ready = false
      var lastReport = 0L
      while (!stopRequested.get()) {
        val status = client.getJobStatus.get(10, TimeUnit.SECONDS)
        if (status == JobStatus.FAILED || status == JobStatus.CANCELED || status == JobStatus.FINISHED) {
          val result = try { client.getJobExecutionResult.get(10, TimeUnit.SECONDS); None } catch { case e: Exception => Some(e) }
          result.foreach(e => System.err.println(s"[telcobench] Flink job $status: ${rootMessage(e)}"))
          return if (status == JobStatus.FINISHED) 0 else 1
        }
        if (!ready && status == JobStatus.RUNNING && reporter.vertices()._2) {
          ready = true
          println("TELCOBENCH_READY")
          System.out.flush()
          System.err.println(s"[telcobench] Flink job $jobId running: ${queries.keys.mkString(", ")} guarantee=${cfg.guarantee} " +
            s"checkpointIntervalMs=${o.checkpointIntervalMs} parallelism=${o.parallelism} rest=127.0.0.1:$restPort")
        }
        val now = System.currentTimeMillis()
        if (ready && now - lastReport >= o.progressIntervalMs) {
          reporter.publish()
          lastReport = now
        }
        Thread.sleep(100)
      }
      System.err.println("[telcobench] stopping: cancelling the Flink job (checkpoints are kept)")
      try client.cancel().get(20, TimeUnit.SECONDS)
      catch { case e: Exception => System.err.println(s"[telcobench] cancel: ${rootMessage(e)}") }
      0
    } finally reporter.close()
  }

  private def rootMessage(e: Throwable): String = {
    var c = e
    while (c.getCause != null && (c.getCause ne c)) c = c.getCause
    s"${c.getClass.getName}: ${c.getMessage}"
  }

  private def installSignalHandlers(stopRequested: AtomicBoolean): Unit = {
    val handler = new sun.misc.SignalHandler {
      override def handle(sig: sun.misc.Signal): Unit = {
        System.err.println(s"[telcobench] SIG${sig.getName}: stopping the job")
        stopRequested.set(true)
      }
    }
    sun.misc.Signal.handle(new sun.misc.Signal("TERM"), handler)
    sun.misc.Signal.handle(new sun.misc.Signal("INT"), handler)
  }
}
