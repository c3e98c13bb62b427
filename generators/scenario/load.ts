import type { ScenarioConfig } from './schema.ts'

/** Approximate offered load of a scenario, from its rates (not from generating it). */
export interface LoadEstimate {
  /** Mean events per simulated second over a day's profile. */
  meanEventsPerSimSecond: number
  /** Busiest-hour events per simulated second, with flash crowds. */
  peakEventsPerSimSecond: number
  /** Mean events per wall second (× timeCompression). */
  meanEventsPerWallSecond: number
  /** Peak events per wall second (× timeCompression). */
  peakEventsPerWallSecond: number
  /** Expected events over the whole run, at the mean rate. */
  expectedEvents: number
}

/** Cells in the topology. */
export function cellCount(s: Pick<ScenarioConfig, 'topology'>): number {
  return s.topology.sites * s.topology.sectorsPerSite * s.topology.carriersPerSector
}

/** Estimates the event rate a scenario offers; used for warnings and by the harness for its plan line. */
export function estimateLoad(s: ScenarioConfig): LoadEstimate {
  const n = s.population.subscribers
  const business = n * s.population.businessPbxShare
  const m2m = n * s.population.m2mShare
  const consumers = n - business - m2m
  const t = s.traffic
  const voice = (consumers + 2 * business) * t.voice.attemptsPerSubscriber
  const sms = (consumers + business) * t.sms.perSubscriber
  const data = (consumers + business) * t.data.sessionsPerSubscriber * 1.05 + m2m * t.data.m2mSessionsPerSubscriber
  const cells = cellCount(s)
  const network = cells / (t.pm.granularity / 1000) + cells * t.alarms.perCell * 2
  let fraud = 0
  for (const f of Object.values(s.fraud)) {
    if (f.kind === 'SIMBOX') fraud += Math.round(f.share * n) * f.callsPerSim
  }
  const cc = s.hardNegatives.callCentres
  const callCentre = (cc.count * cc.agentsPerCentre * cc.callsPerAgent * (cc.closeHour - cc.openHour)) / 24
  const copies = 1 + s.badInput.exactDuplicates + s.badInput.resends
  const peakVoice = Math.max(...t.voiceProfile) * 24
  const peakData = Math.max(...t.dataProfile) * 24
  let flash = 1
  for (const f of Object.values(t.flashCrowds)) flash = Math.max(flash, 1 + ((f.multiplier - 1) * f.cells) / cells)
  const mean = (voice + sms + data + fraud + callCentre) * copies + network
  const peak = ((voice + sms) * peakVoice + data * peakData + fraud + callCentre * 3) * copies * flash + network
  return {
    meanEventsPerSimSecond: mean,
    peakEventsPerSimSecond: peak,
    meanEventsPerWallSecond: mean * s.timeCompression,
    peakEventsPerWallSecond: peak * s.timeCompression,
    expectedEvents: Math.round((mean * s.duration) / 1000),
  }
}
