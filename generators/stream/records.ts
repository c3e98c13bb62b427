/**
 * Renders record values as JSON text up to the emitNs integer. Field names are exactly docs/contracts.md's.
 * Strings written here are digits, hex or fixed ASCII words, so no escaping is needed.
 */

/**
 * A record waiting in the schedule. Usage records stay as fields until encodeValue renders them, so the queue
 * holds small objects rather than long strings (which cost most of the GC time when promoted).
 * `text` bodies are rendered already: PM records, alarms and malformed values.
 */
export type Body =
  | (VoiceFields & { kind: 'voice'; extra: string })
  | (SmsFields & { kind: 'sms'; extra: string })
  | (DataFields & { kind: 'data'; extra: string })
  | { kind: 'text'; text: string }

/** Renders a body up to the emitNs integer (or the whole text of a rendered body). */
export function renderHead(b: Body): string {
  switch (b.kind) {
    case 'voice':
      return voiceHead(b, b.extra)
    case 'sms':
      return smsHead(b, b.extra)
    case 'data':
      return dataHead(b, b.extra)
    case 'text':
      return b.text
  }
}

/** The same record under another id (a mediation re-send). */
export function withId(b: Body, id: string): Body {
  return b.kind === 'text' ? b : { ...b, id }
}

/** The identity part every usage record carries; `identityJson`, when set, is that text prebuilt for the subscriber. */
export interface IdentityFields {
  subscriber: string
  imsi: string
  msisdn: string
  imei: string
  /** Prebuilt `"subscriber":…,"servedIMSI":…,"servedMSISDN":…,"servedIMEI":…` (see {@link identityText}). */
  identityJson?: string | undefined
}

/** `"subscriber":…,"servedIMSI":…,"servedMSISDN":…,"servedIMEI":…` for one identity. */
export function identityText(subscriber: string, imsi: string, msisdn: string, imei: string): string {
  return `"subscriber":"${subscriber}","servedIMSI":"${imsi}","servedMSISDN":"${msisdn}","servedIMEI":"${imei}"`
}

function identityFields(f: IdentityFields): string {
  return f.identityJson ?? identityText(f.subscriber, f.imsi, f.msisdn, f.imei)
}

/** Fields of a voice (MO call) record. */
export interface VoiceFields extends IdentityFields {
  id: string
  calledNumber: string
  answerTime: number
  callDuration: number
  causeForTerm: number
  callReference: string
  sequence: number
  cell: string
}

/** Renders a voice record; `releaseTime` = eventTime = answerTime + callDuration·1000 (callDuration may be negative for injected violations). */
export function voiceHead(f: VoiceFields, extra: string): string {
  const release = String(f.answerTime + Math.max(0, f.callDuration) * 1000)
  return `{"id":"${f.id}","type":"voice",${identityFields(f)},"eventTime":${release},"recordType":"moCallRecord","calledNumber":"${f.calledNumber}","answerTime":${f.answerTime},"releaseTime":${release},"callDuration":${f.callDuration},"causeForTerm":${f.causeForTerm},"callReference":"${f.callReference}","recordSequenceNumber":${f.sequence},"cell":"${f.cell}"${extra},"emitNs":`
}

/** Fields of an SMS (MO) record. */
export interface SmsFields extends IdentityFields {
  id: string
  destinationNumber: string
  originationTime: number
  cell: string
}

/** Renders an SMS record; eventTime = originationTime. */
export function smsHead(f: SmsFields, extra: string): string {
  const at = String(f.originationTime)
  return `{"id":"${f.id}","type":"sms",${identityFields(f)},"eventTime":${at},"recordType":"moSMSRecord","destinationNumber":"${f.destinationNumber}","originationTime":${at},"cell":"${f.cell}"${extra},"emitNs":`
}

/** Fields of a data (PGW-CDR) record. */
export interface DataFields extends IdentityFields {
  id: string
  chargingID: string
  sequence: number
  openingTime: number
  durationS: number
  uplink: number
  downlink: number
  causeForRecClosing: number
  cell: string
}

/** Renders a data record; eventTime = recordOpeningTime + duration·1000. */
export function dataHead(f: DataFields, extra: string): string {
  const eventTime = f.openingTime + Math.max(0, f.durationS) * 1000
  return `{"id":"${f.id}","type":"data",${identityFields(f)},"eventTime":${eventTime},"recordType":"pGWRecord","chargingID":"${f.chargingID}","recordSequenceNumber":${f.sequence},"recordOpeningTime":${f.openingTime},"duration":${f.durationS},"dataVolumeUplink":${f.uplink},"dataVolumeDownlink":${f.downlink},"causeForRecClosing":${f.causeForRecClosing},"cell":"${f.cell}"${extra},"emitNs":`
}

/** PM counters of one cell for one granularity period. */
export interface PmCounters {
  rrcAtt: number
  rrcSucc: number
  erabAtt: number
  erabSucc: number
  erabRelAbnormal: number
  prbUsedDl: number
  prbAvailDl: number
  volDl: number
  volUl: number
  cellAvailSec: number
}

/** Renders a PM record; eventTime = period start. */
export function pmHead(id: string, cell: string, siteId: string, periodStart: number, granularitySec: number, c: PmCounters): string {
  return `{"id":"${id}","type":"pm","eventTime":${periodStart},"cell":"${cell}","siteId":"${siteId}","granularitySec":${granularitySec},"RRC.ConnEstabAtt":${c.rrcAtt},"RRC.ConnEstabSucc":${c.rrcSucc},"ERAB.EstabInitAttNbr":${c.erabAtt},"ERAB.EstabInitSuccNbr":${c.erabSucc},"ERAB.RelAbnormalEnbAct":${c.erabRelAbnormal},"RRU.PrbUsedDl":${c.prbUsedDl},"RRU.PrbAvailDl":${c.prbAvailDl},"PDCP.VolDl":${c.volDl},"PDCP.VolUl":${c.volUl},"cellAvailSec":${c.cellAvailSec},"emitNs":`
}

/** An X.733-style alarm as the alarms topic carries it. */
export interface AlarmFields {
  id: string
  eventTime: number
  cell: string
  alarmId: string
  eventType: 'communications' | 'qualityOfService' | 'processingError' | 'equipment' | 'environmental'
  probableCause: string
  perceivedSeverity: 'critical' | 'major' | 'minor' | 'warning' | 'cleared'
  specificProblem: string
}

/** Renders an alarm raise or clear. */
export function alarmHead(f: AlarmFields): string {
  return `{"id":"${f.id}","type":"alarm","eventTime":${f.eventTime},"cell":"${f.cell}","alarmId":"${f.alarmId}","eventType":"${f.eventType}","probableCause":"${f.probableCause}","perceivedSeverity":"${f.perceivedSeverity}","specificProblem":"${f.specificProblem}","emitNs":`
}

/** Minor warnings an outage can give before it starts (precursors): a KPI threshold crossed, a degraded radio unit. */
export const precursorAlarmCatalogue: readonly Pick<AlarmFields, 'eventType' | 'probableCause' | 'perceivedSeverity' | 'specificProblem'>[] = [
  { eventType: 'qualityOfService', probableCause: 'thresholdCrossed', perceivedSeverity: 'minor', specificProblem: 'abnormal E-RAB release rate high' },
  { eventType: 'equipment', probableCause: 'transmitterFailure', perceivedSeverity: 'minor', specificProblem: 'RRU output power degraded' },
]

/** Alarm catalogue for background faults and storms (X.733 event types, IANA-ITU-ALARM-TC probable causes). */
export const alarmCatalogue: readonly Pick<AlarmFields, 'eventType' | 'probableCause' | 'perceivedSeverity' | 'specificProblem'>[] = [
  { eventType: 'communications', probableCause: 'lossOfSignal', perceivedSeverity: 'major', specificProblem: 'S1 link down' },
  { eventType: 'equipment', probableCause: 'equipmentMalfunction', perceivedSeverity: 'major', specificProblem: 'RRU fault' },
  { eventType: 'environmental', probableCause: 'temperatureUnacceptable', perceivedSeverity: 'minor', specificProblem: 'cabinet temperature high' },
  { eventType: 'qualityOfService', probableCause: 'thresholdCrossed', perceivedSeverity: 'warning', specificProblem: 'VSWR over threshold' },
  { eventType: 'processingError', probableCause: 'softwareError', perceivedSeverity: 'minor', specificProblem: 'board restart' },
  { eventType: 'communications', probableCause: 'transmissionError', perceivedSeverity: 'critical', specificProblem: 'cell unavailable' },
]
