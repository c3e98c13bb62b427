package telcobench.flink

import org.apache.flink.api.common.functions.OpenContext
import org.apache.flink.api.common.state.{ValueState, ValueStateDescriptor}
import org.apache.flink.streaming.api.functions.KeyedProcessFunction
import org.apache.flink.util.Collector

import telcobench.spark.{BillState, Billing, CellState, Event, Fraud, FraudInput, FraudKey, FraudKeyKind, FraudKeyState,
  Network, OutRow, Output, Settings, UsageFact}

/** A usage record routed to one fraud key, as it crosses the shuffle: the key kind travels by name. */
final case class FraudRoute(kind: String, entity: String, partition: Int, offset: Long, fact: UsageFact) {
  def key: String = kind + "/" + entity
  def input: FraudInput = FraudInput(FraudKey(FraudKeyKind.withName(kind), entity), partition, offset, fact)
}

object FraudRoute {
  def of(i: FraudInput): FraudRoute = FraudRoute(i.key.kind.toString, i.key.entity, i.partition, i.offset, i.fact)
}

/**
 * Keyed-state operators around the shared pure steps (Billing, Network, Fraud): each record is one call of the step
 * with a one-record batch, so the rules run after every record as they do inside Spark's micro-batches.
 */
abstract class StepFunction[I, S <: java.io.Serializable](stateClass: Class[S], empty: S)
    extends KeyedProcessFunction[String, I, OutRow] {
  @transient private var state: ValueState[S] = _

  override def open(ctx: OpenContext): Unit =
    state = getRuntimeContext.getState(new ValueStateDescriptor[S]("state", new JavaSerializedInfo[S](stateClass)))

  protected def step(key: String, previous: S, in: I, watermarkMs: Long): (S, Seq[OutRow])

  override def processElement(in: I, ctx: KeyedProcessFunction[String, I, OutRow]#Context, out: Collector[OutRow]): Unit = {
    val previous = Option(state.value()).getOrElse(empty)
    val (next, rows) = step(ctx.getCurrentKey, previous, in, ctx.timerService().currentWatermark())
    state.update(next)
    rows.foreach(out.collect)
  }
}

/**
 * Rating, de-duplication, `late` and the running bill of one subscriber (Billing.step). The watermark is Flink's
 * event-time watermark (bounded out-of-orderness dedupWatermarkMs; Long.MinValue before the first one, which
 * Billing treats as "no watermark yet").
 */
final class BillingFunction(settings: Settings) extends StepFunction[Event, BillState](classOf[BillState], BillState.empty) {
  override protected def step(key: String, previous: BillState, e: Event, watermarkMs: Long): (BillState, Seq[OutRow]) =
    Billing.step(key, previous, Seq(e), watermarkMs, settings)
}

/** Network detectors of one cell (Network.step) over its PM periods and alarms. */
final class NetworkFunction(settings: Settings) extends StepFunction[Event, CellState](classOf[CellState], CellState.empty) {
  override protected def step(key: String, previous: CellState, e: Event, watermarkMs: Long): (CellState, Seq[OutRow]) = {
    val (next, alerts) = Network.step(key, previous, Seq(e), settings.network)
    (next, alerts.map(Output.alert))
  }
}

/** The fraud detector of one key (subscriber, line, device or called number: Fraud.step). */
final class FraudFunction(settings: Settings)
    extends StepFunction[FraudRoute, FraudKeyState](classOf[FraudKeyState], FraudKeyState.empty) {
  override protected def step(key: String, previous: FraudKeyState, r: FraudRoute, watermarkMs: Long): (FraudKeyState, Seq[OutRow]) = {
    val input = r.input
    val (next, alerts) = Fraud.step(input.key, previous, Seq(input), settings.spec, settings.fraud)
    (next, alerts.map(Output.alert))
  }
}
