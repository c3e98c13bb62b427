import { describe, expect, it } from 'vitest'
import { runAcls } from './access.ts'
import { countDenied } from './security-results.ts'

describe('runAcls', () => {
  const grants = runAcls('tb.r.', 'r', { generator: 'tb-generator', engine: 'tb-engine', measurer: 'tb-measurer' })
  const rights = (principal: string, resource = 'topic'): string[] =>
    grants
      .filter((g) => g.principal === `User:${principal}` && g.resource === resource)
      .map((g) => `${g.operation} ${g.name}`)
      .sort()

  it('lets the generator only write and describe the input topics', () => {
    expect(rights('tb-generator')).toEqual(['describe tb.r.alarms', 'describe tb.r.cdr', 'describe tb.r.pm', 'write tb.r.alarms', 'write tb.r.cdr', 'write tb.r.pm'])
  })

  it('lets the measuring consumer only read the outputs', () => {
    expect(rights('tb-measurer').filter((r) => r.startsWith('read') || r.startsWith('write'))).toEqual(['read tb.r.alerts', 'read tb.r.bills', 'read tb.r.dlq', 'read tb.r.progress', 'read tb.r.rated'])
  })

  it('lets Spark read the inputs and write the outputs, never write an input', () => {
    const spark = rights('tb-engine')
    for (const t of ['cdr', 'pm', 'alarms']) {
      expect(spark).toContain(`read tb.r.${t}`)
      expect(spark).not.toContain(`write tb.r.${t}`)
    }
    for (const t of ['rated', 'bills', 'alerts', 'dlq', 'progress']) expect(spark).toContain(`write tb.r.${t}`)
    expect(rights('tb-engine', 'transactional-id')).toEqual(['describe telcobench-r-', 'write telcobench-r-'])
  })

  it('grants the outsider nothing', () => {
    expect(grants.filter((g) => g.principal.includes('outsider'))).toEqual([])
  })
})

describe('countDenied', () => {
  it('counts the authorizer lines that record a refusal', () => {
    const log = [
      '[2026-11-30 14:00:00,000] INFO Principal = User:tb-outsider is Denied operation = READ from host = 127.0.0.1 on resource = Topic:LITERAL:tb.r.cdr for request = Fetch with resourceRefCount = 1 based on rule DefaultDeny (kafka.authorizer.logger)',
      '[2026-11-30 14:00:00,001] INFO Principal = User:tb-engine is Allowed operation = READ from host = 127.0.0.1 on resource = Topic:LITERAL:tb.r.cdr (kafka.authorizer.logger)',
      '[2026-11-30 14:00:00,002] INFO Principal = User:tb-outsider is Denied operation = WRITE from host = 127.0.0.1 on resource = Topic:LITERAL:tb.r.bills for request = Produce with resourceRefCount = 1 based on rule DefaultDeny (kafka.authorizer.logger)',
    ].join('\n')
    expect(countDenied(log)).toBe(2)
  })
})
