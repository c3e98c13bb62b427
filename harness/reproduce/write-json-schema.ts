/** Regenerates suites/suite.schema.json from the zod schema: `npm run schema:generate`. */
import { writeFileSync } from 'node:fs'
import { suiteJsonSchemaText } from './suite-schema.ts'

const target = new URL('../../suites/suite.schema.json', import.meta.url)
writeFileSync(target, suiteJsonSchemaText())
process.stdout.write(`wrote ${target.pathname}\n`)
