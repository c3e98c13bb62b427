import { z } from 'zod'
import { capacitySchema } from './capacity-schema.ts'
import { evaluationSchema } from './evaluation-schema.ts'
import { manifestSchema, resultsSchema, setSchema, timelineSchema } from './schema.ts'

/** The committed JSON Schemas (draft 2020-12) of the run folder's, the set folder's, the capacity folder's and the suite folder's files, generated from the zod schemas. */
export const runJsonSchemas = {
  'results.schema.json': resultsSchema,
  'manifest.schema.json': manifestSchema,
  'timeline.schema.json': timelineSchema,
  'set.schema.json': setSchema,
  'capacity.schema.json': capacitySchema,
  'evaluation.schema.json': evaluationSchema,
} as const

export function runJsonSchemaText(name: keyof typeof runJsonSchemas): string {
  return `${JSON.stringify(z.toJSONSchema(runJsonSchemas[name], { io: 'output' }), null, 2)}\n`
}
