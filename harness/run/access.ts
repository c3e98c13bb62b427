import type { AclGrant } from '../kafka/index.ts'

/** The run's topics by what reads and writes them (docs/contracts.md): the generator writes inputs, Spark writes outputs. */
export const inputTopics = ['cdr', 'pm', 'alarms'] as const
export const outputTopics = ['rated', 'bills', 'alerts', 'dlq', 'progress'] as const

export interface RunPrincipals {
  generator: string
  engine: string
  measurer: string
}

/**
 * The ACLs of a secured run (docs/security.md "Who may do what"), least privilege per client: the generator may only
 * write the input topics; Spark may read the inputs, write the outputs, keep its exactly-once markers (create, read
 * and write `eos-commits`, its transactional ids) and use consumer groups; the measuring consumer may only read
 * the outputs. Everything else is denied (`allow.everyone.if.no.acl.found=false`). `prefix` is the run's topic prefix.
 */
export function runAcls(prefix: string, runId: string, p: RunPrincipals): AclGrant[] {
  const user = (name: string): string => `User:${name}`
  const topic = (suffix: string, principal: string, operation: AclGrant['operation']): AclGrant => ({ resource: 'topic', name: `${prefix}${suffix}`, pattern: 'literal', principal: user(principal), operation })
  const grants: AclGrant[] = []
  for (const t of inputTopics) grants.push(topic(t, p.generator, 'write'), topic(t, p.generator, 'describe'))
  grants.push({ resource: 'cluster', name: 'kafka-cluster', pattern: 'literal', principal: user(p.generator), operation: 'idempotent-write' })
  for (const t of inputTopics) grants.push(topic(t, p.engine, 'read'), topic(t, p.engine, 'describe'))
  for (const t of outputTopics) grants.push(topic(t, p.engine, 'write'), topic(t, p.engine, 'describe'))
  for (const op of ['create', 'read', 'write', 'describe'] as const) grants.push(topic('eos-commits', p.engine, op))
  grants.push(
    { resource: 'group', name: '*', pattern: 'literal', principal: user(p.engine), operation: 'read' },
    { resource: 'transactional-id', name: `telcobench-${runId}-`, pattern: 'prefixed', principal: user(p.engine), operation: 'write' },
    { resource: 'transactional-id', name: `telcobench-${runId}-`, pattern: 'prefixed', principal: user(p.engine), operation: 'describe' },
    { resource: 'cluster', name: 'kafka-cluster', pattern: 'literal', principal: user(p.engine), operation: 'idempotent-write' },
  )
  for (const t of outputTopics) grants.push(topic(t, p.measurer, 'read'), topic(t, p.measurer, 'describe'))
  return grants
}
