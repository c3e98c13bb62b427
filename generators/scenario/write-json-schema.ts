/** Regenerates scenarios/scenario.schema.json from the zod schema: `npx tsx generators/scenario/write-json-schema.ts`. */
import { writeFileSync } from 'node:fs'
import { scenarioJsonSchemaText } from './json-schema.ts'

const target = new URL('../../scenarios/scenario.schema.json', import.meta.url)
writeFileSync(target, scenarioJsonSchemaText())
process.stdout.write(`wrote ${target.pathname}\n`)
