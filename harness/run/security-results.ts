import { existsSync, readFileSync } from 'node:fs'
import { basename, dirname } from 'node:path'
import type { Results } from '../results/index.ts'
import type { RuntimeSecurity } from '../runtime/runtime.ts'
import type { IntruderReport } from './intruder.ts'

/** Lines of Kafka's StandardAuthorizer audit log that record a refusal ("Principal = User:x is Denied operation = …"). */
export function countDenied(log: string): number {
  return log.split('\n').filter((line) => line.includes(' is Denied operation')).length
}

/** results.json `security` of a secured run: what was enforced, the intruder check, the denials the authorizer logged. */
export function securityResults(security: RuntimeSecurity | null, intruders: IntruderReport | null): Results['security'] {
  if (security === null) return null
  const log = security.authorizerLog
  const s = security.settings
  return {
    tls: s.tls,
    sasl: s.sasl,
    acls: s.acls,
    intruder: intruders === null ? null : { attempts: intruders.attempts, refused: intruders.attempts.filter((a) => a.refused).length, landed: intruders.landed, marker: intruders.marker },
    denied_operations: log !== null && existsSync(log) ? countDenied(readFileSync(log, 'utf8')) : null,
    authorizer_log: log === null ? null : `${basename(dirname(log))}/${basename(log)}`,
  }
}
