// Writes the type declarations of the programmatic API (api/index.ts and everything it reaches) to dist/types/,
// for `import … from 'telcobench'` in TypeScript (package.json "types" and "exports"). Run by `npm pack` and
// `npm publish` (the prepack script), not by `npm ci`: a checkout's own code reads the sources. The declarations keep
// the sources' `.ts` import specifiers, which TypeScript resolves to the `.d.ts` files beside them.
import { execFileSync } from 'node:child_process'
import { rmSync } from 'node:fs'
import { createRequire } from 'node:module'

rmSync('dist/types', { recursive: true, force: true })
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc')
execFileSync(process.execPath, [tsc, '-p', 'tsconfig.types.json'], { stdio: 'inherit' })
