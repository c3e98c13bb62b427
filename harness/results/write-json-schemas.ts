/** Regenerates harness/results/*.schema.json from the zod schemas: `npm run schema:generate`. */
import { writeFileSync } from 'node:fs'
import { runJsonSchemas, runJsonSchemaText } from './json-schema.ts'

for (const name of Object.keys(runJsonSchemas) as (keyof typeof runJsonSchemas)[]) {
  const target = new URL(`./${name}`, import.meta.url)
  writeFileSync(target, runJsonSchemaText(name))
  process.stdout.write(`wrote ${target.pathname}\n`)
}
