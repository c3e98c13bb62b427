package telcobench.flink

import org.apache.flink.api.common.functions.FlatMapFunction
import org.apache.flink.api.common.typeinfo.{TypeInformation, Types}
import org.apache.flink.api.java.functions.KeySelector
import org.apache.flink.streaming.api.datastream.DataStream
import org.apache.flink.streaming.api.functions.ProcessFunction
import org.apache.flink.util.{Collector, OutputTag}

import telcobench.spark.{Event, Fraud, OutRow, Output, Settings}

/**
 * The Flink dataflow of the three queries of docs/contracts.md, from parsed events to output rows (topic suffix,
 * key, JSON value). Sources and sink are the caller's, so tests run the same graph over bounded inputs.
 *  - rating: cdr -> dlq (rejected), keyBy subscriber -> rated + bills + dlq `late`;
 *  - network: pm + alarms -> dlq (rejected), keyBy cell -> alerts (network kinds);
 *  - fraud: cdr usage records -> routed to their fraud keys -> keyBy key -> alerts (fraud kinds).
 */
object Topology {
  val EventType: TypeInformation[Event] = TypeInformation.of(classOf[Event])
  val OutRowType: TypeInformation[OutRow] = TypeInformation.of(classOf[OutRow])
  val RouteType: TypeInformation[FraudRoute] = TypeInformation.of(classOf[FraudRoute])

  /** Operator names; the progress reporter finds each query's vertex by them. */
  val RatingOperator = "rating: bills per subscriber"
  val NetworkOperator = "network: detectors per cell"
  val FraudOperator = "fraud: detectors per key"

  private val rejectedTag: OutputTag[OutRow] = new OutputTag[OutRow]("rejected", OutRowType)

  /** Valid events pass; rejected ones leave on the side output as dlq rows. */
  private final class SplitRejected extends ProcessFunction[Event, Event] {
    override def processElement(e: Event, ctx: ProcessFunction[Event, Event]#Context, out: Collector[Event]): Unit =
      if (e.ok) out.collect(e) else ctx.output(rejectedTag, Output.dlq(e))
  }

  private final class Routes(settings: Settings) extends FlatMapFunction[Event, FraudRoute] {
    override def flatMap(e: Event, out: Collector[FraudRoute]): Unit =
      if (e.isUsage) Fraud.route(e, settings.spec, settings.fraud).foreach(i => out.collect(FraudRoute.of(i)))
  }

  private final class BySubscriber extends KeySelector[Event, String] { override def getKey(e: Event): String = e.subscriber }
  private final class ByCell extends KeySelector[Event, String] { override def getKey(e: Event): String = e.cell }
  private final class ByRoute extends KeySelector[FraudRoute, String] { override def getKey(r: FraudRoute): String = r.key }

  /** `uid` names the keyed state in checkpoints: stable across restarts, unique within a job. */
  def rating(cdr: DataStream[Event], settings: Settings, uid: String = "rating"): DataStream[OutRow] = {
    val valid = cdr.process(new SplitRejected).returns(EventType).name("rating: validate")
    val rated = valid.keyBy(new BySubscriber, Types.STRING).process(new BillingFunction(settings)).returns(OutRowType)
      .name(RatingOperator).uid(uid)
    rated.union(valid.getSideOutput(rejectedTag))
  }

  def network(pmAndAlarms: DataStream[Event], settings: Settings): DataStream[OutRow] = {
    val valid = pmAndAlarms.process(new SplitRejected).returns(EventType).name("network: validate")
    val alerts = valid.keyBy(new ByCell, Types.STRING).process(new NetworkFunction(settings)).returns(OutRowType)
      .name(NetworkOperator).uid("network")
    alerts.union(valid.getSideOutput(rejectedTag))
  }

  def fraud(cdr: DataStream[Event], settings: Settings): DataStream[OutRow] =
    cdr.flatMap(new Routes(settings)).returns(RouteType).name("fraud: route to keys")
      .keyBy(new ByRoute, Types.STRING).process(new FraudFunction(settings)).returns(OutRowType)
      .name(FraudOperator).uid("fraud")
}
