package telcobench.spark

/**
 * What a fraud key watches. Each kind has its own detector in [[Fraud]] and its own state type. A Scala Enumeration,
 * not a sealed trait, because Spark's encoders store an Enumeration value as a string column and have no encoder for
 * a sealed trait.
 */
object FraudKeyKind extends Enumeration {
  /** An IMSI: the subscriber's own usage ([[SubscriberState]]). */
  val Subscriber: Value = Value("subscriber")
  /** An MSISDN: a new IMSI on the number ([[SimSwapState]]). */
  val Line: Value = Value("line")
  /** An IMEI: several SIMs calling out through one device ([[SimboxState]]). */
  val Device: Value = Value("device")
  /** An international or premium called number: many subscribers calling it back ([[WangiriCallbackState]]). */
  val Number: Value = Value("number")
}

final case class FraudKey(kind: FraudKeyKind.Value, entity: String)

/** One usage record routed to one fraud key (see [[Fraud.route]]). */
final case class FraudInput(key: FraudKey, partition: Int, offset: Long, fact: UsageFact)

/**
 * The subscriber detector's state (per IMSI): a window of recent usage, the devices and cells it has used, and the
 * last alert time per kind (WANGIRI, IRSF, PBX, SUBSCRIPTION, SIMSWAP).
 */
final case class SubscriberState(
    firstSeen: Long,
    recent: List[UsageFact],
    lastImei: String,
    knownImeis: List[String],
    imeiChangedAt: Long,
    cellsAtSwap: List[String],
    knownCells: List[String],
    history: Long,
    lastAlert: Map[String, Long])

object SubscriberState {
  val empty: SubscriberState = SubscriberState(Long.MinValue, Nil, "", Nil, Long.MinValue, Nil, Nil, 0L, Map.empty)
}

/**
 * The SIM-swap detector's state (per MSISDN): the line's SIM (its IMSI, its last record ids, the IMEI last seen),
 * a new IMSI being confirmed (`newImsi` non-empty, seen first at `changedAt`), the IMSIs the line has left and the
 * last alert time.
 */
final case class SimSwapState(
    imsi: String,
    imsiIds: List[String],
    imei: String,
    changedAt: Long,
    newImsi: String,
    imeiChanged: Boolean,
    sinceChange: List[UsageFact],
    formerImsis: List[String],
    lastAlert: Option[Long])

object SimSwapState {
  val empty: SimSwapState = SimSwapState("", Nil, "", Long.MinValue, "", imeiChanged = false, Nil, Nil, None)
}

/** The SIM-box detector's state (per IMEI): the device's recent voice calls and the last alert time per SIM. */
final case class SimboxState(recent: List[UsageFact], lastAlert: Map[String, Long])

object SimboxState {
  val empty: SimboxState = SimboxState(Nil, Map.empty)
}

/** The Wangiri callback detector's state (per called number): recent calls to the number and its last alert time. */
final case class WangiriCallbackState(recent: List[UsageFact], lastAlert: Option[Long])

object WangiriCallbackState {
  val empty: WangiriCallbackState = WangiriCallbackState(Nil, None)
}

/**
 * What the fraud operator stores per key: the state of the key's own detector, in the field its kind names; the other
 * fields stay None. One type with a field per kind because Spark 4.1 allows only one flatMapGroupsWithState in an
 * update-mode query and that operator's state has a single type.
 */
final case class FraudKeyState(
    subscriber: Option[SubscriberState],
    line: Option[SimSwapState],
    device: Option[SimboxState],
    number: Option[WangiriCallbackState])

object FraudKeyState {
  val empty: FraudKeyState = FraudKeyState(None, None, None, None)
}
